using System.Diagnostics;
using System.Globalization;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Wijkmeldingen.Web.Data;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Features.Kaart;
using Wijkmeldingen.Web.Geo.Gebieden;

// Viewport benchmark of the public map, run by `infra/wijk bench-kaart [N]` (= `Wijkmeldingen.Bench kaart [N]`).
// Seeds N demo reports (default 1,000,000), then times the same viewport query three ways:
//   sql   the query's SQL through Dapper on a pooled connection (the floor),
//   http  GET /kaart/meldingen.geojson on the real app over loopback (what the browser waits for),
// each over the same random 600 m windows, and prints p50/p99 and the ratio http/sql.
namespace Wijkmeldingen.Bench;

internal static class KaartBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var connectionString = Environment.GetEnvironmentVariable("ConnectionStrings__Wijkmeldingen")
            ?? throw new InvalidOperationException("Set ConnectionStrings__Wijkmeldingen (infra/wijk bench-kaart does).");
        var aantal = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
        const int Rondes = 300;

        var options = new DatabaseOptions { Gemeente = BenchData.Gemeente };
        await using var dataSource = Database.CreateDataSource(connectionString, options);
        await new DatabaseMigrator(dataSource, Options.Create(options), NullLogger<DatabaseMigrator>.Instance).MigrateAsync();
        // The demo municipality's areas (db/seed/gebieden), through the `gemeente` import, when none are loaded.
        await new GebiedenImport(dataSource, NullLogger<GebiedenImport>.Instance).ImportAlsLeegAsync(
            Path.Combine(DatabaseMigrator.ScriptsRoot(options), "seed", "gebieden", "heemstede-GM0397.gpkg")
        );
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            var aanwezig = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM melding WHERE is_demo");
            if (aanwezig != aantal)
            {
                Console.WriteLine($"seeding {aantal:N0} demo reports (this takes a few minutes for a million)...");
                var stopwatch = Stopwatch.StartNew();
                var seeder = new DemoSeeder(dataSource, Options.Create(options), NullLogger<DemoSeeder>.Instance);
                await seeder.VulAsync(aantal, opnieuw: true, voortgang: Voortgang.OpConsole("seed"));
                Console.WriteLine($"seeded in {stopwatch.Elapsed.TotalSeconds:0} s");
            }
            var recent = await connection.ExecuteScalarAsync<long>(
                "SELECT count(*) FROM melding WHERE aangemaakt_op > now() - interval '90 days'"
            );
            Console.WriteLine(
                $"reports in the database: {await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM melding"):N0}, "
                    + $"of which in the last 90 days: {recent:N0}"
            );
        }

        // Random 600 m × 600 m windows centred on random report locations (where people look).
        List<PubliekeMeldingen.Bbox> vensters;
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            vensters = (
                await connection.QueryAsync<(double MinLon, double MinLat, double MaxLon, double MaxLat)>(
                    """
                    SELECT ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b)
                    FROM (SELECT ST_Transform(ST_Expand(locatie, 300), 4326) AS b FROM melding TABLESAMPLE SYSTEM (1) LIMIT @n) s
                    """,
                    new { n = Rondes }
                )
            ).Select(v => new PubliekeMeldingen.Bbox(v.MinLon, v.MinLat, v.MaxLon, v.MaxLat)).ToList();
        }
        var kaart = new PubliekOptions { Gemeente = BenchData.Gemeente };
        var maxPunten = new KaartOptions().MaxPunten;
        var filter = KaartFilter.Standaard;

        // 1. SQL through the feature's own query code.
        await KaartPlekken.AlsGeoJsonAsync(
            dataSource,
            filter,
            vensters[0],
            kaart,
            DateTimeOffset.UtcNow,
            maxPunten,
            5,
            "nl",
            CancellationToken.None
        );
        var sql = new List<double>();
        long rijen = 0;
        foreach (var venster in vensters)
        {
            var stopwatch = Stopwatch.StartNew();
            var json = await KaartPlekken.AlsGeoJsonAsync(
                dataSource,
                filter,
                venster,
                kaart,
                DateTimeOffset.UtcNow,
                maxPunten,
                5,
                "nl",
                CancellationToken.None
            );
            sql.Add(stopwatch.Elapsed.TotalMilliseconds);
            rijen += System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("features").GetArrayLength();
        }
        Rapporteer("sql  viewport places (600 m, 90 days, public, newest 2000)", sql, $"{rijen / vensters.Count} places avg");

        var cellenSql = new List<double>();
        var gemeente = new PubliekeMeldingen.Bbox(4.58, 52.32, 4.65, 52.37);
        for (var i = 0; i < 50; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            await PubliekeMeldingen.CellenAsync(
                dataSource,
                filter,
                gemeente,
                PubliekeMeldingen.CelMeters(13),
                kaart,
                DateTimeOffset.UtcNow,
                CancellationToken.None
            );
            cellenSql.Add(stopwatch.Elapsed.TotalMilliseconds);
        }
        Rapporteer("sql  whole municipality, counts per 500 m cell (zoom 13)", cellenSql, "");

        // 2. HTTP against the real app on a loopback port.
        await using var app = new BenchApp(connectionString);
        app.UseKestrel(0);
        app.StartServer();
        using var http = new HttpClient { BaseAddress = app.ClientOptions.BaseAddress };
        string Url(PubliekeMeldingen.Bbox b, int zoom) =>
            string.Create(
                CultureInfo.InvariantCulture,
                $"/kaart/meldingen.geojson?bbox={b.MinLon:F6},{b.MinLat:F6},{b.MaxLon:F6},{b.MaxLat:F6}&zoom={zoom}"
            );
        (await http.GetAsync(Url(vensters[0], 17))).EnsureSuccessStatusCode();
        var web = new List<double>();
        foreach (var venster in vensters)
        {
            var stopwatch = Stopwatch.StartNew();
            using var antwoord = await http.GetAsync(Url(venster, 17));
            await antwoord.Content.ReadAsByteArrayAsync();
            web.Add(stopwatch.Elapsed.TotalMilliseconds);
            antwoord.EnsureSuccessStatusCode();
        }
        Rapporteer(
            "http GET /kaart/meldingen.geojson (same windows, zoom 17)",
            web,
            $"ratio p50 http/sql {Percentiel(web, 50) / Percentiel(sql, 50):0.00}"
        );

        var cellenWeb = new List<double>();
        for (var i = 0; i < 50; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            using var antwoord = await http.GetAsync(Url(gemeente, 13));
            await antwoord.Content.ReadAsByteArrayAsync();
            cellenWeb.Add(stopwatch.Elapsed.TotalMilliseconds);
        }
        Rapporteer(
            "http whole municipality, counts per 500 m cell (zoom 13)",
            cellenWeb,
            $"ratio p50 http/sql {Percentiel(cellenWeb, 50) / Percentiel(cellenSql, 50):0.00}"
        );
        return 0;
    }

    private static double Percentiel(List<double> waarden, double p)
    {
        var gesorteerd = waarden.Order().ToList();
        return gesorteerd[(int)Math.Min(gesorteerd.Count - 1, Math.Ceiling(p / 100 * gesorteerd.Count) - 1)];
    }

    private static void Rapporteer(string naam, List<double> ms, string extra) =>
        Console.WriteLine(
            string.Create(
                CultureInfo.InvariantCulture,
                $"{naam, -62} n={ms.Count, 4}  p50 {Percentiel(ms, 50), 7:0.0} ms  p99 {Percentiel(ms, 99), 7:0.0} ms  {extra}"
            )
        );
}

/// <summary>The real app, quiet, without background senders.</summary>
internal sealed class BenchApp(string connectionString) : WebApplicationFactory<global::Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSolutionRelativeContentRoot("web");
        builder.ConfigureAppConfiguration(c =>
            c.AddInMemoryCollection(
                new Dictionary<string, string?>
                {
                    ["ConnectionStrings:Wijkmeldingen"] = connectionString,
                    ["Mail:Verzenden"] = "false",
                    ["Kaart:TegelUrl"] = "",
                }
            )
        );
        builder.ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning));
    }
}
