namespace Wijkmeldingen.Web.Geo.Geocoding;

/// <summary>
/// Address search shaped like PDOK Locatieserver: suggestions for what a resident types, and a
/// readable name for a chosen point. Implementations never invent a place: what they return comes
/// from PDOK or from the municipality's own data in PostGIS.
/// </summary>
public interface IGeocoder
{
    /// <summary>At most <paramref name="max"/> places inside the municipality matching <paramref name="q"/>, best first.</summary>
    Task<IReadOnlyList<Suggestie>> SuggestAsync(string q, int max, CancellationToken cancellationToken);

    /// <summary>The nearest address, or else the buurt, of a WGS84 point; null outside the municipality.</summary>
    Task<Plaatsnaam?> OmgekeerdAsync(double lat, double lon, CancellationToken cancellationToken);
}

/// <summary>One search result in PDOK's terms.</summary>
/// <param name="Id">Stable id of the place (PDOK's own id, or <c>adres-…</c>,
/// <c>postcode-…</c>, <c>buurt-…</c>, <c>wijk-…</c> locally).</param>
/// <param name="Type">PDOK type: adres, weg, postcode, buurt or wijk.</param>
/// <param name="Weergavenaam">How the place is shown, e.g. "Dorpsstraat 1, 1234AB Plaats".</param>
/// <param name="CentroideLl">WKT in WGS84, longitude first: <c>POINT(4.6192 52.3524)</c>.</param>
/// <param name="Wijkcode">CBS wijk code (WK + six digits) when known.</param>
/// <param name="Buurtcode">CBS buurt code (BU + eight digits) when known.</param>
public sealed record Suggestie(string Id, string Type, string Weergavenaam, string CentroideLl, string? Wijkcode, string? Buurtcode);

/// <summary>A readable name for a point inside the municipality.</summary>
/// <param name="Weergavenaam">"Straat 12, Plaats" near an address, else "in de buurt Centrum".</param>
/// <param name="Type">adres or buurt: what the name is taken from.</param>
/// <param name="Buurtcode">CBS buurt code of the point itself.</param>
/// <param name="Wijkcode">CBS wijk code of the point itself.</param>
public sealed record Plaatsnaam(string Weergavenaam, string Type, string Buurtcode, string Wijkcode);
