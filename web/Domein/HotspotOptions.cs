namespace Wijkmeldingen.Web.Domein;

/// <summary>The hotspot engine's settings, under <c>Wijkbeeld</c> (beside the safety picture's own,
/// <c>Features.Wijkbeeld.WijkbeeldOptions</c>): grids, Gi* neighbourhood, DBSCAN.</summary>
public sealed class HotspotOptions
{
    public const string Section = "Wijkbeeld";

    /// <summary>Hexagon edge lengths (metres, EPSG:28992) rolled up for the hotspot maps.</summary>
    public int[] Celgroottes { get; set; } = [100, 250];

    /// <summary>Gi* neighbourhood: centres within this many edge lengths count as neighbours. Must be
    /// more than √3 ≈ 1.732 (the distance to the six adjacent cells); 2 takes exactly those six.</summary>
    public double BurenFactor { get; set; } = 2.0;

    /// <summary>DBSCAN (ST_ClusterDBSCAN): largest distance between neighbouring reports, in metres.</summary>
    public double DbscanAfstand { get; set; } = 50;

    /// <summary>DBSCAN: reports needed within that distance to form a cluster core.</summary>
    public int DbscanMinimum { get; set; } = 10;
}
