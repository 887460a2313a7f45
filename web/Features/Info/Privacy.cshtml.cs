using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Wijkmeldingen.Web.Data;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Geo;

namespace Wijkmeldingen.Web.Features.Info;

/// <summary>The privacy statement, generated from the settings the portal runs with: each processing
/// with its purpose, legal basis (AVG art. 6) and data; the retention terms from the registered clean-up
/// rules themselves (<see cref="OpschoonRegel.Termijn"/>, made from the same options the rules run
/// with, so the text cannot drift); where the map tiles and the address search come from; the data
/// protection officer and the right to complain from the municipality profile.</summary>
public sealed class PrivacyModel(
    IEnumerable<OpschoonRegel> regels,
    IOptions<KaartTegelOptions> tegels,
    IOptions<Geo.Geocoding.GeocoderOptions> geocoder,
    IOptions<Mail.MailOptions> mail,
    IStringLocalizer<Tekst> t
) : PageModel
{
    /// <summary>One processing: its resource key under <c>privacy.verwerking.</c>, its legal basis (a key
    /// under <c>privacy.grondslag.</c>: <c>taak</c>, art. 6(1)(e), or <c>toestemming</c>, art. 6(1)(a)) and
    /// the sentences of the clean-up rules whose terms belong to it.</summary>
    public sealed record Verwerking(string Sleutel, string Grondslag, IReadOnlyList<string> Termijnen);

    /// <summary>The processings in the order the statement lists them, with the rules' data names.</summary>
    private static readonly (string Sleutel, string Grondslag, string[] Gegevens)[] Indeling =
    [
        ("melden", "taak", [Bewaartermijnen.Ingetrokken, Bewaartermijnen.Anonimiseren, Bewaartermijnen.Fotos, Bewaartermijnen.Uploads]),
        ("contact", "taak", [Bewaartermijnen.Contactgegevens, "melder-vraag", "mijn-meldingen"]),
        ("bewoners", "taak", ["bewoner-ip-hash", "bewoner-heropenverzoek"]),
        ("volgen", "toestemming", [Bewaartermijnen.Volgers]),
        ("tevredenheid", "taak", [Bewaartermijnen.Anonimiseren]),
        ("wandelingen", "taak", ["wandeldeelnemers"]),
        ("abonnementen", "toestemming", ["abonnementen", "abonnementen-verlopen"]),
        ("medewerkers", "taak", ["medewerkers", "wachtwoordvergeten"]),
    ];

    public IReadOnlyList<Verwerking> Verwerkingen { get; private set; } = [];

    /// <summary>Where the map's background comes from, as a sentence.</summary>
    public string Kaart { get; private set; } = "";

    /// <summary>Whether typed addresses go to PDOK's Locatieserver.</summary>
    public bool PdokZoeken { get; private set; }

    public void OnGet()
    {
        var termijnen = regels.Where(r => r.Termijn is not null).ToLookup(r => r.Termijn!.Gegevens, r => r.Termijn!);
        // Sent mail (it holds the address) is deleted by the outbox sender itself, after Mail:BewaarVerzondenDagen.
        var verzonden = new Bewaartermijn("mail", mail.Value.BewaarVerzondenDagen);
        Verwerkingen = Indeling
            .Select(v => new Verwerking(
                v.Sleutel,
                v.Grondslag,
                v.Gegevens.SelectMany(g => termijnen[g])
                    .Concat(v.Sleutel == "contact" ? [verzonden] : [])
                    .Select(Zin)
                    .Where(z => z.Length > 0)
                    .ToList()
            ))
            .ToList();
        Kaart = KaartZin(tegels.Value, Request.Host.Host);
        PdokZoeken = geocoder.Value.PdokGebruiken;
    }

    private string Zin(Bewaartermijn termijn)
    {
        var sleutel = termijn.Aantal == 0 ? $"privacy.bewaren.{termijn.Gegevens}.geen" : $"privacy.bewaren.{termijn.Gegevens}";
        var zin = t[sleutel, termijn.Aantal];
        return zin.ResourceNotFound ? "" : zin.Value;
    }

    private string KaartZin(KaartTegelOptions opties, string eigenHost)
    {
        if (string.IsNullOrWhiteSpace(opties.TegelUrl))
        {
            return t["privacy.kaart.geen"];
        }
        if (opties.TegelOrigin() is not { } origin)
        {
            // A relative template: the tiles come from this server.
            return t["privacy.kaart.eigen"];
        }
        var host = new Uri(origin.Replace("*.", "", StringComparison.Ordinal)).Host;
        if (host.Equals("pdok.nl", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".pdok.nl", StringComparison.OrdinalIgnoreCase))
        {
            return t["privacy.kaart.pdok"];
        }
        return host.Equals(eigenHost, StringComparison.OrdinalIgnoreCase) ? t["privacy.kaart.eigen"] : t["privacy.kaart.ander", host];
    }
}
