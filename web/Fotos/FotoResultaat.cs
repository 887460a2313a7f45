namespace Wijkmeldingen.Web.Fotos;

/// <summary>The outcome of processing one upload. When <see cref="Gelukt"/> is true,
/// <see cref="Jpeg"/> holds the upright, resized JPEG without any metadata and
/// <see cref="Breedte"/>/<see cref="Hoogte"/> its size; otherwise <see cref="Fout"/> is a message in the
/// visitor's language fit to show next to the form field. <see cref="Gps"/> is where the original says the
/// photo was taken, read before the metadata was dropped (null when it says nothing usable).</summary>
public sealed record FotoResultaat(bool Gelukt, byte[]? Jpeg, int Breedte, int Hoogte, string? Fout, FotoGps? Gps)
{
    public static FotoResultaat Mislukt(string fout) => new(false, null, 0, 0, fout, null);
}

/// <summary>A WGS84 position (EPSG:4326) in decimal degrees, from a photo's EXIF GPS tags.</summary>
public sealed record FotoGps(double Lat, double Lon);
