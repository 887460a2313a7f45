using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Wijkmeldingen.Web.Data;

/// <summary>What one seed run did: demo reports added and, per registered step, rows added.</summary>
public sealed record DemoResultaat(int Meldingen, IReadOnlyList<KeyValuePair<string, int>> Stappen)
{
    public int Totaal => Meldingen + Stappen.Sum(s => s.Value);
}

/// <summary>
/// Fills a development database so that a newcomer's first run shows every part working: realistic
/// demo reports (db/seed/demo/meldingen.sql), then every <see cref="DemoStap"/> the features register
/// (walks, demo staff accounts, wijk stories, perceived safety, satisfaction answers ...), all in one
/// transaction. Idempotent: demo reports are not added again when some exist, and each step adds
/// nothing when its demo rows exist; starting over (<c>opnieuw</c>) removes demo rows only. Refuses
/// to run in the Production environment (<see cref="DemoGeweigerdException"/>).
/// </summary>
public sealed class DemoSeeder(
    NpgsqlDataSource dataSource,
    IOptions<DatabaseOptions> options,
    ILogger<DemoSeeder> logger,
    IEnumerable<DemoStap>? stappen = null,
    IHostEnvironment? omgeving = null
)
{
    /// <summary>Share of the progress bar the demo reports take; the steps share the rest.</summary>
    private const int MeldingenAandeel = 60;

    private readonly List<DemoStap> stappen = (stappen ?? []).OrderBy(s => s.Volgorde).ThenBy(s => s.Naam, StringComparer.Ordinal).ToList();

    public IReadOnlyList<DemoStap> Stappen => stappen;

    /// <summary>Demo reports only (benchmarks and older callers): how many were added.</summary>
    public async Task<int> SeedAsync(
        int aantal,
        bool opnieuw = false,
        double zaad = 0.397,
        CancellationToken cancellationToken = default
    ) => (await VulAsync(aantal, opnieuw, zaad, null, cancellationToken)).Meldingen;

    public async Task<DemoResultaat> VulAsync(
        int aantal,
        bool opnieuw = false,
        double zaad = 0.397,
        Voortgang? voortgang = null,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentOutOfRangeException.ThrowIfNegative(aantal);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Math.Abs(zaad), 1.0);
        if (omgeving?.IsProduction() == true)
        {
            throw new DemoGeweigerdException(
                "Demo data is for development only and is never added in the Production environment "
                    + "(set ASPNETCORE_ENVIRONMENT=Development on a development machine)."
            );
        }
        var script = await File.ReadAllTextAsync(
            Path.Combine(DatabaseMigrator.ScriptsRoot(options.Value), "seed", "demo", "meldingen.sql"),
            cancellationToken
        );

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // One seeder at a time, also across processes.
        await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(397001)", transaction: transaction);

        var stopwatch = Stopwatch.StartNew();
        var nieuweMeldingen = true;
        if (opnieuw)
        {
            voortgang?.MeldPercentage(0, "opruimen");
            foreach (var stap in Enumerable.Reverse(stappen).Where(s => s.WissenAsync is not null))
            {
                var weg = await stap.WissenAsync!(connection, transaction, cancellationToken);
                logger.LogInformation("Removed {Count} demo rows of {Stap}", weg, stap.Naam);
            }
            var removed = await connection.ExecuteAsync(
                new CommandDefinition(
                    "DELETE FROM melding WHERE is_demo",
                    transaction: transaction,
                    commandTimeout: 0,
                    cancellationToken: cancellationToken
                )
            );
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
                logger.LogInformation("{Count} demo reports present; not adding reports again (use --opnieuw to start over)", existing);
                nieuweMeldingen = false;
            }
        }

        var added = 0;
        if (nieuweMeldingen && aantal > 0)
        {
            voortgang?.MeldPercentage(0, $"meldingen ({aantal})");
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
            added = await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM melding WHERE is_demo", transaction: transaction);
        }

        var perStap = new List<KeyValuePair<string, int>>();
        for (var i = 0; i < stappen.Count; i++)
        {
            var stap = stappen[i];
            voortgang?.MeldPercentage(MeldingenAandeel + (100 - MeldingenAandeel) * i / stappen.Count, stap.Naam);
            var rijen = await stap.VullenAsync(connection, transaction, cancellationToken);
            perStap.Add(new(stap.Naam, rijen));
            logger.LogInformation("Demo step {Stap}: {Count} rows added", stap.Naam, rijen);
        }
        await transaction.CommitAsync(cancellationToken);
        if (added > 0)
        {
            voortgang?.MeldPercentage(99, "ANALYZE");
            await connection.ExecuteAsync("ANALYZE melding; ANALYZE melding_historie;");
        }
        voortgang?.Klaar();
        logger.LogInformation("Seeded {Count} demo reports in {Seconds:0.0} s", added, stopwatch.Elapsed.TotalSeconds);
        return new DemoResultaat(added, perStap);
    }
}
