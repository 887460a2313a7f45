namespace Wijkmeldingen.Web.Fotos;

/// <summary>Photo upload settings under <c>Fotos</c>. The limits protect the server from large or
/// hostile files; the output size keeps stored photos small enough to show on a phone.</summary>
public sealed class FotoOptions
{
    public const string Section = "Fotos";

    /// <summary>Largest upload accepted, in bytes (per photo).</summary>
    public long MaxBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Most photos one report may carry.</summary>
    public int MaxAantal { get; set; } = 3;

    /// <summary>Largest width × height accepted, checked on the declared header dimensions before
    /// any pixel is decoded: a few kilobytes of PNG can claim gigabytes of pixels.</summary>
    public long MaxPixels { get; set; } = 40_000_000;

    /// <summary>Longest side of the stored photo, in pixels; larger photos are scaled down.</summary>
    public int MaxZijde { get; set; } = 2048;

    /// <summary>JPEG quality of the stored photo (1–100).</summary>
    public int JpegKwaliteit { get; set; } = 82;

    internal bool IsGeldig() => MaxBytes > 0 && MaxAantal > 0 && MaxPixels > 0 && MaxZijde > 0 && JpegKwaliteit is >= 1 and <= 100;
}
