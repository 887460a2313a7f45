namespace Wijkmeldingen.Web.Features.Kaart;

/// <summary>Map settings under <c>Kaart</c>. The tile source is configuration: production uses
/// PDOK's BRT-Achtergrondkaart; tests and offline runs leave <see cref="TegelUrl"/> empty and get
/// the boundaries on a plain background.</summary>
public sealed class KaartOptions
{
    public const string Section = "Kaart";

    /// <summary>Leaflet URL template, e.g. https://.../{z}/{x}/{y}.png; empty for no tile layer.</summary>
    public string TegelUrl { get; set; } = "";

    /// <summary>Attribution shown with the tiles (HTML allowed, as Leaflet expects).</summary>
    public string TegelAttributie { get; set; } = "";

    public int MaxZoom { get; set; } = 19;

    /// <summary>Public points of 'exact' categories are snapped to the centre of a raster cell of this
    /// many metres ('grof' categories to 250 m; sensitive ones are never public).</summary>
    public int PubliekRasterMeters { get; set; } = 25;

    /// <summary>From this zoom level the map shows (clustered) points; below it, counts per grid cell.</summary>
    public int PuntenVanafZoom { get; set; } = 16;

    /// <summary>Most points one viewport request returns.</summary>
    public int MaxPunten { get; set; } = 2000;

    /// <summary>Public counts below this number are shown as "&lt; N" (small-count suppression).</summary>
    public int OnderdrukOnder { get; set; } = 5;

    /// <summary>Show the text (as moderated by staff: hidden text left out, redacted passages as
    /// "[verwijderd]") and the photos not hidden by staff of non-sensitive reports on the tracking page
    /// and in Open311. Off by default: then no text or photo is ever public.</summary>
    public bool TekstOpenbaar { get; set; }

    /// <summary>The tile server's origin (scheme://host[:port]) for the Content-Security-Policy;
    /// a <c>{s}</c> subdomain placeholder becomes a <c>*</c> wildcard.</summary>
    public string? TegelOrigin()
    {
        var match = System.Text.RegularExpressions.Regex.Match(TegelUrl, "^(https?://[^/?#]+)", System.Text.RegularExpressions.RegexOptions.IgnoreCase);
        return match.Success ? match.Groups[1].Value.Replace("{s}", "*", StringComparison.Ordinal) : null;
    }
}
