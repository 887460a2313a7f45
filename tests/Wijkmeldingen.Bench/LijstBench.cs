// Timings of the staff triage list (/beheer/meldingen) at scale: the list page's query, its count and
// its map, per filter, through the same code the page uses. This was a timed test
// (MeldingenLijstTests, "< 1500 ms at 100,000 reports"); the test now checks what the list returns
// at that size, and the speed is measured here. Run it by hand against a seeded database:
//   ConnectionStrings__Wijkmeldingen=... dotnet run -c Release --project tests/Wijkmeldingen.Bench -- lijst [--rondes 20]
using System.Diagnostics;
using System.Globalization;
using Dapper;
using Wijkmeldingen.Web.Data;
using Wijkmeldingen.Web.Features.Meldingen;

namespace Wijkmeldingen.Bench;

internal static class LijstBench
{
    /// <summary>The filters the timed test used: default, open, one category oldest first, a word,
    /// a deep page, unassigned by last change.</summary>
    public static readonly MeldingFilter[] Filters =
    [
        new(),
        new() { Status = "open" },
        new() { Rubriek = "r:jeugdoverlast", Sorteer = "oud" },
        new() { Tekst = "scooter" },
        new() { Status = "gemeld", Pagina = 20 },
        new() { Toegewezen = "niemand", Sorteer = "gewijzigd" },
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        var rondes = 20;
        for (var i = 0; i < args.Length - 1; i++)
        {
            if (args[i] == "--rondes")
            {
                rondes = int.Parse(args[++i], CultureInfo.InvariantCulture);
            }
        }
        var connectionString = Environment.GetEnvironmentVariable("ConnectionStrings__Wijkmeldingen")
            ?? throw new InvalidOperationException("Set ConnectionStrings__Wijkmeldingen (infra/wijk db-start prints it).");
        GeometryTypeHandlers.Register();
        await using var dataSource = Database.CreateDataSource(connectionString, new DatabaseOptions { Gemeente = BenchData.Gemeente });
        await using var connection = await dataSource.OpenConnectionAsync();
        var meldingen = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM melding");
        Console.WriteLine($"reports: {meldingen:N0}, PostgreSQL {connection.PostgreSqlVersion}, {Environment.ProcessorCount} cores");
        Console.WriteLine($"{"filter (list + count + map)", -70} {"p50 ms", 8} {"p99 ms", 8} {"n", 4}");
        foreach (var filter in Filters)
        {
            async Task Actie()
            {
                await MeldingenZoeken.LijstAsync(connection, filter, Guid.Empty, CancellationToken.None);
                await MeldingenZoeken.KaartAsync(connection, filter, Guid.Empty, CancellationToken.None);
            }
            await Actie(); // warm up: plans, pool, JIT
            var tijden = new List<double>();
            for (var i = 0; i < rondes; i++)
            {
                var klok = Stopwatch.StartNew();
                await Actie();
                tijden.Add(klok.Elapsed.TotalMilliseconds);
            }
            tijden.Sort();
            double P(double q) => tijden[Math.Max(0, (int)Math.Ceiling(q * tijden.Count) - 1)];
            var naam =
                (filter.AlsQuery() is { Length: > 0 } query ? query : "(default: newest first)")
                + (filter.Pagina is { } pagina ? $" page {pagina}" : "");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{naam, -70} {P(0.50), 8:0.0} {P(0.99), 8:0.0} {rondes, 4}"));
        }
        return 0;
    }
}
