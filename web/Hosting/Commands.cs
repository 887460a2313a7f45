using System.Globalization;
using Wijkmeldingen.Web.Data;
using Wijkmeldingen.Web.Geo.Geocoding;

namespace Wijkmeldingen.Web.Hosting;

/// <summary>
/// Command-line verbs of the web app, used by infra/wijk:
///   migrate                              apply db/ migrations and reference data, then exit
///   seed [--meldingen N] [--opnieuw]     migrate, then add N demo reports unless demo data exists
///   import-adressen FILE.csv             migrate, then upsert the BAG address extract in FILE.csv
///   api-sleutel NAAM                     migrate, then make an Open311 API key and print it (once)
///   beheerder-maken EMAIL [NAAM]         migrate, then make EMAIL a beheerder and print its set-password link
/// </summary>
public static class Commands
{
    public static bool IsCommand(string[] args) =>
        args is ["migrate", ..] or ["seed", ..] or ["import-adressen", ..] or ["api-sleutel", ..] or ["beheerder-maken", ..];

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(args);
        await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync();
        return args[0] switch
        {
            "seed" => await SeedAsync(app, args),
            "import-adressen" => await ImportAdressenAsync(app, args),
            "api-sleutel" => await ApiSleutelAsync(app, args),
            "beheerder-maken" => await Features.Beheer.Accounts.BeheerderMaken.RunAsync(app.Services, args),
            _ => 0,
        };
    }

    private static async Task<int> ApiSleutelAsync(WebApplication app, string[] args)
    {
        var naam = string.Join(' ', args.Skip(1)).Trim();
        if (naam.Length == 0)
        {
            await Console.Error.WriteLineAsync("api-sleutel: give the name of the app or partner that will use the key");
            return 2;
        }
        var sleutel = await Features.Open311.ApiSleutels.MaakAsync(app.Services.GetRequiredService<Npgsql.NpgsqlDataSource>(), naam);
        Console.WriteLine($"api-sleutel for '{naam}' (shown once; only its hash is stored):");
        Console.WriteLine(sleutel);
        return 0;
    }

    private static async Task<int> SeedAsync(WebApplication app, string[] args)
    {
        var aantal = 5000;
        var opnieuw = false;
        for (var i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--meldingen" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var n):
                    aantal = n;
                    i++;
                    break;
                case "--opnieuw":
                    opnieuw = true;
                    break;
                default:
                    await Console.Error.WriteLineAsync($"seed: unknown argument '{args[i]}' (use --meldingen N, --opnieuw)");
                    return 2;
            }
        }
        var added = await app.Services.GetRequiredService<DemoSeeder>().SeedAsync(aantal, opnieuw);
        Console.WriteLine(added > 0 ? $"seed: {added} demo reports added" : "seed: demo reports already present, nothing added");
        return 0;
    }

    private static async Task<int> ImportAdressenAsync(WebApplication app, string[] args)
    {
        if (args is not [_, var file] || !File.Exists(file))
        {
            await Console.Error.WriteLineAsync(args is [_, var missing]
                ? $"import-adressen: file not found: {missing}"
                : "import-adressen: give one CSV file (columns " + string.Join(',', AdresImport.Kolommen) + ")");
            return 2;
        }
        AdresImportResultaat result;
        try
        {
            result = await app.Services.GetRequiredService<AdresImport>().ImportAsync(file);
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
            $"import-adressen: {result.Gelezen} rows read, {result.Toegevoegd} added, {result.Bijgewerkt} updated, " +
            $"{result.BuitenGemeente} skipped outside the municipality, {result.Dubbel} duplicate, {result.Ongeldig} invalid");
        return 0;
    }
}
