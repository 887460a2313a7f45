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

    /// <summary>The municipality PDOK limits searches to (<c>fq=gemeentecode:…</c>, four digits); empty:
    /// the municipality profile's (Domein.GemeenteSetup fills it in).</summary>
    public string? Gemeentecode { get; set; }
}
