using System.ComponentModel.DataAnnotations;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Wijkbeeld;

/// <summary>Settings under <c>Wijkbeeld</c>: the safety pictures and hotspot maps. The hotspot
/// engine's own settings share the section: <see cref="HotspotOptions"/>.</summary>
public sealed class WijkbeeldOptions
{
    public const string Section = "Wijkbeeld";

    /// <summary>Public figures below this count are shown as "&lt; 5" (and figures derived from them
    /// are left out).</summary>
    [Range(0, 1000, ErrorMessage = "Wijkbeeld:Drempel must be between {1} and {2}.")]
    public int Drempel { get; set; } = 5;

    /// <summary>The coarse grid of the public hotspot map (one of <see cref="HotspotOptions.Celgroottes"/>).</summary>
    [Range(10, 5000, ErrorMessage = "Wijkbeeld:PubliekeCelgrootte must be between {1} and {2}.")]
    public int PubliekeCelgrootte { get; set; } = 250;

    /// <summary>How often the per-month rollups are brought up to date with new and changed reports.</summary>
    [Range(1, 86400, ErrorMessage = "Wijkbeeld:VerversSeconden must be between {1} and {2}.")]
    public int VerversSeconden { get; set; } = 60;

    /// <summary>Months shown on the public hotspot map when no period is chosen.</summary>
    [Range(1, 120, ErrorMessage = "Wijkbeeld:HotspotMaanden must be between {1} and {2}.")]
    public int HotspotMaanden { get; set; } = 12;

    /// <summary>Target handling time in days per theme code (e.g. Wijkbeeld__StreefDagen__overlast=10).
    /// The KPI "handled within target time" is only shown for themes with a target; none is set yet.</summary>
    public Dictionary<string, int> StreefDagen { get; set; } = [];
}
