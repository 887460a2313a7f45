using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Geo;

namespace Wijkmeldingen.Web.Features.Maatregelen.Beheer;

/// <summary>/beheer/maatregelen/nieuw and /beheer/maatregelen/{id}: record or change a measure. The
/// place is drawn on the map (point, line or area) or typed as "lat, lon" lines without JavaScript;
/// linked reports by tracking code or number. Bad input: the form comes back with Dutch messages
/// and everything typed kept (400), never a 500.</summary>
public sealed class BewerkenModel(Maatregelen maatregelen, IOptions<KaartTegelOptions> kaart, IStringLocalizer<Tekst> t, TimeProvider klok)
    : PageModel
{
    [BindProperty]
    public MaatregelInvoer Invoer { get; set; } = new();

    public long? Id { get; private set; }
    public Maatregelen.Maatregel? Maatregel { get; private set; }
    public IReadOnlyList<Maatregelen.Type> Types { get; private set; } = [];
    public IReadOnlyList<Maatregelen.Gekoppeld> Gekoppeld { get; private set; } = [];
    public IReadOnlyList<Maatregelen.GekoppeldeHotspot> Hotspots { get; private set; } = [];
    public IReadOnlyList<Maatregelen.GekoppeldeWandeling> Wandelingen { get; private set; } = [];
    public Dictionary<string, string> Fouten { get; } = [];
    public KaartTegelOptions Kaart => kaart.Value;

    [TempData]
    public string? Bericht { get; set; }

    /// <summary>?hotspot= (a reference from /beheer/hotspots) and ?wandeling= (a walk's number) start a
    /// new measure with that link filled in.</summary>
    public async Task<IActionResult> OnGetAsync(string id, string? hotspot, string? wandeling, CancellationToken cancellationToken)
    {
        if (!LeesId(id, out var nummer) || !await LaadAsync(nummer, cancellationToken))
        {
            return NotFound();
        }
        if (Maatregel is { } m)
        {
            Invoer = new MaatregelInvoer
            {
                Type = m.TypeCode,
                Titel = m.Titel,
                Omschrijving = m.Omschrijving,
                Soort = m.Soort,
                Punten = Punten(m.GeomJson, m.Soort),
                Status = m.Status,
                StartDatum = m.StartDatum.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                EindDatum = m.EindDatum?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                Verantwoordelijke = m.Verantwoordelijke,
                Meldingen = string.Join(", ", Gekoppeld.Where(g => g.WandelingId is null).Select(g => g.Volgcode)),
                Bevindingen = string.Join(", ", Gekoppeld.Where(g => g.WandelingId is not null).Select(g => g.Volgcode)),
                Hotspots = string.Join("\n", Hotspots.Select(h => h.Verwijzing)),
                Wandelingen = string.Join(", ", Wandelingen.Select(w => w.Id.ToString(CultureInfo.InvariantCulture))),
            };
        }
        else
        {
            Invoer.StartDatum = Tijd.Lokaal(klok.GetUtcNow()).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            // Only a well-formed reference or number is carried over; the form checks the rest on saving.
            Invoer.Hotspots = HotspotVerwijzing.Lees(hotspot)?.Tekst;
            Invoer.Wandelingen = long.TryParse(wandeling, NumberStyles.None, CultureInfo.InvariantCulture, out var w)
                ? w.ToString(CultureInfo.InvariantCulture)
                : null;
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string id, CancellationToken cancellationToken)
    {
        if (!LeesId(id, out var nummer) || !await LaadAsync(nummer, cancellationToken))
        {
            return NotFound();
        }
        foreach (var (veld, fout) in Invoer.Valideer(t, Types.Select(x => x.Code).ToList()))
        {
            Fouten[veld] = fout;
        }
        if (Fouten.Count == 0)
        {
            var uitkomst = await maatregelen.OpslaanAsync(nummer, Invoer, Actor.Van(User), cancellationToken);
            if (uitkomst.Id is { } opgeslagen)
            {
                Bericht = t[nummer is null ? "maatregel.ok.aangemaakt" : "maatregel.ok.opgeslagen"];
                return Redirect($"/beheer/maatregelen/{opgeslagen}");
            }
            if (uitkomst.Fouten.Count == 0)
            {
                return NotFound();
            }
            foreach (var (veld, fout) in uitkomst.Fouten)
            {
                Fouten[veld] = fout;
            }
        }
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private async Task<bool> LaadAsync(long? id, CancellationToken cancellationToken)
    {
        Id = id;
        Types = await maatregelen.TypesAsync(cancellationToken);
        if (id is { } n)
        {
            Maatregel = await maatregelen.LaadAsync(n, cancellationToken);
            if (Maatregel is null)
            {
                return false;
            }
            var koppelingen = await maatregelen.KoppelingenAsync(n, cancellationToken);
            Gekoppeld = koppelingen.Meldingen;
            Hotspots = koppelingen.Hotspots;
            Wandelingen = koppelingen.Wandelingen;
        }
        return true;
    }

    private static bool LeesId(string id, out long? nummer)
    {
        nummer = null;
        if (id == "nieuw")
        {
            return true;
        }
        if (long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            nummer = n;
            return true;
        }
        return false;
    }

    /// <summary>The stored geometry (GeoJSON, WGS84) back as "lat, lon" lines; an area without its
    /// closing point.</summary>
    private static string Punten(string geoJson, string soort)
    {
        using var doc = JsonDocument.Parse(geoJson);
        var c = doc.RootElement.GetProperty("coordinates");
        IEnumerable<JsonElement> punten = soort switch
        {
            "punt" => [c],
            "lijn" => c.EnumerateArray(),
            _ => c[0].EnumerateArray().SkipLast(1),
        };
        return string.Join(
            "\n",
            punten.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p[1].GetDouble()}, {p[0].GetDouble()}"))
        );
    }
}
