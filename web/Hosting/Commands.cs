using System.Globalization;
using Wijkmeldingen.Web.Data;

namespace Wijkmeldingen.Web.Hosting;

/// <summary>
/// Command-line verbs of the web app, used by infra/wijk:
///   migrate                              apply db/ migrations and reference data, then exit
///   seed [--meldingen N] [--opnieuw]     migrate, then add N demo reports unless demo data exists
/// </summary>
public static class Commands
{
    public static bool IsCommand(string[] args) => args is ["migrate", ..] or ["seed", ..];

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(args);
        await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync();
        if (args[0] == "migrate")
        {
            return 0;
        }

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
}
