using System.ComponentModel.DataAnnotations;

namespace Wijkmeldingen.Web.Features.Kaart;

/// <summary>The public map's own settings under <c>Kaart</c>. The same section also holds the tile
/// source (<see cref="Geo.KaartTegelOptions"/>) and the publicity rules (<see cref="Domein.PubliekOptions"/>).</summary>
public sealed class KaartOptions
{
    public const string Section = "Kaart";

    /// <summary>From this zoom level the map shows (clustered) points; below it, counts per grid cell.</summary>
    [Range(0, 22, ErrorMessage = "Kaart:PuntenVanafZoom must be between {1} and {2}.")]
    public int PuntenVanafZoom { get; set; } = 16;

    /// <summary>Most points one viewport request returns.</summary>
    [Range(1, 100000, ErrorMessage = "Kaart:MaxPunten must be between {1} and {2}.")]
    public int MaxPunten { get; set; } = 2000;
}
