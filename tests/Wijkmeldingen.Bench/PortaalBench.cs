// The portal under load, run by `infra/wijk bench` (= `Wijkmeldingen.Bench portaal ...`).
// Seeds N demo reports (default 1,000,000) when the bench database has a different number, starts
// the portal (Release, its own process) on a loopback port and measures with wrk:
//   filing   POST /open311/v2/requests.json with an API key, varied points inside Heemstede and categories
//   viewport GET /kaart/meldingen.geojson, random 600 m windows at zoom 17 (the public map)
//   hotspots GET /wijken/hotspots.geojson, the public hotspot grid (four filters)
//   wijk     GET /wijken/{wijkcode}, the wijk picture page
// After each wrk run the same SQL runs directly (Npgsql, through the feature's own query code, same
// number of concurrent clients, same duration), then, for the viewport and filing, the floor: the
// minimal query for the same answer (a bare window query; a bare insert + outbox row). The table
// prints portal/SQL and portal/floor ratios per number of connections (4 and 16 by default) and the
// web process's peak memory (VmHWM). Without wrk on the PATH a C# HTTP load generator is used.
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Dapper;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Wijkmeldingen.Web.Data;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Features.Kaart;
using Wijkmeldingen.Web.Features.Open311;
using Wijkmeldingen.Web.Features.Wijkbeeld;
using Wijkmeldingen.Web.Geo.Gebieden;

namespace Wijkmeldingen.Bench;

internal static class PortaalBench
{
    internal sealed record Meting(string Naam, int Verzoeken, double Seconden, double P50, double P99, long Fouten)
    {
        public double PerSeconde => Verzoeken / Seconden;

        /// <summary>CPU milliseconds per request in the web process (HTTP runs only).</summary>
        public double? WebCpuMs { get; init; }

        /// <summary>CPU milliseconds per request in the PostgreSQL cluster (HTTP runs only, with --pgdata).</summary>
        public double? DbCpuMs { get; init; }
    }

    /// <summary>One measurement: the portal, the feature's own SQL run directly, and (where one is
    /// defined) the floor, the minimal query for the same answer, each with the same clients.</summary>
    private sealed record Regel(string Naam, int Verbindingen, Meting Portaal, Meting Sql, Meting? Vloer, string Doel, bool? Gehaald);

    public static async Task<int> RunAsync(string[] args)
    {
        var aantal = 1_000_000;
        var duur = 15;
        int[] verbindingenLijst = [4, 16];
        string? webDll = null,
            uitvoer = null,
            pgData = null;
        var storingen = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--meldingen":
                    aantal = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--duur":
                    duur = int.Parse(args[++i].TrimEnd('s'), CultureInfo.InvariantCulture);
                    break;
                case "--verbindingen":
                    verbindingenLijst = args[++i].Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray();
                    break;
                case "--web-dll":
                    webDll = args[++i];
                    break;
                case "--uitvoer":
                    uitvoer = args[++i];
                    break;
                case "--pgdata":
                    pgData = args[++i];
                    cpuPgData = pgData;
                    break;
                case "--faults":
                    storingen = true;
                    break;
                default:
                    throw new ArgumentException($"unknown argument {args[i]}");
            }
        }
        var connectionString = Environment.GetEnvironmentVariable("ConnectionStrings__Wijkmeldingen")
            ?? throw new InvalidOperationException("Set ConnectionStrings__Wijkmeldingen (infra/wijk bench does).");
        if (webDll is null)
        {
            throw new ArgumentException("--web-dll path/to/Wijkmeldingen.Web.dll is required (infra/wijk bench passes it)");
        }

        GeometryTypeHandlers.Register();
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        var databaseOptions = new DatabaseOptions { Gemeente = BenchData.Gemeente };
        await using var dataSource = Database.CreateDataSource(connectionString, databaseOptions);
        await BenchData.ZaaiAsync(dataSource, databaseOptions, aantal);
        var invoer = await Invoer.MaakAsync(dataSource);

        var uit = new StringBuilder();
        void Schrijf(string regel)
        {
            Console.WriteLine(regel);
            uit.AppendLine(regel);
        }
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            Schrijf(
                $"machine: {Environment.ProcessorCount} cores, {Machine.Cpu()}, {Machine.GeheugenGb():0} GiB RAM, {Environment.OSVersion}; "
                    + $"PostgreSQL {connection.PostgreSqlVersion}; .NET {Environment.Version}"
            );
            var recent = await connection.ExecuteScalarAsync<long>(
                "SELECT count(*) FROM melding WHERE aangemaakt_op > now() - interval '90 days'"
            );
            Schrijf(
                $"reports: {await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM melding"):N0} "
                    + $"({recent:N0} in the last 90 days)"
            );
        }
        Schrijf($"load average at the start (1/5/15 min): {Machine.Load()}");
        var wrk = Wrk.Pad();
        Schrijf(
            $"load: {string.Join(" and ", verbindingenLijst)} concurrent connections, {duur} s per run, "
                + (wrk is null ? "C# HttpClient load generator (wrk not found)" : "wrk (2 threads)")
                + ", portal and load generator on the same machine"
        );

        // The portals serve as the app role, bound by the row-level security policies (V81), with the
        // owner (the bench's own connection) for the migrations, as in a deployment.
        var app = BenchData.AppRol(connectionString);
        var alsEigenaar = new Dictionary<string, string> { ["ConnectionStrings__WijkmeldingenEigenaar"] = connectionString };
        await using var portaal = await Portaal.StartAsync(webDll, app, alsEigenaar);
        var http = new Uri(portaal.Url);
        Schrijf($"portal: {portaal.Url} (pid {portaal.Pid}, Release, Production environment)");
        // A second portal that makes every map answer anew, to show what the kept answers save.
        await using var zonderCache = await Portaal.StartAsync(
            webDll,
            app,
            new Dictionary<string, string>(alsEigenaar) { ["Kaart__CacheSeconden"] = "0" }
        );
        // The portal's own SQL, run directly, through the same role as the portal.
        await using var sqlBron = Database.CreateDataSource(app, databaseOptions);
        Schrijf($"portal without kept map answers (Kaart:CacheSeconden=0): {zonderCache.Url} (pid {zonderCache.Pid})");

        var kaart = new PubliekOptions { Gemeente = BenchData.Gemeente };
        var maxPunten = new KaartOptions().MaxPunten;
        var wijkbeeld = Options.Create(new WijkbeeldOptions());
        var hotspots = new HotspotEngine(sqlBron, Options.Create(new HotspotOptions()));
        var cijfers = new WijkbeeldCijfers(sqlBron, wijkbeeld);

        var perPlek = new KaartOptions().MeldingenPerPlek;
        await Vloer.MaakAsync(dataSource);
        var regels = new List<Regel>();
        foreach (var verbindingen in verbindingenLijst)
        {
            // 1. Public map viewport (points from zoom 16; 17 is a street view).
            var viewportPaden = invoer
                .Vensters.Select(v =>
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"/kaart/meldingen.geojson?bbox={v.MinLon:F6},{v.MinLat:F6},{v.MaxLon:F6},{v.MaxLat:F6}&zoom=17"
                    )
                )
                .ToList();
            var viewportHttp = await LaadHttpAsync(
                wrk,
                portaal,
                "viewport",
                Wrk.GetScript(viewportPaden),
                viewportPaden,
                verbindingen,
                duur
            );
            var viewportSql = await LaadSqlAsync("viewport", verbindingen, duur, async random =>
                await KaartPlekken.AlsGeoJsonAsync(
                    sqlBron,
                    KaartFilter.Standaard,
                    invoer.Vensters[random.Next(invoer.Vensters.Count)],
                    kaart,
                    DateTimeOffset.UtcNow,
                    maxPunten,
                    perPlek,
                    "nl",
                    CancellationToken.None
                )
            );
            var viewportVloer = await LaadSqlAsync("viewport floor", verbindingen, duur, async random =>
                await Vloer.VensterAsync(dataSource, invoer.Vensters[random.Next(invoer.Vensters.Count)], maxPunten)
            );
            var viewportZonder = await LaadHttpAsync(
                wrk,
                zonderCache,
                "viewport, cache off",
                Wrk.GetScript(viewportPaden),
                viewportPaden,
                verbindingen,
                duur
            );
            regels.Add(
                new(
                    $"map viewport (GET /kaart/meldingen.geojson, {viewportPaden.Count} windows of 600 m, z17), kept answers",
                    verbindingen,
                    viewportHttp,
                    viewportSql,
                    viewportVloer,
                    "p99 <= 30 ms",
                    viewportHttp.P99 <= 30
                )
            );
            regels.Add(
                new(
                    "map viewport, every answer made anew (Kaart:CacheSeconden=0)",
                    verbindingen,
                    viewportZonder,
                    viewportSql,
                    viewportVloer,
                    "p99 <= 30 ms",
                    viewportZonder.P99 <= 30
                )
            );

            // 1b. The map's first view: counts per cell for the whole municipality (z13) and its quarters (z14).
            var overzichtVensters = new List<(PubliekeMeldingen.Bbox Vak, int Zoom)> { (invoer.Gemeente, 13) };
            var g = invoer.Gemeente;
            var (midLon, midLat) = ((g.MinLon + g.MaxLon) / 2, (g.MinLat + g.MaxLat) / 2);
            overzichtVensters.Add((g with { MaxLon = midLon, MaxLat = midLat }, 14));
            overzichtVensters.Add((g with { MinLon = midLon, MaxLat = midLat }, 14));
            overzichtVensters.Add((g with { MaxLon = midLon, MinLat = midLat }, 14));
            overzichtVensters.Add((g with { MinLon = midLon, MinLat = midLat }, 14));
            var overzichtPaden = overzichtVensters
                .Select(v =>
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"/kaart/meldingen.geojson?bbox={v.Vak.MinLon:F6},{v.Vak.MinLat:F6},"
                            + $"{v.Vak.MaxLon:F6},{v.Vak.MaxLat:F6}&zoom={v.Zoom}"
                    )
                )
                .ToList();
            var overzichtHttp = await LaadHttpAsync(
                wrk,
                portaal,
                "overview",
                Wrk.GetScript(overzichtPaden),
                overzichtPaden,
                verbindingen,
                duur
            );
            var overzichtZonder = await LaadHttpAsync(
                wrk,
                zonderCache,
                "overview, cache off",
                Wrk.GetScript(overzichtPaden),
                overzichtPaden,
                verbindingen,
                duur
            );
            var overzichtSql = await LaadSqlAsync("overview", verbindingen, duur, async random =>
            {
                var (vak, zoom) = overzichtVensters[random.Next(overzichtVensters.Count)];
                await PubliekeMeldingen.CellenAsync(
                    sqlBron,
                    KaartFilter.Standaard,
                    vak,
                    PubliekeMeldingen.CelMeters(zoom),
                    kaart,
                    DateTimeOffset.UtcNow,
                    CancellationToken.None
                );
            });
            regels.Add(
                new(
                    "map overview (cells, whole municipality z13 and quarters z14), kept answers",
                    verbindingen,
                    overzichtHttp,
                    overzichtSql,
                    null,
                    "p99 <= 30 ms",
                    overzichtHttp.P99 <= 30
                )
            );
            regels.Add(
                new(
                    "map overview, every answer made anew (Kaart:CacheSeconden=0)",
                    verbindingen,
                    overzichtZonder,
                    overzichtSql,
                    null,
                    "p99 <= 30 ms",
                    overzichtZonder.P99 <= 30
                )
            );

            // 2. Hotspot grid, the public filters of the map on /wijken.
            string[] hotspotQueries = ["", "?thema=overlast", "?thema=verkeer", "?status=open"];
            var hotspotPaden = hotspotQueries.Select(q => "/wijken/hotspots.geojson" + q).ToList();
            var hotspotHttp = await LaadHttpAsync(wrk, portaal, "hotspots", Wrk.GetScript(hotspotPaden), hotspotPaden, verbindingen, duur);
            var hotspotFilters = hotspotQueries
                .Select(q =>
                {
                    var context = new DefaultHttpContext();
                    context.Request.QueryString = new QueryString(q.Length == 0 ? null : q);
                    return WijkenExports.PubliekFilter(context.Request, wijkbeeld.Value, TimeProvider.System);
                })
                .ToList();
            var hotspotSql = await LaadSqlAsync("hotspots", verbindingen, duur, async random =>
                await hotspots.BerekenAsync(hotspotFilters[random.Next(hotspotFilters.Count)], metGeometrie: true)
            );
            regels.Add(
                new(
                    "hotspot grid (GET /wijken/hotspots.geojson)",
                    verbindingen,
                    hotspotHttp,
                    hotspotSql,
                    null,
                    "p99 <= 50 ms",
                    hotspotHttp.P99 <= 50
                )
            );

            // 3. A wijk picture page (default period: the last complete quarter vs the one before).
            var wijkPaden = invoer.Wijken.Select(w => "/wijken/" + w).ToList();
            var wijkHttp = await LaadHttpAsync(wrk, portaal, "wijk", Wrk.GetScript(wijkPaden), wijkPaden, verbindingen, duur);
            var periode = WijkenExports.LeesPeriode(new DefaultHttpContext().Request, TimeProvider.System);
            var wijkSql = await LaadSqlAsync("wijk", verbindingen, duur, async random =>
            {
                var wijk = invoer.Wijken[random.Next(invoer.Wijken.Count)];
                await cijfers.LaadAsync(wijk, periode, publiek: true);
                await using var connection = await sqlBron.OpenConnectionAsync();
                // The page's two small queries (stories, perceived safety), as in Wijk.cshtml.cs.
                await connection.QueryAsync(
                    """
                    SELECT titel, tekst FROM wijk_verhaal
                    WHERE wijk_code = @wijk AND gepubliceerd_op IS NOT NULL AND van <= @tot AND tot >= @van ORDER BY van DESC
                    """,
                    new
                    {
                        wijk,
                        van = periode.Van,
                        tot = periode.Tot,
                    }
                );
                await connection.QueryAsync(
                    """
                    SELECT DISTINCT ON (b.indicator) b.indicator, b.jaar, b.waarde, v.waarde
                    FROM wijk_beleving b
                    LEFT JOIN wijk_beleving v ON v.wijk_code = b.wijk_code AND v.indicator = b.indicator AND v.jaar = b.jaar - 1
                    WHERE b.wijk_code = @wijk AND b.jaar <= @jaar ORDER BY b.indicator, b.jaar DESC
                    """,
                    new { wijk, jaar = periode.Tot.Year }
                );
            });
            regels.Add(
                new(
                    "wijk picture page (GET /wijken/{wijkcode})",
                    verbindingen,
                    wijkHttp,
                    wijkSql,
                    null,
                    "p99 <= 100 ms",
                    wijkHttp.P99 <= 100
                )
            );

            // 4. Filing through the API (last: it adds reports). The SQL side checks the key and stores
            // the report as the endpoint does (MeldingOpslaan in one transaction).
            var filingHttp = await LaadHttpAsync(wrk, portaal, "filing", Wrk.FilingScript(invoer), null, verbindingen, duur);
            var sleutelSql = await ApiSleutels.MaakAsync(sqlBron, $"bench-sql-{verbindingen}");
            var filingSql = await LaadSqlAsync("filing", verbindingen, duur, async random =>
            {
                var (lat, lon) = invoer.Punten[random.Next(invoer.Punten.Count)];
                var sleutelId = await ApiSleutels.ControleerAsync(sqlBron, sleutelSql, CancellationToken.None)
                    ?? throw new InvalidOperationException("bench API key not found");
                await MeldingOpslaan.UitvoerenAsync(
                    sqlBron,
                    new MeldingOpslaan.Opdracht(
                        Guid.NewGuid(),
                        invoer.Rubrieken[random.Next(invoer.Rubrieken.Count)],
                        $"Bench-melding via SQL {random.Next()}",
                        lat,
                        lon,
                        null,
                        null,
                        null,
                        null,
                        [],
                        [],
                        Bron: "api",
                        ApiSleutelId: sleutelId
                    ),
                    null,
                    CancellationToken.None
                );
            });
            var filingVloer = await LaadSqlAsync("filing floor", verbindingen, duur, async random =>
                await Vloer.InvoegenAsync(dataSource, invoer.Punten[random.Next(invoer.Punten.Count)])
            );
            regels.Add(
                new(
                    "filing a report (POST /open311/v2/requests.json)",
                    verbindingen,
                    filingHttp,
                    filingSql,
                    filingVloer,
                    ">= 1500 reports/s",
                    filingHttp.PerSeconde >= 1500
                )
            );
        }
        var piek = portaal.PiekGeheugenMb();
        var cpu = portaal.CpuSeconden();

        Schrijf("");
        Schrijf(
            $"| {"measurement", -56} | {"conn", 4} | {"portal p50 / p99 ms", 19} | {"portal /s", 9} | {"SQL p50 / p99 ms", 17} "
                + $"| {"floor p50 / p99 ms", 18} | {"floor /s", 8} | {"portal/SQL p99", 14} | {"portal/floor p99", 16} "
                + $"| {"target", 17} | {"met", 3} |"
        );
        Schrijf(
            $"|{new string('-', 58)}|------|{new string('-', 21)}|{new string('-', 11)}|{new string('-', 19)}"
                + $"|{new string('-', 20)}|{new string('-', 10)}|{new string('-', 16)}|{new string('-', 18)}|{new string('-', 19)}|-----|"
        );
        foreach (var r in regels)
        {
            var vloer = r.Vloer is null
                ? $"{"-", 18}"
                : string.Create(CultureInfo.InvariantCulture, $"{r.Vloer.P50, 8:0.0} / {r.Vloer.P99, 7:0.0}");
            var vloerPs = r.Vloer is null ? $"{"-", 8}" : string.Create(CultureInfo.InvariantCulture, $"{r.Vloer.PerSeconde, 8:0}");
            var naarVloer = r.Vloer is null
                ? $"{"-", 16}"
                : string.Create(CultureInfo.InvariantCulture, $"{r.Portaal.P99 / r.Vloer.P99, 16:0.00}");
            Schrijf(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"| {r.Naam, -56} | {r.Verbindingen, 4} "
                        + $"| {r.Portaal.P50, 8:0.0} / {r.Portaal.P99, 7:0.0} | {r.Portaal.PerSeconde, 9:0} "
                        + $"| {r.Sql.P50, 7:0.0} / {r.Sql.P99, 7:0.0} | {vloer} | {vloerPs} | {r.Portaal.P99 / r.Sql.P99, 14:0.00} "
                        + $"| {naarVloer} | {r.Doel, 17} | {(r.Gehaald is null ? "" : r.Gehaald.Value ? "yes" : "NO"), 3} |"
                )
            );
        }
        Schrijf(
            string.Create(
                CultureInfo.InvariantCulture,
                $"| {"web process peak memory (VmHWM)", -56} | {"", 4} | {piek, 12:0} MB {"", 3} | {"", 9} | {"", 17} | {"", 18} "
                    + $"| {"", 8} | {"", 14} | {"", 16} | {"<= 300 MB", 17} | {(piek <= 300 ? "yes" : "NO"), 3} |"
            )
        );
        Schrijf("");
        Schrijf("Where the time went: CPU per request of the portal's HTTP runs (the web process, and the whole PostgreSQL cluster),");
        Schrijf("and the request rate those two alone would allow on this machine's cores if nothing else ran (the load generator");
        Schrijf("shares the cores in this run).");
        Schrijf("");
        Schrijf(
            $"| {"measurement", -56} | {"conn", 4} | {"web CPU ms/req", 14} | {"PostgreSQL CPU ms/req", 21} | {"CPU-bound max /s", 16} |"
        );
        Schrijf($"|{new string('-', 58)}|------|{new string('-', 16)}|{new string('-', 23)}|{new string('-', 18)}|");
        foreach (var r in regels.Where(r => r.Portaal.WebCpuMs is not null))
        {
            var web = r.Portaal.WebCpuMs!.Value;
            var db = r.Portaal.DbCpuMs;
            var max = Environment.ProcessorCount * 1000 / (web + (db ?? 0));
            Schrijf(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"| {r.Naam, -56} | {r.Verbindingen, 4} | {web, 14:0.00} "
                        + $"| {(db is null ? "-" : db.Value.ToString("0.00", CultureInfo.InvariantCulture)), 21} | {max, 16:0} |"
                )
            );
        }
        Schrijf("");
        foreach (var r in regels.Where(r => r.Portaal.Fouten > 0 || r.Sql.Fouten > 0))
        {
            Schrijf($"errors in '{r.Naam}': portal {r.Portaal.Fouten} non-2xx or failed, SQL {r.Sql.Fouten} failed");
        }
        Schrijf(
            string.Create(
                CultureInfo.InvariantCulture,
                $"portal CPU time over the whole run: {cpu:0} s; load average at the end (1/5/15 min): {Machine.Load()}"
            )
        );

        if (storingen)
        {
            if (pgData is null)
            {
                throw new ArgumentException("--faults needs --pgdata (the bench cluster's data folder; infra/wijk bench passes it)");
            }
            Schrijf("");
            await StoringBench.RunAsync(http, connectionString, pgData, invoer, verbindingenLijst[0], Schrijf);
        }

        if (uitvoer is not null)
        {
            await File.WriteAllTextAsync(uitvoer, uit.ToString());
            Console.WriteLine($"written to {uitvoer}");
        }
        return 0;
    }

    /// <summary>The bench cluster's data folder (from --pgdata), for PostgreSQL's CPU time per request.</summary>
    private static string? cpuPgData;

    /// <summary>One HTTP run against a portal, with the CPU time the portal process and the PostgreSQL
    /// cluster spent on it per request: on a machine shared with the load generator, latency says how
    /// busy the machine was, CPU per request says where the work is (and what 2 cores could do at most).</summary>
    private static async Task<Meting> LaadHttpAsync(
        string? wrk,
        Portaal portaal,
        string naam,
        string script,
        List<string>? paden,
        int verbindingen,
        int duur
    )
    {
        var voor = (Web: portaal.CpuSeconden(), Db: Cpu.PostgreSqlSeconden(cpuPgData));
        var meting = await LaadHttpZonderCpuAsync(wrk, new Uri(portaal.Url), naam, script, paden, verbindingen, duur);
        var na = (Web: portaal.CpuSeconden(), Db: Cpu.PostgreSqlSeconden(cpuPgData));
        var totaal = Math.Max(1, meting.Verzoeken + 5); // the five warm-up requests are in the CPU time too
        return meting with
        {
            WebCpuMs = (na.Web - voor.Web) * 1000 / totaal,
            DbCpuMs = voor.Db is null || na.Db is null ? null : (na.Db - voor.Db) * 1000 / totaal,
        };
    }

    private static async Task<Meting> LaadHttpZonderCpuAsync(
        string? wrk,
        Uri basis,
        string naam,
        string script,
        List<string>? paden,
        int verbindingen,
        int duur
    )
    {
        Console.Error.WriteLine($"  portal: {naam} ({duur} s)...");
        if (wrk is not null)
        {
            return await Wrk.RunAsync(wrk, basis, naam, script, verbindingen, duur);
        }
        if (paden is null)
        {
            throw new InvalidOperationException("the filing benchmark needs wrk (apt-get install wrk)");
        }
        using var client = new HttpClient { BaseAddress = basis };
        return await Last.RunAsync(naam, verbindingen, duur, async random =>
        {
            using var antwoord = await client.GetAsync(paden[random.Next(paden.Count)]);
            await antwoord.Content.ReadAsByteArrayAsync();
            antwoord.EnsureSuccessStatusCode();
        });
    }

    private static Task<Meting> LaadSqlAsync(string naam, int verbindingen, int duur, Func<Random, Task> actie)
    {
        Console.Error.WriteLine($"  SQL: {naam} ({duur} s)...");
        return Last.RunAsync(naam, verbindingen, duur, actie);
    }

    /// <summary>Closed-loop load: <c>clients</c> tasks each run the action back to back for the duration.</summary>
    internal static class Last
    {
        public static async Task<Meting> RunAsync(string naam, int clients, int seconden, Func<Random, Task> actie)
        {
            // Warm up: plans, pool, JIT.
            var warm = new Random(1);
            for (var i = 0; i < 5; i++)
            {
                await actie(warm);
            }
            var einde = Stopwatch.GetTimestamp() + (long)(seconden * Stopwatch.Frequency);
            long fouten = 0;
            var start = Stopwatch.StartNew();
            var lijsten = await Task.WhenAll(
                Enumerable
                    .Range(0, clients)
                    .Select(async c =>
                    {
                        var random = new Random(c + 7);
                        var tijden = new List<double>();
                        while (Stopwatch.GetTimestamp() < einde)
                        {
                            var klok = Stopwatch.StartNew();
                            try
                            {
                                await actie(random);
                                tijden.Add(klok.Elapsed.TotalMilliseconds);
                            }
                            catch (Exception e) when (e is NpgsqlException or HttpRequestException or InvalidOperationException)
                            {
                                Interlocked.Increment(ref fouten);
                            }
                        }
                        return tijden;
                    })
            );
            var alle = lijsten.SelectMany(t => t).Order().ToList();
            return new Meting(naam, alle.Count, start.Elapsed.TotalSeconds, Percentiel(alle, 50), Percentiel(alle, 99), fouten);
        }

        private static double Percentiel(List<double> gesorteerd, double p) =>
            gesorteerd.Count == 0
                ? double.NaN
                : gesorteerd[(int)Math.Min(gesorteerd.Count - 1, Math.Max(0, Math.Ceiling(p / 100 * gesorteerd.Count) - 1))];
    }

    /// <summary>What the load generators send: valid points, categories, windows, wijken and a key.</summary>
    internal sealed record Invoer(
        string ApiSleutel,
        List<string> Rubrieken,
        List<(double Lat, double Lon)> Punten,
        List<PubliekeMeldingen.Bbox> Vensters,
        List<string> Wijken,
        PubliekeMeldingen.Bbox Gemeente
    )
    {
        public static async Task<Invoer> MaakAsync(NpgsqlDataSource dataSource)
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            var sleutel = await ApiSleutels.MaakAsync(
                dataSource,
                "bench-" + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture)
            );
            var rubrieken = (await connection.QueryAsync<string>("SELECT code FROM rubriek WHERE actief ORDER BY code")).AsList();
            // Random points inside the buurten (the trigger refuses anything outside them), fixed seed.
            var punten = (
                await connection.QueryAsync<(double Lat, double Lon)>(
                    """
                    SELECT ST_Y(p), ST_X(p) FROM (
                        SELECT ST_Transform((ST_Dump(ST_GeneratePoints(ST_Buffer(ST_Union(geom), -5), 2000, 397))).geom, 4326) AS p
                        FROM buurt) s
                    """
                )
            ).AsList();
            // Random 600 m windows centred on random report locations (where people look).
            var vensters = (
                await connection.QueryAsync<(double MinLon, double MinLat, double MaxLon, double MaxLat)>(
                    """
                    SELECT ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b)
                    FROM (
                        SELECT ST_Transform(ST_Expand(locatie, 300), 4326) AS b
                        FROM melding TABLESAMPLE SYSTEM (1) REPEATABLE (397) LIMIT 300) s
                    """
                )
            ).Select(v => new PubliekeMeldingen.Bbox(v.MinLon, v.MinLat, v.MaxLon, v.MaxLat)).ToList();
            var wijken = (await connection.QueryAsync<string>("SELECT code FROM wijk ORDER BY code")).AsList();
            var gemeente = await connection.QuerySingleAsync<(double MinLon, double MinLat, double MaxLon, double MaxLat)>(
                """
                SELECT ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b)
                FROM (SELECT ST_Transform(ST_SetSRID(ST_Extent(geom)::geometry, 28992), 4326) AS b FROM buurt) s
                """
            );
            return new Invoer(
                sleutel,
                rubrieken,
                punten,
                vensters,
                wijken,
                new PubliekeMeldingen.Bbox(gemeente.MinLon, gemeente.MinLat, gemeente.MaxLon, gemeente.MaxLat)
            );
        }
    }

    /// <summary>The portal as its own process: `dotnet Wijkmeldingen.Web.dll` in Release, as infra/wijk run starts it.</summary>
    internal sealed class Portaal : IAsyncDisposable
    {
        private readonly Process process;

        private Portaal(Process process, string url)
        {
            this.process = process;
            Url = url;
        }

        public string Url { get; }

        public int Pid => process.Id;

        public static async Task<Portaal> StartAsync(
            string webDll,
            string connectionString,
            IReadOnlyDictionary<string, string>? instellingen = null
        )
        {
            var poort = VrijePoort();
            var url = $"http://127.0.0.1:{poort}";
            var start = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = Environment.GetEnvironmentVariable("WIJK_WEB_DIR") ?? Path.GetDirectoryName(webDll)!,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            start.ArgumentList.Add(webDll);
            start.ArgumentList.Add("--urls");
            start.ArgumentList.Add(url);
            start.Environment["ConnectionStrings__Wijkmeldingen"] = connectionString;
            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
            start.Environment["Mail__Verzenden"] = "false";
            start.Environment["Kaart__TegelUrl"] = "";
            // The API's per-key and per-client limits protect a live portal; the benchmark is one client.
            start.Environment["Open311__PerSleutelPerMinuut"] = "100000000";
            start.Environment["Open311__PerClientPerMinuut"] = "100000000";
            start.Environment["Logging__LogLevel__Default"] = "Warning";
            foreach (var (naam, waarde) in instellingen ?? new Dictionary<string, string>())
            {
                start.Environment[naam] = waarde;
            }
            var process = Process.Start(start)!;
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is { Length: > 0 })
                {
                    Console.Error.WriteLine("  [portal] " + e.Data);
                }
            };
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is { Length: > 0 })
                {
                    Console.Error.WriteLine("  [portal] " + e.Data);
                }
            };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            var klok = Stopwatch.StartNew();
            while (true)
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"the portal exited with {process.ExitCode}");
                }
                try
                {
                    if ((await client.GetAsync(url + "/health")).IsSuccessStatusCode)
                    {
                        break;
                    }
                }
                catch (HttpRequestException) { }
                if (klok.Elapsed > TimeSpan.FromMinutes(3))
                {
                    throw new TimeoutException("the portal did not become healthy within 3 minutes");
                }
                await Task.Delay(250);
            }
            return new Portaal(process, url);
        }

        /// <summary>Peak resident memory of the web process (VmHWM), in MB.</summary>
        public double PiekGeheugenMb() => Status("VmHWM:") / 1024.0;

        public double CpuSeconden()
        {
            process.Refresh();
            return process.TotalProcessorTime.TotalSeconds;
        }

        private long Status(string veld)
        {
            foreach (var regel in File.ReadLines($"/proc/{process.Id}/status"))
            {
                if (regel.StartsWith(veld, StringComparison.Ordinal))
                {
                    return long.Parse(regel[veld.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                }
            }
            return 0;
        }

        public async ValueTask DisposeAsync()
        {
            if (!process.HasExited)
            {
                process.Kill();
                await process.WaitForExitAsync();
            }
            process.Dispose();
        }

        private static int VrijePoort()
        {
            using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
            listener.Start();
            var poort = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            return poort;
        }
    }

    /// <summary>wrk with a Lua script per scenario; done() prints one parseable line.</summary>
    internal static class Wrk
    {
        private const string Done = """
            local threads = {}
            function setup(thread)
              table.insert(threads, thread)
              thread:set("tid", #threads)
            end
            function init(args)
              math.randomseed(os.time() * 1000 + (tid or 0))
            end
            function done(summary, latency, requests)
              local e = summary.errors
              io.write(string.format("WRK-RESULT %d %d %.1f %.1f %d\n", summary.requests, summary.duration,
                latency:percentile(50), latency:percentile(99), e.status + e.connect + e.read + e.write + e.timeout))
            end

            """;

        public static string? Pad()
        {
            foreach (var map in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
            {
                var pad = Path.Combine(map, "wrk");
                if (map.Length > 0 && File.Exists(pad))
                {
                    return pad;
                }
            }
            return null;
        }

        private static string Lua(string tekst) =>
            "\"" + tekst.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

        public static string GetScript(List<string> paden) =>
            Done
            + "local paden = {"
            + string.Join(",\n", paden.Select(Lua))
            + "}\n"
            + """
                function request()
                  return wrk.format("GET", paden[math.random(#paden)])
                end

                """;

        public static string FilingScript(Invoer invoer) =>
            Done
            + $"local sleutel = {Lua(invoer.ApiSleutel)}\n"
            + "local codes = {"
            + string.Join(",", invoer.Rubrieken.Select(Lua))
            + "}\n"
            + "local punten = {"
            + string.Join(",\n", invoer.Punten.Select(p => string.Create(CultureInfo.InvariantCulture, $"{{{p.Lat:R},{p.Lon:R}}}")))
            + "}\n"
            + """
                local teller = 0
                local woorden = {"auto", "op", "de", "stoep", "fietsen", "in", "de", "weg",
                  "jongeren", "bij", "het", "plein", "te", "hard", "gereden"}
                function request()
                  teller = teller + 1
                  local p = punten[math.random(#punten)]
                  local tekst = "Bench melding " .. (tid or 0) .. "-" .. teller
                  for i = 1, 6 do tekst = tekst .. "+" .. woorden[math.random(#woorden)] end
                  local body = "api_key=" .. sleutel .. "&service_code=" .. codes[math.random(#codes)] ..
                    string.format("&lat=%.6f&long=%.6f", p[1], p[2]) .. "&description=" .. tekst
                  return wrk.format("POST", "/open311/v2/requests.json", {["Content-Type"] = "application/x-www-form-urlencoded"}, body)
                end

                """;

        public static async Task<Meting> RunAsync(string wrk, Uri basis, string naam, string script, int verbindingen, int duur)
        {
            var bestand = Path.Combine(Path.GetTempPath(), $"wijk-bench-{naam}-{Environment.ProcessId}.lua");
            await File.WriteAllTextAsync(bestand, script);
            try
            {
                // A short warm-up run first (JIT, plans, connection pool), then the measured run.
                await DraaiAsync(wrk, basis, bestand, verbindingen, 3);
                var (uitvoer, code) = await DraaiAsync(wrk, basis, bestand, verbindingen, duur);
                var regel = uitvoer.Split('\n').FirstOrDefault(r => r.StartsWith("WRK-RESULT ", StringComparison.Ordinal))
                    ?? throw new InvalidOperationException($"wrk exited with {code} without a result:\n{uitvoer}");
                var d = regel.Split(' ');
                var verzoeken = int.Parse(d[1], CultureInfo.InvariantCulture);
                return new Meting(
                    naam,
                    verzoeken,
                    long.Parse(d[2], CultureInfo.InvariantCulture) / 1e6,
                    double.Parse(d[3], CultureInfo.InvariantCulture) / 1000,
                    double.Parse(d[4], CultureInfo.InvariantCulture) / 1000,
                    long.Parse(d[5], CultureInfo.InvariantCulture)
                );
            }
            finally
            {
                File.Delete(bestand);
            }
        }

        private static async Task<(string Uitvoer, int Code)> DraaiAsync(string wrk, Uri basis, string script, int verbindingen, int duur)
        {
            var start = new ProcessStartInfo(wrk) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (
                var arg in new[]
                {
                    "-t",
                    Math.Min(2, verbindingen).ToString(CultureInfo.InvariantCulture),
                    "-c",
                    verbindingen.ToString(CultureInfo.InvariantCulture),
                    "-d",
                    $"{duur}s",
                    "--timeout",
                    "10s",
                    "-s",
                    script,
                    basis.ToString().TrimEnd('/'),
                }
            )
            {
                start.ArgumentList.Add(arg);
            }
            using var process = Process.Start(start)!;
            var uit = process.StandardOutput.ReadToEndAsync();
            var fout = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (await uit + await fout, process.ExitCode);
        }
    }

    /// <summary>CPU time of a PostgreSQL cluster from /proc: the postmaster (with the children it
    /// reaped) and every live backend and worker it started.</summary>
    internal static class Cpu
    {
        private const double TicksPerSeconde = 100; // USER_HZ on Linux

        public static double? PostgreSqlSeconden(string? pgData)
        {
            var pidBestand = pgData is null ? null : Path.Combine(pgData, "postmaster.pid");
            if (pidBestand is null || !File.Exists(pidBestand) || !Directory.Exists("/proc"))
            {
                return null;
            }
            var postmaster = int.Parse(File.ReadLines(pidBestand).First().Trim(), CultureInfo.InvariantCulture);
            long ticks = 0;
            foreach (var map in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(map), out var pid) || Velden(pid) is not { } v)
                {
                    continue;
                }
                // Fields after the command name: [1] ppid, [11] utime, [12] stime, [13] cutime, [14] cstime.
                if (pid == postmaster)
                {
                    ticks += v[11] + v[12] + v[13] + v[14];
                }
                else if (v[1] == postmaster)
                {
                    ticks += v[11] + v[12];
                }
            }
            return ticks / TicksPerSeconde;
        }

        private static long[]? Velden(int pid)
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                // The command name is in parentheses and may hold spaces: the fields start after the last ')'.
                return stat[(stat.LastIndexOf(')') + 2)..]
                    .Split(' ')
                    .Select(v => long.TryParse(v, CultureInfo.InvariantCulture, out var getal) ? getal : 0)
                    .ToArray();
            }
            catch (IOException)
            {
                return null; // the process ended meanwhile
            }
            catch (UnauthorizedAccessException)
            {
                return null;
            }
        }
    }

    internal static class Machine
    {
        public static string Cpu() =>
            File.Exists("/proc/cpuinfo")
                ? File.ReadLines("/proc/cpuinfo")
                    .FirstOrDefault(r => r.StartsWith("model name", StringComparison.Ordinal))
                    ?.Split(':', 2)[1]
                    .Trim()
                    ?? "?"
                : "?";

        /// <summary>The machine's run queue: above the core count, other work competes with the benchmark.</summary>
        public static string Load() =>
            File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

        public static double GeheugenGb() =>
            File.Exists("/proc/meminfo")
                ? long.Parse(
                    File.ReadLines("/proc/meminfo").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1],
                    CultureInfo.InvariantCulture
                )
                    / 1024.0
                    / 1024.0
                : 0;
    }
}

/// <summary>Seeding shared by the benchmarks: N demo reports when the count differs, then the rollups.</summary>
internal static class BenchData
{
    /// <summary>The municipality the bench's connections work for (wijk.gemeente): the demo profile's,
    /// which the portal under test serves; WIJK_BENCH_GEMEENTE changes it.</summary>
    /// <summary>The connection string the portal and its own SQL use: the app role when
    /// WIJK_BENCH_APP_ROL names it (infra/wijk bench makes it), else the bench's own.</summary>
    public static string AppRol(string connectionString) =>
        Environment.GetEnvironmentVariable("WIJK_BENCH_APP_ROL") is { Length: > 0 } rol
            ? new NpgsqlConnectionStringBuilder(connectionString) { Username = rol }.ConnectionString
            : connectionString;

    public static string Gemeente => Environment.GetEnvironmentVariable("WIJK_BENCH_GEMEENTE") is { Length: > 0 } code ? code : "GM0397";

    public static async Task ZaaiAsync(NpgsqlDataSource dataSource, DatabaseOptions options, int aantal)
    {
        await new DatabaseMigrator(dataSource, Options.Create(options), NullLogger<DatabaseMigrator>.Instance).MigrateAsync();
        // The demo municipality's areas (db/seed/gebieden), through the `gemeente` import, when none are loaded.
        await new GebiedenImport(dataSource, NullLogger<GebiedenImport>.Instance).ImportAlsLeegAsync(
            Path.Combine(DatabaseMigrator.ScriptsRoot(options), "seed", "gebieden", "heemstede-GM0397.gpkg")
        );
        await using var connection = await dataSource.OpenConnectionAsync();
        var aanwezig = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM melding WHERE is_demo");
        if (aanwezig != aantal)
        {
            Console.WriteLine($"seeding {aantal:N0} demo reports (a few minutes for a million)...");
            var klok = Stopwatch.StartNew();
            await new DemoSeeder(dataSource, Options.Create(options), NullLogger<DemoSeeder>.Instance).VulAsync(
                aantal,
                opnieuw: true,
                voortgang: Voortgang.OpConsole("seed")
            );
            Console.WriteLine($"seeded in {klok.Elapsed.TotalSeconds:0} s");
        }
        // Rollups of the months the seed touched (what the portal's timer would do first).
        var verversen = new WijkbeeldVerversen(
            dataSource,
            Options.Create(new WijkbeeldOptions()),
            Options.Create(new HotspotOptions()),
            NullLogger<WijkbeeldVerversen>.Instance
        );
        var rollup = Stopwatch.StartNew();
        var maanden = await verversen.VerversAsync();
        if (maanden > 0)
        {
            Console.WriteLine($"rollups of {maanden} months rebuilt in {rollup.Elapsed.TotalSeconds:0.0} s");
            await connection.ExecuteAsync("VACUUM ANALYZE melding; ANALYZE wijkbeeld_maand; ANALYZE hotspot_maand; ANALYZE hotspot_cel");
        }
    }
}
