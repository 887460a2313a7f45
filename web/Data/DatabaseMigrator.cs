using System.Text.RegularExpressions;
using Dapper;
using EvolveDb;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Wijkmeldingen.Web.Data;

/// <summary>
/// Applies db/migrations (versioned, forward only) and db/seed/reference (repeatable reference data:
/// the municipality's boundaries) with Evolve. The schema is defined nowhere else. With a separate owner
/// connection (<see cref="EigenaarDatabase"/>) the migrations run as the owner role and then give
/// the app role of <paramref name="dataSource"/> its privileges (V51's <c>app_rechten_geven</c>;
/// docs/database.md#roles).
/// </summary>
public sealed partial class DatabaseMigrator(
    NpgsqlDataSource dataSource,
    IOptions<DatabaseOptions> options,
    ILogger<DatabaseMigrator> logger,
    EigenaarDatabase? eigenaar = null
)
{
    /// <summary>Held while the app role's privileges are given, so portals starting together do not
    /// change the same catalog rows at once.</summary>
    private const long RechtenSlot = 397051;

    private NpgsqlDataSource MigratieBron => eigenaar?.Bron ?? dataSource;

    public Task MigrateAsync(CancellationToken cancellationToken = default) => MigrateAsync(null, cancellationToken);

    /// <summary>Applies what is pending. With <paramref name="voortgang"/> (the command-line verbs) it
    /// also shows which migration runs and how far along the pending ones are.</summary>
    public async Task MigrateAsync(Voortgang? voortgang, CancellationToken cancellationToken = default)
    {
        var scripts = ScriptsRoot(options.Value);
        await DatabaseResilience.StartupPipeline.ExecuteAsync(
            async token =>
            {
                await using var connection = await MigratieBron.OpenConnectionAsync(token);
                var wachtend = voortgang is null ? [] : await WachtendAsync(connection, scripts, token);
                var gedaan = 0;
                if (wachtend.Count > 0)
                {
                    voortgang!.Meld(0, wachtend.Count, wachtend[0]);
                }
                var evolve = new Evolve(connection, message =>
                {
                    logger.LogInformation("{Message}", message);
                    if (wachtend.Count > 0 && IsToegepast(message))
                    {
                        gedaan++;
                        // Evolve says when one is done; the next pending one is the one now running.
                        voortgang!.Meld(gedaan, wachtend.Count, gedaan < wachtend.Count ? wachtend[gedaan] : null);
                    }
                })
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
                if (wachtend.Count > 0)
                {
                    voortgang!.Klaar($"{gedaan} applied");
                }
            },
            cancellationToken
        );
        if (eigenaar is { IsApart: true })
        {
            await RechtenGevenAsync(eigenaar.Bron, cancellationToken);
        }
        // PostGIS types may have been created just now: make pooled connections learn them.
        await using var reload = await dataSource.OpenConnectionAsync(cancellationToken);
        await reload.ReloadTypesAsync(cancellationToken);
    }

    /// <summary>Gives the app role (the user the portal connects as) what it needs
    /// on everything the owner owns; nothing when both connections are the same role.</summary>
    private async Task RechtenGevenAsync(NpgsqlDataSource eigenaarBron, CancellationToken cancellationToken)
    {
        string appRol;
        await using (var app = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            appRol = (
                await app.ExecuteScalarAsync<string>(new CommandDefinition("SELECT current_user", cancellationToken: cancellationToken))
            )!;
        }
        await using var connection = await eigenaarBron.OpenConnectionAsync(cancellationToken);
        var eigenaarRol = await connection.ExecuteScalarAsync<string>(
            new CommandDefinition("SELECT current_user", cancellationToken: cancellationToken)
        );
        if (string.Equals(appRol, eigenaarRol, StringComparison.Ordinal))
        {
            logger.LogWarning(
                "ConnectionStrings:{Eigenaar} connects as {Rol}, the same role as ConnectionStrings:{App}: the portal owns its tables",
                Database.EigenaarConnectionStringName,
                appRol,
                Database.ConnectionStringName
            );
            return;
        }
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(
            new CommandDefinition(
                "SELECT pg_advisory_xact_lock(@slot)",
                new { slot = RechtenSlot },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        var gewijzigd = await connection.ExecuteScalarAsync<int>(
            new CommandDefinition("SELECT app_rechten_geven(@appRol)", new { appRol }, transaction, cancellationToken: cancellationToken)
        );
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation(
            "Privileges of the app role {App} on the objects of the owner {Eigenaar}: {Gewijzigd} changed",
            appRol,
            eigenaarRol,
            gewijzigd
        );
    }

    /// <summary>The scripts not applied yet, in the order Evolve runs them (versioned by version, then
    /// repeatable ones); a changed repeatable script already applied is not counted.</summary>
    public static async Task<IReadOnlyList<string>> WachtendAsync(
        NpgsqlConnection connection,
        string scripts,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(connection);
        var toegepast = await connection.ExecuteScalarAsync<bool>(
            new CommandDefinition("SELECT to_regclass('schema_migraties') IS NOT NULL", cancellationToken: cancellationToken)
        )
            ? (
                await connection.QueryAsync<string>(
                    new CommandDefinition("SELECT name FROM schema_migraties WHERE success", cancellationToken: cancellationToken)
                )
            ).ToHashSet(StringComparer.Ordinal)
            : [];
        return Wachtend(
            Scripts(Path.Combine(scripts, "migrations")).Concat(Scripts(Path.Combine(scripts, "seed", "reference"))),
            toegepast
        );
    }

    /// <summary>Of <paramref name="bestanden"/> (file names), those not in <paramref name="toegepast"/>:
    /// V scripts by their version, numerically, then R scripts by name.</summary>
    public static IReadOnlyList<string> Wachtend(IEnumerable<string> bestanden, IReadOnlySet<string> toegepast)
    {
        ArgumentNullException.ThrowIfNull(toegepast);
        var open = bestanden.Where(b => !toegepast.Contains(b)).ToList();
        var versies = open.Select(b => (Naam: b, Match: VersiePatroon().Match(b)))
            .Where(v => v.Match.Success)
            .OrderBy(v => v.Match.Groups[1].Value.Split('.', '_').Select(long.Parse).ToArray(), VersieVergelijker.Instance)
            .Select(v => v.Naam);
        var herhaalbaar = open.Where(b => b.StartsWith("R__", StringComparison.Ordinal)).Order(StringComparer.Ordinal);
        return versies.Concat(herhaalbaar).ToList();
    }

    /// <summary>True for Evolve's message that one migration was applied ("Successfully applied
    /// migration V1__x.sql in 12 ms.").</summary>
    public static bool IsToegepast(string message) => message is not null && UitgevoerdPatroon().IsMatch(message);

    private static IEnumerable<string> Scripts(string map) =>
        Directory.Exists(map) ? Directory.EnumerateFiles(map, "*.sql").Select(Path.GetFileName).OfType<string>() : [];

    [GeneratedRegex(@"^V(\d+(?:[._]\d+)*)__.*\.sql$")]
    private static partial Regex VersiePatroon();

    [GeneratedRegex(@"^Successfully (applied|executed) migration ")]
    private static partial Regex UitgevoerdPatroon();

    private sealed class VersieVergelijker : IComparer<long[]>
    {
        public static readonly VersieVergelijker Instance = new();

        public int Compare(long[]? x, long[]? y)
        {
            x ??= [];
            y ??= [];
            for (var i = 0; i < Math.Max(x.Length, y.Length); i++)
            {
                var verschil = (i < x.Length ? x[i] : 0).CompareTo(i < y.Length ? y[i] : 0);
                if (verschil != 0)
                {
                    return verschil;
                }
            }
            return 0;
        }
    }

    public static string ScriptsRoot(DatabaseOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Path.IsPathRooted(options.ScriptsPath) ? options.ScriptsPath : Path.Combine(AppContext.BaseDirectory, options.ScriptsPath);
    }
}
