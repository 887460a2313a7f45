using System.ComponentModel.DataAnnotations;

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
    [Range(1.7321, 10.0, ErrorMessage = "Wijkbeeld:BurenFactor must be more than √3 (1.7321, the six adjacent cells) and at most 10.")]
    public double BurenFactor { get; set; } = 2.0;

    /// <summary>DBSCAN (ST_ClusterDBSCAN): largest distance between neighbouring reports, in metres.</summary>
    [Range(1.0, 10000.0, ErrorMessage = "Wijkbeeld:DbscanAfstand must be between {1} and {2}.")]
    public double DbscanAfstand { get; set; } = 50;

    /// <summary>DBSCAN: reports needed within that distance to form a cluster core.</summary>
    [Range(1, 10000, ErrorMessage = "Wijkbeeld:DbscanMinimum must be between {1} and {2}.")]
    public int DbscanMinimum { get; set; } = 10;

    /// <summary>"Unusual for this place": months of a cell's own history its expected count comes from
    /// (the same-length periods in this many months before the period).</summary>
    [Range(1, 60, ErrorMessage = "Wijkbeeld:OngewoonHistorieMaanden must be between {1} and {2}.")]
    public int OngewoonHistorieMaanden { get; set; } = 12;

    /// <summary>"Unusual for this place": fewest reports in a cell for it to be tested at all.</summary>
    [Range(1, 10000, ErrorMessage = "Wijkbeeld:OngewoonMinimum must be between {1} and {2}.")]
    public int OngewoonMinimum { get; set; } = 5;

    /// <summary>"Unusual for this place" on the staff map: the false discovery rate (Benjamini–Hochberg)
    /// below which a cell is shown as unusual.</summary>
    [Range(0.000001, 0.5, ErrorMessage = "Wijkbeeld:OngewoonAlfa must be between {1} and {2}.")]
    public double OngewoonAlfa { get; set; } = 0.05;
}
