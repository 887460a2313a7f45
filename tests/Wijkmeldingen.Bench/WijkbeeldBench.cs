// Timings of the safety picture and the hotspot grid at scale. Not a timed test: run it by hand
// against a database seeded with `infra/wijk seed --meldingen 1000000 --opnieuw` (docs/wijkbeeld.md, Benchmark).
//   ConnectionStrings__Wijkmeldingen=... dotnet run -c Release --project tests/Wijkmeldingen.Bench -- \
//     wijkbeeld [--rondes 50] [--url http://127.0.0.1:5080] [--zonder-opbouw]
// Prints p50/p99 per query, through the same code the pages use, and (with --url) over HTTP.
using System.Diagnostics;
using System.Globalization;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Wijkmeldingen.Web.Data;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Features.Wijkbeeld;

namespace Wijkmeldingen.Bench;

internal static class WijkbeeldBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("nl-NL");
        var rondes = 50;
        Uri? url = null;
        var opbouwen = !args.Contains("--zonder-opbouw");
        for (var i = 0; i < args.Length - 1; i++)
        {
            if (args[i] == "--rondes")
            {
                rondes = int.Parse(args[++i], CultureInfo.InvariantCulture);
            }
            else if (args[i] == "--url")
            {
                url = new Uri(args[++i]);
            }
        }
        var connectionString = Environment.GetEnvironmentVariable("ConnectionStrings__Wijkmeldingen")
            ?? throw new InvalidOperationException("Set ConnectionStrings__Wijkmeldingen (infra/wijk db-start prints it).");

        GeometryTypeHandlers.Register();
        await using var dataSource = Database.CreateDataSource(connectionString, new DatabaseOptions { Gemeente = BenchData.Gemeente });
        var options = Options.Create(new WijkbeeldOptions());
        var engine = Options.Create(new HotspotOptions());
        var verversen = new WijkbeeldVerversen(dataSource, options, engine, NullLogger<WijkbeeldVerversen>.Instance);
        var cijfers = new WijkbeeldCijfers(dataSource, options);
        var hotspots = new HotspotEngine(dataSource, engine);

        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            var meldingen = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM melding");
            Console.WriteLine($"reports: {meldingen:N0}, PostgreSQL {connection.PostgreSqlVersion}, {Environment.ProcessorCount} cores");
            // Full rebuild of the rollups (what happens after a reseed), then one month (a timer run after new reports).
            // --zonder-opbouw skips the rebuild (e.g. for a second run against a running portal).
            await connection.ExecuteAsync(
                opbouwen
                    ? "INSERT INTO wijkbeeld_vuil SELECT DISTINCT wijkbeeld_maand_van(aangemaakt_op) FROM melding ON CONFLICT DO NOTHING"
                    : "SELECT 1"
            );
            var klok = Stopwatch.StartNew();
            var maanden = await verversen.VerversAsync();
            Console.WriteLine($"rollup rebuild, all {maanden} months: {klok.Elapsed.TotalSeconds:0.0} s");
            await connection.ExecuteAsync("ANALYZE wijkbeeld_maand; ANALYZE hotspot_maand; ANALYZE hotspot_cel");
            await connection.ExecuteAsync(
                """
                INSERT INTO wijkbeeld_vuil VALUES (date_trunc('month', now() AT TIME ZONE 'Europe/Amsterdam')::date)
                ON CONFLICT DO NOTHING
                """
            );
            klok.Restart();
            await verversen.VerversAsync();
            Console.WriteLine($"rollup refresh of the current month: {klok.Elapsed.TotalMilliseconds:0} ms");
            var wijkbeeldRijen = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM wijkbeeld_maand");
            var hotspotRijen = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM hotspot_maand");
            Console.WriteLine($"rollup rows: {wijkbeeldRijen:N0} wijkbeeld_maand, {hotspotRijen:N0} hotspot_maand");
        }

        var vandaag = DateTime.Today;
        var kwartaal = Periode.Standaard(vandaag);
        var jaar = new Periode("vrij", Periode.MaandVan(vandaag).AddMonths(-12), Periode.MaandVan(vandaag).AddMonths(-1));
        var maand = new Periode("maand", Periode.MaandVan(vandaag).AddMonths(-1), Periode.MaandVan(vandaag).AddMonths(-1));

        var metingen = new List<(string Naam, Func<Task> Actie, int Rondes)>
        {
            (
                "wijk picture (1 wijk, quarter vs previous)",
                async () => WijkbeeldWeergave.Maak((await cijfers.LaadAsync("WK039700", kwartaal))!, 5),
                rondes
            ),
            (
                "wijk picture (1 wijk, year vs previous)",
                async () => WijkbeeldWeergave.Maak((await cijfers.LaadAsync("WK039700", jaar))!, 5),
                rondes
            ),
            (
                "municipal picture (whole municipality, quarter)",
                async () => WijkbeeldWeergave.Maak((await cijfers.LaadAsync(null, kwartaal))!, 5),
                rondes
            ),
            ("hotspot grid 250 m + Gi*, 12 months, public", async () => await hotspots.BerekenAsync(new HotspotFilter(250, jaar)), rondes),
            (
                "hotspot grid 100 m + Gi*, 12 months, all categories",
                async () => await hotspots.BerekenAsync(new HotspotFilter(100, jaar, Publiek: false)),
                rondes
            ),
            (
                "hotspot grid 100 m + Gi*, 12 months, one theme, open only",
                async () => await hotspots.BerekenAsync(new HotspotFilter(100, jaar, Thema: "overlast", Gesloten: false)),
                rondes
            ),
            (
                "DBSCAN clusters, last month, public (live, not rolled up)",
                async () => await hotspots.ClustersAsync(new HotspotFilter(100, maand)),
                Math.Max(3, rondes / 10)
            ),
        };
        if (url is not null)
        {
            var http = new HttpClient { BaseAddress = url };
            foreach (var pad in new[] { "/wijken/WK039700", "/wijken", "/wijken/hotspots.geojson", "/wijken/kpi" })
            {
                metingen.Add(($"HTTP GET {pad}", async () => (await http.GetAsync(pad)).EnsureSuccessStatusCode(), rondes));
            }
        }

        Console.WriteLine();
        Console.WriteLine($"{"query", -62} {"p50 ms", 8} {"p99 ms", 8} {"n", 4}");
        foreach (var (naam, actie, n) in metingen)
        {
            await actie(); // warm up: plans, pool, JIT
            var tijden = new List<double>();
            for (var i = 0; i < n; i++)
            {
                var klok = Stopwatch.StartNew();
                await actie();
                tijden.Add(klok.Elapsed.TotalMilliseconds);
            }
            tijden.Sort();
            double P(double q) => tijden[Math.Max(0, (int)Math.Ceiling(q * tijden.Count) - 1)];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{naam, -62} {P(0.50), 8:0.0} {P(0.99), 8:0.0} {n, 4}"));
        }

        return 0;
    }
}
