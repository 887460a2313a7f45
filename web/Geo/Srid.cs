namespace Wijkmeldingen.Web.Geo;

/// <summary>The two coordinate systems in play.</summary>
public static class Srid
{
    /// <summary>RD New (Amersfoort / RD New), metres: how points and areas are stored and measured.</summary>
    public const int RdNew = 28992;

    /// <summary>WGS84 longitude/latitude: what browsers, Leaflet and GeoJSON (RFC 7946) speak.</summary>
    public const int Wgs84 = 4326;
}
