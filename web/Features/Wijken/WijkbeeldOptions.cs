namespace Wijkmeldingen.Web.Features.Wijken;

/// <summary>Settings under <c>Wijkbeeld</c>: the safety pictures and hotspot maps.</summary>
public sealed class WijkbeeldOptions
{
    public const string Section = "Wijkbeeld";

    /// <summary>Public figures below this count are shown as "&lt; 5" (and figures derived from them
    /// are left out).</summary>
    public int Drempel { get; set; } = 5;

    /// <summary>Hexagon edge lengths (metres, EPSG:28992) rolled up for the hotspot maps.</summary>
    public int[] Celgroottes { get; set; } = [100, 250];

    /// <summary>The coarse grid of the public hotspot map (one of <see cref="Celgroottes"/>).</summary>
    public int PubliekeCelgrootte { get; set; } = 250;

    /// <summary>Gi* neighbourhood: centres within this many edge lengths count as neighbours. Must be
    /// more than √3 ≈ 1.732 (the distance to the six adjacent cells); 2 takes exactly those six.</summary>
    public double BurenFactor { get; set; } = 2.0;

    /// <summary>How often the per-month rollups are brought up to date with new and changed reports.</summary>
    public int VerversSeconden { get; set; } = 60;

    /// <summary>Months shown on the public hotspot map when no period is chosen.</summary>
    public int HotspotMaanden { get; set; } = 12;

    /// <summary>DBSCAN (ST_ClusterDBSCAN): largest distance between neighbouring reports, in metres.</summary>
    public double DbscanAfstand { get; set; } = 50;

    /// <summary>Target handling time in days per theme code (e.g. Wijkbeeld__StreefDagen__overlast=10).
    /// The KPI "handled within target time" is only shown for themes with a target; none is set yet.</summary>
    public Dictionary<string, int> StreefDagen { get; set; } = [];

    /// <summary>DBSCAN: reports needed within that distance to form a cluster core.</summary>
    public int DbscanMinimum { get; set; } = 10;
}
