namespace Wijkmeldingen.Web.Features.Kaart;

/// <summary>The public map's own settings under <c>Kaart</c>. The same section also holds the tile
/// source (<see cref="Geo.KaartTegelOptions"/>) and the publicity rules (<see cref="Domein.PubliekOptions"/>).</summary>
public sealed class KaartOptions
{
    public const string Section = "Kaart";

    /// <summary>From this zoom level the map shows (clustered) points; below it, counts per grid cell.</summary>
    public int PuntenVanafZoom { get; set; } = 16;

    /// <summary>Most points one viewport request returns.</summary>
    public int MaxPunten { get; set; } = 2000;
}
