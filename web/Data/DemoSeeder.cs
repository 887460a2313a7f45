using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Wijkmeldingen.Web.Data;

/// <summary>
/// Generates realistic demo reports with db/seed/demo/meldingen.sql. Idempotent: it does nothing
/// when demo reports exist, unless asked to start over (which removes demo reports only).
/// </summary>
public sealed class DemoSeeder(NpgsqlDataSource dataSource, IOptions<DatabaseOptions> options, ILogger<DemoSeeder> logger)
{
    public async Task<int> SeedAsync(int aantal, bool opnieuw = false, double zaad = 0.397, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(aantal);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Math.Abs(zaad), 1.0);
        var script = await File.ReadAllTextAsync(
            Path.Combine(DatabaseMigrator.ScriptsRoot(options.Value), "seed", "demo", "meldingen.sql"),
            cancellationToken
        );

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // One seeder at a time, also across processes.
        await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(397001)", transaction: transaction);

        if (opnieuw)
        {
            var removed = await connection.ExecuteAsync("DELETE FROM melding WHERE is_demo", transaction: transaction);
            logger.LogInformation("Removed {Count} demo reports", removed);
        }
        else
        {
            var existing = await connection.ExecuteScalarAsync<long>(
                "SELECT count(*) FROM melding WHERE is_demo",
                transaction: transaction
            );
            if (existing > 0)
            {
                logger.LogInformation("{Count} demo reports present; not seeding again (use --opnieuw to start over)", existing);
                return 0;
            }
        }
        if (aantal == 0)
        {
            await transaction.CommitAsync(cancellationToken);
            return 0;
        }

        var stopwatch = Stopwatch.StartNew();
        await connection.ExecuteAsync(
            "SELECT set_config('wijk.demo_aantal', @aantal, true), set_config('wijk.demo_zaad', @zaad, true)",
            new
            {
                aantal = aantal.ToString(System.Globalization.CultureInfo.InvariantCulture),
                zaad = zaad.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
            transaction
        );
        await connection.ExecuteAsync(
            new CommandDefinition(script, transaction: transaction, commandTimeout: 0, cancellationToken: cancellationToken)
        );
        var added = await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM melding WHERE is_demo", transaction: transaction);
        await transaction.CommitAsync(cancellationToken);
        await connection.ExecuteAsync("ANALYZE melding; ANALYZE melding_historie;");
        logger.LogInformation("Seeded {Count} demo reports in {Seconds:0.0} s", added, stopwatch.Elapsed.TotalSeconds);
        return added;
    }
}
