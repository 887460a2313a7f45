using System.ComponentModel.DataAnnotations;

namespace Wijkmeldingen.Web.Geo;

/// <summary>The map's tile source, under <c>Kaart</c>: configuration, never code. Production uses
/// PDOK's BRT-Achtergrondkaart; tests and offline runs leave <see cref="TegelUrl"/> empty and get the
/// boundaries on a plain background. Every map (public, staff, walks) and the Content-Security-Policy
/// read it.</summary>
public sealed class KaartTegelOptions
{
    public const string Section = "Kaart";

    /// <summary>Leaflet URL template, e.g. https://.../{z}/{x}/{y}.png; empty for no tile layer.</summary>
    public string TegelUrl { get; set; } = "";

    /// <summary>Attribution shown with the tiles (HTML allowed, as Leaflet expects).</summary>
    public string TegelAttributie { get; set; } = "";

    [Range(1, 22, ErrorMessage = "Kaart:MaxZoom must be between {1} and {2}.")]
    public int MaxZoom { get; set; } = 19;

    /// <summary>The tile server's origin (scheme://host[:port]) for the Content-Security-Policy;
    /// a <c>{s}</c> subdomain placeholder becomes a <c>*</c> wildcard.</summary>
    public string? TegelOrigin()
    {
        var match = System.Text.RegularExpressions.Regex.Match(
            TegelUrl,
            "^(https?://[^/?#]+)",
            System.Text.RegularExpressions.RegexOptions.IgnoreCase
        );
        return match.Success ? match.Groups[1].Value.Replace("{s}", "*", StringComparison.Ordinal) : null;
    }
}
