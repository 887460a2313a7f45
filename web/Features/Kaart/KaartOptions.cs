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

    /// <summary>Most reports (the newest) one viewport request takes into account; they arrive grouped by
    /// their public place, and the answer says when there were more.</summary>
    [Range(1, 100000, ErrorMessage = "Kaart:MaxPunten must be between {1} and {2}.")]
    public int MaxPunten { get; set; } = 2000;

    /// <summary>How many of a place's reports (the newest) its feature lists; <c>aantal</c> counts them all.</summary>
    [Range(1, 100, ErrorMessage = "Kaart:MeldingenPerPlek must be between {1} and {2}.")]
    public int MeldingenPerPlek { get; set; } = 5;

    /// <summary>How long a map answer may be reused while no report changed (the change counter,
    /// <see cref="KaartCache"/>); also the bound on how far a read replica's lag or the period's
    /// moving start can make it lag. 0 switches the cache off.</summary>
    [Range(0, 3600, ErrorMessage = "Kaart:CacheSeconden must be between {1} and {2}.")]
    public int CacheSeconden { get; set; } = 10;

    /// <summary>Memory the kept map answers may take on one node (bytes, counted as UTF-16 text).</summary>
    [Range(typeof(long), "1000000", "4000000000", ErrorMessage = "Kaart:CacheBytes must be between {1} and {2}.")]
    public long CacheBytes { get; set; } = 64_000_000;

    /// <summary>How many months a confirmed buurt subscription runs from its confirmation or last renewal
    /// before it (and its address) is deleted; 0: until the subscriber unsubscribes.</summary>
    [Range(0, 120, ErrorMessage = "Kaart:AbonnementMaanden must be between {1} and {2}.")]
    public int AbonnementMaanden { get; set; } = 12;

    /// <summary>Days before that end the subscriber gets a mail with a renewal link.</summary>
    [Range(1, 90, ErrorMessage = "Kaart:AbonnementHerinneringDagen must be between {1} and {2}.")]
    public int AbonnementHerinneringDagen { get; set; } = 14;
}
