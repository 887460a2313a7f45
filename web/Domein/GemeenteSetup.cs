using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Wijkmeldingen.Web.Geo.Geocoding;
using Wijkmeldingen.Web.Mail;

namespace Wijkmeldingen.Web.Domein;

/// <summary>
/// Loads the municipality profile (<see cref="GemeenteProfiel"/>) and hands its values to the parts that
/// may not read the ground floor themselves: the mail sender (<c>Mail:Afzender</c> when not set), the
/// geocoder's PDOK filter, and the UI texts (every resource string's <c>{gemeente}</c> becomes the
/// profile's name, <c>{wijkcode}</c> an example wijk code of it).
/// </summary>
public static class GemeenteSetup
{
    public static IServiceCollection AddGemeenteProfiel(this IServiceCollection services)
    {
        services.AddOptions<GemeenteProfiel>().Configure<IConfiguration>(Laad).ValidateOnStart();
        services.AddSingleton<IValidateOptions<GemeenteProfiel>, GemeenteProfielValidatie>();

        services
            .AddOptions<MailOptions>()
            .PostConfigure<IOptions<GemeenteProfiel>>(
                (mail, gemeente) =>
                {
                    if (string.IsNullOrWhiteSpace(mail.Afzender))
                    {
                        mail.Afzender = gemeente.Value.MailAfzender;
                    }
                }
            );
        services
            .AddOptions<GeocoderOptions>()
            .PostConfigure<IOptions<GemeenteProfiel>>(
                (geocoder, gemeente) =>
                {
                    if (string.IsNullOrWhiteSpace(geocoder.Gemeentecode))
                    {
                        geocoder.Gemeentecode = gemeente.Value.PdokCode;
                    }
                }
            );

        services
            .AddOptions<Wijkmeldingen.Web.Data.DatabaseOptions>()
            .PostConfigure<IOptions<GemeenteProfiel>>(
                (database, gemeente) =>
                {
                    if (string.IsNullOrWhiteSpace(database.DemoGebieden))
                    {
                        database.DemoGebieden = gemeente.Value.DemoGebieden;
                    }
                    if (string.IsNullOrWhiteSpace(database.Gemeente))
                    {
                        database.Gemeente = gemeente.Value.CbsCode;
                    }
                }
            );

        // Texts: the resource files' own factory, wrapped so that every text names this municipality.
        services.AddLocalization();
        services.TryAddSingleton<ResourceManagerStringLocalizerFactory>();
        services.Replace(ServiceDescriptor.Singleton<IStringLocalizerFactory, GemeenteTekstFactory>());

        // The public queries' own municipality filter (PubliekOptions.Gemeente).
        services
            .AddOptions<PubliekOptions>()
            .PostConfigure<IOptions<GemeenteProfiel>>((publiek, gemeente) => publiek.Gemeente = gemeente.Value.CbsCode);

        services.AddSingleton<KaartStart>();
        return services;
    }

    /// <summary>The folder of the configured profile.</summary>
    public static string ProfielFolder(GemeenteProfiel profiel)
    {
        ArgumentNullException.ThrowIfNull(profiel);
        return Path.Combine(ProfielMap(profiel), profiel.Profiel);
    }

    /// <summary>The folder holding the profile folders; relative to the app's folder unless rooted.</summary>
    public static string ProfielMap(GemeenteProfiel profiel)
    {
        ArgumentNullException.ThrowIfNull(profiel);
        return Path.IsPathRooted(profiel.ProfielMap) ? profiel.ProfielMap : Path.Combine(AppContext.BaseDirectory, profiel.ProfielMap);
    }

    /// <summary>The profile's file first, then anything set under <c>Gemeente</c> on top of it.</summary>
    private static void Laad(GemeenteProfiel profiel, IConfiguration configuration)
    {
        var sectie = configuration.GetSection(GemeenteProfiel.Section);
        sectie.Bind(profiel);
        if (string.IsNullOrWhiteSpace(profiel.Profiel))
        {
            profiel.Profiel = EnigeProfiel(profiel) ?? "";
        }
        var bestand = Path.Combine(ProfielFolder(profiel), "profiel.json");
        if (!File.Exists(bestand) || !GeldigeMapnaam(profiel.Profiel))
        {
            return; // validation names the missing file
        }
        new ConfigurationBuilder().AddJsonFile(bestand, optional: false, reloadOnChange: false).Build().Bind(profiel);
        sectie.Bind(profiel);
    }

    /// <summary>The one profile folder under ProfielMap, or null when there are none or several.</summary>
    private static string? EnigeProfiel(GemeenteProfiel profiel)
    {
        var map = ProfielMap(profiel);
        if (!Directory.Exists(map))
        {
            return null;
        }
        var profielen = Directory
            .EnumerateDirectories(map)
            .Where(d => File.Exists(Path.Combine(d, "profiel.json")))
            .Select(Path.GetFileName)
            .ToList();
        return profielen.Count == 1 ? profielen[0] : null;
    }

    internal static bool GeldigeMapnaam(string naam) =>
        !string.IsNullOrEmpty(naam) && naam.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');
}

/// <summary>Checks the profile and its nested parts (data annotations), and that its files exist.</summary>
public sealed class GemeenteProfielValidatie : IValidateOptions<GemeenteProfiel>
{
    public ValidateOptionsResult Validate(string? name, GemeenteProfiel options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var fouten = new List<string>();
        if (string.IsNullOrEmpty(options.Profiel))
        {
            fouten.Add("Gemeente:Profiel is not set and the profile folder does not hold exactly one profile; name one.");
            return ValidateOptionsResult.Fail(fouten);
        }
        if (!GemeenteSetup.GeldigeMapnaam(options.Profiel))
        {
            fouten.Add("Gemeente:Profiel may hold only lower-case letters, digits and dashes.");
            return ValidateOptionsResult.Fail(fouten);
        }
        var folder = GemeenteSetup.ProfielFolder(options);
        if (!File.Exists(Path.Combine(folder, "profiel.json")))
        {
            fouten.Add($"Gemeente:Profiel '{options.Profiel}' has no profiel.json in {folder}.");
            return ValidateOptionsResult.Fail(fouten);
        }
        Controleer(options, fouten);
        Controleer(options.Huisstijl, fouten);
        Controleer(options.Kaart, fouten);
        Controleer(options.Privacy, fouten);
        Controleer(options.Privacy.Verwerkingsverantwoordelijke, fouten);
        Controleer(options.Toegankelijkheid, fouten);
        foreach (var deel in options.Toegankelijkheid.BekendeProblemen.Select(p => p.Omschrijving))
        {
            Controleer(deel, fouten);
        }
        foreach (var deel in options.Toegankelijkheid.Verbeterplan.Select(m => m.Omschrijving))
        {
            Controleer(deel, fouten);
        }
        if (fouten.Count == 0 && !File.Exists(Path.Combine(folder, options.Huisstijl.Logo)))
        {
            fouten.Add($"Gemeente:Huisstijl:Logo '{options.Huisstijl.Logo}' is not in {folder}.");
        }
        return fouten.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(fouten);
    }

    private static void Controleer(object? deel, List<string> fouten)
    {
        if (deel is null)
        {
            fouten.Add("Gemeente: a part of the profile is missing.");
            return;
        }
        var resultaten = new List<ValidationResult>();
        if (!Validator.TryValidateObject(deel, new ValidationContext(deel), resultaten, validateAllProperties: true))
        {
            fouten.AddRange(resultaten.Select(r => r.ErrorMessage ?? "Gemeente: invalid profile field."));
        }
    }
}
