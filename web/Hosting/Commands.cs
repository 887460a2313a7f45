using System.Globalization;
using Wijkmeldingen.Web.Data;
using Wijkmeldingen.Web.Geo.Gebieden;
using Wijkmeldingen.Web.Geo.Geocoding;

namespace Wijkmeldingen.Web.Hosting;

/// <summary>A command-line verb of the web app that a feature owns (infra/wijk calls it): registered
/// by the feature with <see cref="Commands.AddCommando"/>, found here by its name.</summary>
public sealed record Commando(string Naam, Func<IServiceProvider, string[], Task<int>> RunAsync);

/// <summary>
/// Command-line verbs of the web app, used by infra/wijk. Each first applies the migrations, then
/// does its work and exits. The shared parts' own verbs are here:
///   migrate                              apply db/ migrations and reference data, then exit
///   seed [--meldingen N] [--opnieuw] [--url URL]
///                                        add N demo reports and every feature's demo step unless
///                                        demo data exists (refused in Production); prints the demo sign-in
///   import-adressen FILE.csv             upsert the BAG address extract in FILE.csv
///   gemeente GMxxxx --bron FILE.gpkg [--opruimen]
///                                        replace the areas with one municipality's from the CBS
///                                        Wijk- en Buurtkaart (docs/geodata.md)
/// Features add theirs (e.g. Open311's api-sleutel, the back office's beheerder-maken).
/// </summary>
public static class Commands
{
    public static IServiceCollection AddCommando(
        this IServiceCollection services,
        string naam,
        Func<IServiceProvider, string[], Task<int>> runAsync
    ) => services.AddSingleton(new Commando(naam, runAsync));

    public static bool IsCommand(WebApplication app, string[] args)
    {
        ArgumentNullException.ThrowIfNull(app);
        return args is ["migrate", ..] or ["seed", ..] or ["import-adressen", ..] or ["gemeente", ..]
            || (args is [var verb, ..] && app.Services.GetServices<Commando>().Any(c => c.Naam == verb));
    }

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(args);
        await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(Voortgang.OpConsole("migrate"));
        return args[0] switch
        {
            "migrate" => 0,
            "seed" => await SeedAsync(app, args),
            "import-adressen" => await ImportAdressenAsync(app, args),
            "gemeente" => await GemeenteAsync(app.Services, args),
            var verb => await app.Services.GetServices<Commando>().First(c => c.Naam == verb).RunAsync(app.Services, args),
        };
    }

    private static async Task<int> SeedAsync(WebApplication app, string[] args)
    {
        var aantal = 5000;
        var opnieuw = false;
        string? url = null;
        for (var i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--meldingen"
                    when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var n):
                    aantal = n;
                    i++;
                    break;
                case "--opnieuw":
                    opnieuw = true;
                    break;
                case "--url" when i + 1 < args.Length && Uri.TryCreate(args[i + 1], UriKind.Absolute, out _):
                    url = args[i + 1].TrimEnd('/');
                    i++;
                    break;
                default:
                    await Console.Error.WriteLineAsync($"seed: unknown argument '{args[i]}' (use --meldingen N, --opnieuw, --url URL)");
                    return 2;
            }
        }
        if (!app.Environment.IsProduction() && await DemoGebiedenAsync(app.Services) is { } fout)
        {
            return fout;
        }
        var seeder = app.Services.GetRequiredService<DemoSeeder>();
        DemoResultaat resultaat;
        try
        {
            resultaat = await seeder.VulAsync(aantal, opnieuw, voortgang: Voortgang.OpConsole("seed"));
        }
        catch (DemoGeweigerdException exception)
        {
            await Console.Error.WriteLineAsync($"seed: refused in the {app.Environment.EnvironmentName} environment. {exception.Message}");
            return 2;
        }
        Console.WriteLine(
            resultaat.Meldingen > 0
                ? $"seed: {resultaat.Meldingen} demo reports added"
                : "seed: demo reports already present (or none asked for), no reports added"
        );
        foreach (var (stap, rijen) in resultaat.Stappen)
        {
            Console.WriteLine(rijen > 0 ? $"seed: {stap}: {rijen} demo rows added" : $"seed: {stap}: demo data already present");
        }
        foreach (var regel in seeder.Stappen.SelectMany(s => s.Aanwijzingen))
        {
            Console.WriteLine(regel.Replace("{url}", url ?? "", StringComparison.Ordinal));
        }
        return 0;
    }

    /// <summary>No areas loaded yet: import the demo municipality's (Database:DemoGebieden) through the
    /// `gemeente` import. Returns an exit code when that fails, else null.</summary>
    private static async Task<int?> DemoGebiedenAsync(IServiceProvider services)
    {
        var options = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<DatabaseOptions>>().Value;
        if (string.IsNullOrWhiteSpace(options.DemoGebieden))
        {
            return null;
        }
        var bestand = Path.Combine(DatabaseMigrator.ScriptsRoot(options), options.DemoGebieden);
        try
        {
            if (await services.GetRequiredService<GebiedenImport>().ImportAlsLeegAsync(bestand) is { } r)
            {
                Console.WriteLine(
                    $"seed: no areas were loaded: imported {r.GemeenteCode} {r.GemeenteNaam} from {Path.GetFileName(bestand)}"
                        + $" ({r.Wijken} wijken, {r.Buurten} buurten); another municipality: infra/wijk gemeente GMxxxx --bron FILE.gpkg"
                );
            }
            return null;
        }
        catch (GebiedenImportException exception)
        {
            await Console.Error.WriteLineAsync("seed: the demo areas (Database:DemoGebieden) could not be imported. " + exception.Message);
            return 2;
        }
    }

    private static async Task<int> ImportAdressenAsync(WebApplication app, string[] args)
    {
        if (args is not [_, var file] || !File.Exists(file))
        {
            await Console.Error.WriteLineAsync(
                args is [_, var missing]
                    ? $"import-adressen: file not found: {missing}"
                    : "import-adressen: give one CSV file (columns " + string.Join(',', AdresImport.Kolommen) + ")"
            );
            return 2;
        }
        AdresImportResultaat result;
        try
        {
            result = await app.Services.GetRequiredService<AdresImport>().ImportAsync(file, Voortgang.OpConsole("import-adressen"));
        }
        catch (InvalidDataException exception)
        {
            await Console.Error.WriteLineAsync("import-adressen: " + exception.Message);
            return 2;
        }
        foreach (var fout in result.Fouten)
        {
            await Console.Error.WriteLineAsync("import-adressen: skipped " + fout);
        }
        Console.WriteLine(
            $"import-adressen: {result.Gelezen} rows read, {result.Toegevoegd} added, {result.Bijgewerkt} updated, "
                + $"{result.BuitenGemeente} skipped outside the municipality, {result.Dubbel} duplicate, {result.Ongeldig} invalid"
        );
        return 0;
    }

    /// <summary>`gemeente GMxxxx --bron FILE.gpkg [--opruimen]`: exit 0 with what was imported, 2 when
    /// refused (bad arguments, unreadable file, code not in the file, data that would be orphaned).</summary>
    public static async Task<int> GemeenteAsync(IServiceProvider services, string[] args)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(args);
        string? code = null;
        string? bron = null;
        var opruimen = false;
        for (var i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--bron" when i + 1 < args.Length:
                    bron = args[++i];
                    break;
                case "--opruimen":
                    opruimen = true;
                    break;
                case var woord when code is null && !woord.StartsWith("--", StringComparison.Ordinal):
                    code = woord;
                    break;
                default:
                    await Console.Error.WriteLineAsync($"gemeente: unknown argument '{args[i]}'");
                    code = null;
                    bron = null;
                    i = args.Length;
                    break;
            }
        }
        if (code is null || bron is null)
        {
            await Console.Error.WriteLineAsync(
                "gemeente: usage: gemeente GMxxxx --bron wijkenbuurten_JJJJ_vN.gpkg [--opruimen] (CBS Wijk- en Buurtkaart, docs/geodata.md)"
            );
            return 2;
        }
        GebiedenImportResultaat r;
        try
        {
            r = await services.GetRequiredService<GebiedenImport>().ImportAsync(bron, code, opruimen);
        }
        catch (GebiedenImportException exception)
        {
            await Console.Error.WriteLineAsync("gemeente: refused, nothing changed. " + exception.Message);
            return 2;
        }
        var nl = CultureInfo.GetCultureInfo("nl-NL");
        Console.WriteLine(
            $"gemeente: {r.GemeenteCode} {r.GemeenteNaam} imported from {Path.GetFileName(bron)}: {r.Wijken} wijken, {r.Buurten} buurten"
                + $" ({r.WaterBuurtenOvergeslagen} water buurten skipped), inhabitants: gemeente "
                + (r.GemeenteInwoners is { } inw ? inw.ToString("N0", nl) : "unknown")
                + $", buurten together {r.BuurtInwoners.ToString("N0", nl)}"
        );
        Console.WriteLine(
            $"gemeente: reports reassigned to another buurt/wijk: {r.MeldingenHerplaatst} ({r.MeldingenBijGrens} placed in the nearest "
                + $"buurt, within {GebiedenImport.GrensMarge:0} m of the boundary); addresses reassigned: {r.AdressenHerplaatst}, "
                + $"removed outside the municipality: {r.AdressenBuiten}; demo reports removed: {r.DemoMeldingenVerwijderd}"
        );
        Console.WriteLine(
            $"gemeente: hotspot cells rebuilt where shapes changed: {r.HotspotCellen}; rollup months recomputed: {r.RollupMaanden}"
        );
        foreach (var regel in r.OpLocatieHerplaatst)
        {
            Console.WriteLine($"gemeente: rows that followed their location into a new area: {regel}");
        }
        foreach (var regel in r.Opgeruimd)
        {
            Console.WriteLine($"gemeente: removed demo rows (and alerts without reports) of areas that went away: {regel}");
        }
        if (r.TeamsIngericht > 0)
        {
            Console.WriteLine(
                $"gemeente: {r.GemeenteCode} is new here: {r.TeamsIngericht} teams, the answer templates "
                    + "and the routing rules without an area were copied from the first municipality "
                    + "(team mailboxes not; set them in the back office)"
            );
        }
        if (r.GebiedenVerwijderd.Count > 0)
        {
            Console.WriteLine(
                $"gemeente: areas removed: {r.GebiedenVerwijderd.Count} ({string.Join(", ", r.GebiedenVerwijderd.Take(20))}"
                    + (r.GebiedenVerwijderd.Count > 20 ? ", ..." : "")
                    + ")"
            );
        }
        return 0;
    }
}
