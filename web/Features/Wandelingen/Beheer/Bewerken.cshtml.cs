using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Geo;
using Wijkmeldingen.Web.Geo.Geocoding;

namespace Wijkmeldingen.Web.Features.Wandelingen.Beheer;

/// <summary>/beheer/wandelingen/nieuw and /beheer/wandelingen/{id}: plan a walk (meeting point and
/// route on the map, or the meeting point by address or coordinates without JavaScript), publish or
/// cancel it, and attach open reports of the wijk as places to visit.</summary>
public sealed class BewerkenModel(
    WandelingPlanning planning,
    IGeocoder geocoder,
    IOptions<KaartTegelOptions> kaart,
    IStringLocalizer<Wijkmeldingen.Web.BeheerTekst> b,
    TimeProvider klok,
    HotspotEngine hotspots,
    IOptions<HotspotOptions> wijkbeeld
) : PageModel
{
    /// <summary>A hot cell of the wijk (Gi* ≥ 95 %) over the last twelve months, all categories
    /// (staff see sensitive ones too), as a WGS84 ring for the map.</summary>
    public sealed record Hotspot(string BuurtNaam, long Aantal, double Z, string RingJson);

    public IReadOnlyList<Hotspot> Hotspots { get; private set; } = [];
    public int HotspotCelgrootte => wijkbeeld.Value.Celgroottes.Min();

    /// <summary>Open reports listed (and put on the map) at most.</summary>
    public const int MaxPlekken = 300;

    [BindProperty]
    public WandelingInvoer Invoer { get; set; } = new();

    public long? Id { get; private set; }
    public WandelingPlanning.Wandeling? Wandeling { get; private set; }
    public IReadOnlyList<WandelingPlanning.Wijk> Wijken { get; private set; } = [];
    public IReadOnlyList<WandelingPlanning.Plek> Plekken { get; private set; } = [];
    public Dictionary<string, string> Fouten { get; } = [];
    public string? Melding { get; private set; }
    public KaartTegelOptions Kaart => kaart.Value;

    [TempData]
    public string? Bericht { get; set; }

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        if (!LeesId(id, out var nummer))
        {
            return NotFound();
        }
        if (nummer is null)
        {
            var morgen = Tijd.Lokaal(klok.GetUtcNow()).Date.AddDays(7).AddHours(19);
            Invoer = new WandelingInvoer
            {
                DuurMinuten = 90,
                Capaciteit = 20,
                Begin = morgen.ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture),
            };
        }
        if (!await LaadAsync(nummer, vulInvoer: true, cancellationToken))
        {
            return NotFound();
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string id, CancellationToken cancellationToken)
    {
        if (!LeesId(id, out var nummer) || !await LaadAsync(nummer, vulInvoer: false, cancellationToken))
        {
            return NotFound();
        }
        foreach (var (veld, fout) in Invoer.Valideer(b, Wijken.Select(w => w.Code).ToList(), klok.GetUtcNow(), Wandeling?.Begin))
        {
            Fouten[veld] = fout;
        }
        if (!Fouten.ContainsKey(nameof(WandelingInvoer.Lat)) && (Invoer.LatGetal is null || Invoer.LonGetal is null))
        {
            await ZoekStartpuntAsync(cancellationToken);
        }
        if (Fouten.Count > 0)
        {
            return Opnieuw();
        }
        var uitkomst = await planning.OpslaanAsync(nummer, Invoer, Actor.Van(User), cancellationToken);
        switch (uitkomst.Fout)
        {
            case PlanningFout.Geen:
                Bericht = b[nummer is null ? "wandeling.ok.aangemaakt" : "wandeling.ok.opgeslagen"];
                return Redirect($"/beheer/wandelingen/{uitkomst.Id}");
            case PlanningFout.Onbekend:
                return NotFound();
            case PlanningFout.CapaciteitTeLaag:
                Fouten[nameof(WandelingInvoer.Capaciteit)] = planning.FoutTekst(uitkomst.Fout, uitkomst.Bezet);
                return Opnieuw();
            default:
                Fouten[nameof(WandelingInvoer.Lat)] = planning.FoutTekst(uitkomst.Fout);
                return Opnieuw();
        }
    }

    public async Task<IActionResult> OnPostPublicerenAsync(long id, CancellationToken cancellationToken) =>
        await StatusAsync(
            id,
            await planning.PublicerenAsync(id, Actor.Van(User), cancellationToken),
            "wandeling.ok.gepubliceerd",
            cancellationToken
        );

    public async Task<IActionResult> OnPostAnnulerenAsync(long id, CancellationToken cancellationToken) =>
        await StatusAsync(
            id,
            await planning.AnnulerenAsync(id, Actor.Van(User), cancellationToken),
            "wandeling.ok.geannuleerd",
            cancellationToken
        );

    public async Task<IActionResult> OnPostKoppelenAsync(long id, long melding, CancellationToken cancellationToken) =>
        await KoppelAsync(id, melding, true, cancellationToken);

    public async Task<IActionResult> OnPostOntkoppelenAsync(long id, long melding, CancellationToken cancellationToken) =>
        await KoppelAsync(id, melding, false, cancellationToken);

    private async Task<IActionResult> KoppelAsync(long id, long melding, bool koppelen, CancellationToken cancellationToken)
    {
        if (await planning.LaadAsync(id, cancellationToken) is null)
        {
            return NotFound();
        }
        await planning.KoppelAsync(id, melding, koppelen, Actor.Van(User), cancellationToken);
        Bericht = b[koppelen ? "wandeling.ok.gekoppeld" : "wandeling.ok.ontkoppeld"];
        return Redirect($"/beheer/wandelingen/{id}#plekken");
    }

    private async Task<IActionResult> StatusAsync(long id, PlanningFout fout, string ok, CancellationToken cancellationToken)
    {
        if (fout == PlanningFout.Geen)
        {
            Bericht = b[ok];
            return Redirect($"/beheer/wandelingen/{id}");
        }
        if (!await LaadAsync(id, vulInvoer: true, cancellationToken))
        {
            return NotFound();
        }
        Melding = planning.FoutTekst(fout);
        Response.StatusCode = StatusCodes.Status409Conflict;
        return Page();
    }

    /// <summary>Without a point on the map the meeting point's name is looked up as an address:
    /// one clear match is taken, otherwise the organiser is asked to pick the point.</summary>
    private async Task ZoekStartpuntAsync(CancellationToken cancellationToken)
    {
        var naam = Invoer.StartpuntNaam?.Trim();
        if (string.IsNullOrEmpty(naam) || naam.Length > 100)
        {
            Fouten.TryAdd(nameof(WandelingInvoer.Lat), b["wandeling.fout.startpunt"]);
            return;
        }
        var gevonden = await geocoder.SuggestAsync(naam, 5, cancellationToken);
        var gekozen = gevonden.FirstOrDefault(s => string.Equals(s.Weergavenaam, naam, StringComparison.OrdinalIgnoreCase))
            ?? (gevonden.Count == 1 ? gevonden[0] : null);
        if (gekozen is not null && Wkt.LeesPunt(gekozen.CentroideLl) is { } punt)
        {
            Invoer.ZetStartpunt(punt.Lat, punt.Lon);
            return;
        }
        Fouten[nameof(WandelingInvoer.Lat)] = planning.FoutTekst(PlanningFout.AdresOnbekend);
    }

    private PageResult Opnieuw()
    {
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private static bool LeesId(string id, out long? nummer)
    {
        nummer = null;
        if (id == "nieuw")
        {
            return true;
        }
        if (long.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n))
        {
            nummer = n;
            return true;
        }
        return false;
    }

    private async Task<bool> LaadAsync(long? id, bool vulInvoer, CancellationToken cancellationToken)
    {
        Wijken = await planning.WijkenAsync(cancellationToken);
        if (id is null)
        {
            return true;
        }
        if (await planning.LaadAsync(id.Value, cancellationToken) is not { } wandeling)
        {
            return false;
        }
        (Id, Wandeling) = (id, wandeling);
        if (vulInvoer)
        {
            Invoer = WandelingInvoer.Van(wandeling);
        }
        Plekken = await planning.PlekkenAsync(id.Value, wandeling.WijkCode, MaxPlekken, cancellationToken);
        var maand = Domein.Periode.MaandVan(Tijd.Lokaal(klok.GetUtcNow()).DateTime);
        var cellen = await hotspots.BerekenAsync(
            new HotspotFilter(HotspotCelgrootte, new Periode("vrij", maand.AddMonths(-11), maand), Publiek: false),
            metGeometrie: true,
            cancellationToken
        );
        Hotspots = cellen
            .Where(c => c.WijkCode == wandeling.WijkCode && c.Klasse >= HotspotKlasse.Heet95 && c.Aantal > 0 && c.Geom is not null)
            .OrderByDescending(c => c.Z)
            .Take(25)
            .Select(c => new Hotspot(
                c.BuurtNaam,
                c.Aantal,
                c.Z,
                System.Text.Json.JsonSerializer.Serialize(c.Geom!.Coordinates.Select(k => new[] { Math.Round(k.Y, 6), Math.Round(k.X, 6) }))
            ))
            .ToList();
        return true;
    }
}
