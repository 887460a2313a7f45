using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Geo;

namespace Wijkmeldingen.Web.Features.Wijkbeeld;

/// <summary>/wijken: the three wijken side by side for a period, and the public (coarse) hotspot map
/// with its ranked table.</summary>
public sealed class IndexModel(
    WijkbeeldCijfers cijfers,
    HotspotEngine hotspots,
    IOptions<WijkbeeldOptions> options,
    IOptions<KaartTegelOptions> kaart,
    TimeProvider klok
) : PageModel
{
    public KaartTegelOptions Kaart => kaart.Value;
    public WijkbeeldOptions Opties => options.Value;
    public Periode Periode { get; private set; } = null!;
    public Periode HotspotPeriode => HotspotFilter.Periode;
    public HotspotFilter HotspotFilter { get; private set; } = null!;

    /// <summary>Themes with public categories, for the hotspot filter.</summary>
    public IReadOnlyList<(string Code, string Naam)> Themas { get; private set; } = [];
    public WijkbeeldWeergave Gemeente { get; private set; } = null!;
    public IReadOnlyList<WijkbeeldWeergave> Wijken { get; private set; } = [];

    /// <summary>Significant hot spots (90 % or more), strongest first.</summary>
    public IReadOnlyList<HotspotCel> Hotspots { get; private set; } = [];
    public int AantalCellen { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Periode = WijkenExports.LeesPeriode(Request, klok);
        var drempel = options.Value.Drempel;
        Gemeente = WijkbeeldWeergave.Maak((await cijfers.LaadAsync(null, Periode, true, cancellationToken))!, drempel);
        var wijken = new List<WijkbeeldWeergave>();
        foreach (var wijk in await cijfers.WijkenAsync(cancellationToken))
        {
            wijken.Add(WijkbeeldWeergave.Maak((await cijfers.LaadAsync(wijk.Code, Periode, true, cancellationToken))!, drempel));
        }
        Wijken = wijken;

        HotspotFilter = WijkenExports.PubliekFilter(Request, options.Value, klok);
        Themas = Gemeente.Themas.Select(t => (t.Code, t.Naam)).ToList();
        var cellen = await hotspots.BerekenAsync(HotspotFilter, cancellationToken: cancellationToken);
        AantalCellen = cellen.Count;
        Hotspots = cellen.Where(c => c.Klasse > HotspotKlasse.Geen).OrderByDescending(c => c.Z).ToList();
    }
}
