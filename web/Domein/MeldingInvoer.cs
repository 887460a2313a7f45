using System.Globalization;
using Microsoft.Extensions.Localization;

namespace Wijkmeldingen.Web.Domein;

/// <summary>What the report form posts. Everything is optional at binding time; <see cref="Valideer"/>
/// decides, so the form always comes back with the melder's input and Dutch messages.</summary>
public sealed class MeldingInvoer
{
    public Guid IdempotentieSleutel { get; set; }

    /// <summary>Coordinates as text with a decimal point, whatever the page's culture: form values
    /// bind culture-sensitively, and in nl-NL "52.35" would read as 5235.</summary>
    public string? Lat { get; set; }
    public string? Lon { get; set; }

    public double? LatGetal => Getal(Lat);
    public double? LonGetal => Getal(Lon);

    public void ZetPlek(double lat, double lon)
    {
        Lat = lat.ToString("0.0######", CultureInfo.InvariantCulture);
        Lon = lon.ToString("0.0######", CultureInfo.InvariantCulture);
    }

    private static double? Getal(string? tekst) =>
        double.TryParse(tekst, NumberStyles.Float, CultureInfo.InvariantCulture, out var getal) && double.IsFinite(getal) ? getal : null;

    /// <summary>Readable place (address or buurt) the page showed for the chosen point.</summary>
    public string? Plek { get; set; }

    /// <summary>A place the melder picked from the server's "Bedoelt u een van deze plekken?" list (no-JS address search).</summary>
    public string? PlekKeuze { get; set; }
    public string? Rubriek { get; set; }
    public string? Omschrijving { get; set; }

    /// <summary>From an &lt;input type="datetime-local"&gt;: yyyy-MM-ddTHH:mm, local time.</summary>
    public string? VoorgevallenOp { get; set; }
    public string? MelderType { get; set; }
    public string? Bedrijfsnaam { get; set; }
    public string? Email { get; set; }

    /// <summary>Answers to the chosen category's extra questions, by question code (<see cref="RubriekVragen"/>).</summary>
    public Dictionary<string, string?> Antwoorden { get; set; } = [];

    /// <summary>The category whose questions the melder saw (set by the page, and by its script when the
    /// category changes): when it is not the chosen category, the form comes back with the questions first.</summary>
    public string? VragenVoor { get; set; }

    /// <summary>Honeypot: hidden from people, filled in by bots.</summary>
    public string? Website { get; set; }
    public IList<IFormFile> Fotos { get; set; } = [];

    /// <summary>Photos kept from an earlier, failed submit (ids in foto_upload).</summary>
    public IList<Guid> BewaardeFotos { get; set; } = [];

    /// <summary>Where the first uploaded photo with EXIF GPS was taken (read before the metadata is
    /// stripped); never bound from the form, never stored: the form only offers it as the place.</summary>
    public Wijkmeldingen.Web.Fotos.FotoGps? FotoPlek { get; private set; }

    /// <summary>
    /// The uploaded photos checked by content, re-encoded and stripped of metadata; a photo that fails
    /// puts its message under <see cref="Fotos"/> in <paramref name="fouten"/>. Nothing is done when
    /// the photos already have an error (too many).
    /// </summary>
    public async Task<List<MeldingOpslaan.Foto>> VerwerkFotosAsync(
        Wijkmeldingen.Web.Fotos.FotoVerwerker fotoVerwerker,
        Dictionary<string, string> fouten,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(fotoVerwerker);
        ArgumentNullException.ThrowIfNull(fouten);
        var fotos = new List<MeldingOpslaan.Foto>();
        if (fouten.ContainsKey(nameof(Fotos)))
        {
            return fotos;
        }
        foreach (var bestand in Fotos.Where(f => f.Length > 0))
        {
            await using var stream = bestand.OpenReadStream();
            var resultaat = await fotoVerwerker.VerwerkAsync(stream, bestand.FileName, cancellationToken);
            if (!resultaat.Gelukt)
            {
                fouten[nameof(Fotos)] = $"{bestand.FileName}: {resultaat.Fout}";
                continue;
            }
            fotos.Add(new MeldingOpslaan.Foto(resultaat.Jpeg!, resultaat.Breedte, resultaat.Hoogte));
            FotoPlek ??= resultaat.Gps;
        }
        return fotos;
    }

    /// <summary>Field name → Dutch message. Checks that need the database (category exists, point
    /// inside the municipality) happen in the handler. <paramref name="maxFotos"/> is <c>Fotos:MaxAantal</c>.</summary>
    public Dictionary<string, string> Valideer(
        MeldenOptions options,
        IStringLocalizer t,
        DateTimeOffset nu,
        TimeZoneInfo zone,
        int maxFotos
    )
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(t);
        var fouten = new Dictionary<string, string>();

        if (LatGetal is not (>= -90 and <= 90) || LonGetal is not (>= -180 and <= 180))
        {
            fouten[nameof(Lat)] = t["fout.plek"];
        }
        if (string.IsNullOrWhiteSpace(Rubriek))
        {
            fouten[nameof(Rubriek)] = t["fout.rubriek"];
        }

        var omschrijving = Omschrijving?.Trim() ?? "";
        if (omschrijving.Length == 0)
        {
            fouten[nameof(Omschrijving)] = t["fout.omschrijving.leeg"];
        }
        else if (omschrijving.Length < options.OmschrijvingMinLengte)
        {
            fouten[nameof(Omschrijving)] = t["fout.omschrijving.kort", options.OmschrijvingMinLengte];
        }
        else if (omschrijving.Length > options.OmschrijvingMaxLengte)
        {
            fouten[nameof(Omschrijving)] = t["fout.omschrijving.lang", options.OmschrijvingMaxLengte, omschrijving.Length];
        }

        if (!string.IsNullOrWhiteSpace(VoorgevallenOp))
        {
            if (LeesVoorgevallenOp(zone) is not { } wanneer)
            {
                fouten[nameof(VoorgevallenOp)] = t["fout.wanneer.ongeldig"];
            }
            else if (wanneer > nu.AddMinutes(5))
            {
                fouten[nameof(VoorgevallenOp)] = t["fout.wanneer.toekomst"];
            }
            else if (wanneer < nu.AddYears(-1))
            {
                fouten[nameof(VoorgevallenOp)] = t["fout.wanneer.oud"];
            }
        }

        if (MelderType is not (null or "" or "inwoner" or "ondernemer"))
        {
            fouten[nameof(MelderType)] = t["fout.meldertype"];
        }
        if (Bedrijfsnaam is { Length: > 200 })
        {
            fouten[nameof(Bedrijfsnaam)] = t["fout.bedrijfsnaam"];
        }

        if (!string.IsNullOrWhiteSpace(Email) && !EmailAdres.IsGeldig(Email.Trim()))
        {
            fouten[nameof(Email)] = t["fout.email"];
        }

        if (Fotos.Count + BewaardeFotos.Count > maxFotos)
        {
            fouten[nameof(Fotos)] = t["fout.fotos.aantal", maxFotos];
        }
        return fouten;
    }

    public DateTimeOffset? LeesVoorgevallenOp(TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        if (
            !DateTime.TryParseExact(
                VoorgevallenOp,
                ["yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss"],
                CultureInfo.InvariantCulture,
                DateTimeStyles.None,
                out var lokaal
            )
        )
        {
            return null;
        }
        // 0001-01-01 or 9999-12-31 parse, but shifted by the zone's offset they fall outside what
        // DateTimeOffset can hold: not a date anyone means.
        if (lokaal.Year is <= 1 or >= 9999)
        {
            return null;
        }
        return new DateTimeOffset(lokaal, zone.GetUtcOffset(lokaal));
    }
}
