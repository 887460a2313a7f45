using EvolveDb;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Wijkmeldingen.Web.Data;

/// <summary>
/// Applies db/migrations (versioned, forward only) and db/seed/reference (repeatable reference data:
/// the Heemstede boundaries) with Evolve. The schema is defined nowhere else.
/// </summary>
public sealed class DatabaseMigrator(NpgsqlDataSource dataSource, IOptions<DatabaseOptions> options, ILogger<DatabaseMigrator> logger)
{
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        var scripts = ScriptsRoot(options.Value);
        await DatabaseResilience.StartupPipeline.ExecuteAsync(
            async token =>
            {
                await using var connection = await dataSource.OpenConnectionAsync(token);
                var evolve = new Evolve(connection, message => logger.LogInformation("{Message}", message))
                {
                    Locations = [Path.Combine(scripts, "migrations"), Path.Combine(scripts, "seed", "reference")],
                    IsEraseDisabled = true,
                    EnableClusterMode = true,
                    MetadataTableName = "schema_migraties",
                    // Features take migration numbers from their own ranges (V9-V19 back office, V20-V29
                    // wijkbeeld, V40-V49 walks ...), so a database may meet a lower number after a higher one.
                    OutOfOrder = true,
                    // A migration that rewrites existing reports (V14 recomputes open reports' due dates)
                    // takes minutes on a database with a million reports: Npgsql's 30 s default would
                    // abort it, and with it the start-up.
                    CommandTimeout = 3600,
                };
                evolve.Migrate();
            },
            cancellationToken
        );
        // PostGIS types may have been created just now: make pooled connections learn them.
        await using var reload = await dataSource.OpenConnectionAsync(cancellationToken);
        await reload.ReloadTypesAsync(cancellationToken);
    }

    public static string ScriptsRoot(DatabaseOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Path.IsPathRooted(options.ScriptsPath) ? options.ScriptsPath : Path.Combine(AppContext.BaseDirectory, options.ScriptsPath);
    }
}
