namespace Wijkmeldingen.Web.Geo.Geocoding;

/// <summary>Settings under <c>Geocoder</c>. PDOK is on by default: without it no street address is
/// found until a BAG extract is imported. The local search is its fallback within
/// <see cref="TimeoutMs"/>; the tests switch PDOK off (or point it at a fake).</summary>
public sealed class GeocoderOptions
{
    public const string Section = "Geocoder";

    /// <summary>Base URL of PDOK Locatieserver (its /suggest and /lookup live below it).</summary>
    public string PdokUrl { get; set; } = "https://api.pdok.nl/bzk/locatieserver/search/v3_1";

    /// <summary>Ask PDOK first (search and naming a point); when false only the local PostGIS data is used.</summary>
    public bool PdokGebruiken { get; set; } = true;

    /// <summary>Total time PDOK may take for one search (suggest and lookups, retries included)
    /// before the local search answers instead.</summary>
    public int TimeoutMs { get; set; } = 1500;
}
