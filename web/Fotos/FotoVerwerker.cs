using MetadataExtractor;
using MetadataExtractor.Formats.Exif;
using Microsoft.Extensions.Options;
using SkiaSharp;

namespace Wijkmeldingen.Web.Fotos;

/// <summary>
/// Turns an uploaded photo into something safe to store and show: recognised by its content (JPEG,
/// PNG, WebP or GIF), size and pixel count checked before decoding, turned upright by its EXIF
/// orientation, scaled down and re-encoded from pixels as a JPEG. Re-encoding leaves every byte of
/// the original's metadata behind (EXIF, GPS, XMP, IPTC, ICC, comments), so a resident's home address
/// never leaks through a published photo. The GPS position is read first, so the report form can
/// offer it. Hostile input never throws: it yields a refusal with a Dutch message.
/// </summary>
public sealed class FotoVerwerker(IOptions<FotoOptions> options, ILogger<FotoVerwerker> logger)
{
    private readonly FotoOptions opties = options.Value;

    private enum FotoSoort
    {
        Onbekend,
        Jpeg,
        Png,
        WebP,
        Gif,
    }

    /// <summary>Reads at most <see cref="FotoOptions.MaxBytes"/> + 1 bytes of <paramref name="input"/>
    /// and processes them; <paramref name="bestandsnaam"/> is for the log only (the type comes from
    /// the content).</summary>
    public async Task<FotoResultaat> VerwerkAsync(Stream input, string? bestandsnaam, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        byte[] upload;
        try
        {
            upload = await LeesBegrensdAsync(input, opties.MaxBytes, cancellationToken);
        }
        catch (IOException exception)
        {
            logger.LogInformation(exception, "Photo upload {Bestandsnaam} could not be read", bestandsnaam);
            return FotoResultaat.Mislukt(FotoFouten.Onleesbaar);
        }
        return Verwerk(upload, bestandsnaam);
    }

    /// <summary>Synchronous variant for streams that are already in memory or on disk (not for a
    /// request body: ASP.NET Core forbids synchronous reads there).</summary>
    public FotoResultaat Verwerk(Stream input, string? bestandsnaam)
    {
        ArgumentNullException.ThrowIfNull(input);
        byte[] upload;
        try
        {
            upload = LeesBegrensd(input, opties.MaxBytes);
        }
        catch (IOException exception)
        {
            logger.LogInformation(exception, "Photo upload {Bestandsnaam} could not be read", bestandsnaam);
            return FotoResultaat.Mislukt(FotoFouten.Onleesbaar);
        }
        return Verwerk(upload, bestandsnaam);
    }

    /// <summary>Processes an upload that is already in memory.</summary>
    public FotoResultaat Verwerk(byte[] upload, string? bestandsnaam)
    {
        ArgumentNullException.ThrowIfNull(upload);
        var resultaat = VerwerkVeilig(upload);
        if (resultaat.Gelukt)
        {
            logger.LogInformation(
                "Photo {Bestandsnaam} ({Bytes} bytes) stored as {Breedte}x{Hoogte} JPEG of {Uit} bytes",
                bestandsnaam,
                upload.Length,
                resultaat.Breedte,
                resultaat.Hoogte,
                resultaat.Jpeg!.Length
            );
        }
        else
        {
            logger.LogInformation("Photo {Bestandsnaam} ({Bytes} bytes) refused: {Fout}", bestandsnaam, upload.Length, resultaat.Fout);
        }
        return resultaat;
    }

    /// <summary>Most photos one report may carry (<c>Fotos:MaxAantal</c>).</summary>
    public int MaxAantal => opties.MaxAantal;

    /// <summary>The largest upload in whole megabytes, for the form's hint (<c>Fotos:MaxBytes</c>).</summary>
    public long MaxMegabytes => Math.Max(1, opties.MaxBytes / (1024 * 1024));

    /// <summary>The message for a report with <paramref name="aantal"/> photos, or null when that
    /// many are allowed.</summary>
    public string? ControleerAantal(int aantal) => aantal > opties.MaxAantal ? FotoFouten.TeVeelFotos(opties.MaxAantal) : null;

    /// <summary>The EXIF GPS position of an original upload, or null when it has none, a corrupt or
    /// implausible one, or is no image at all. Never throws.</summary>
    public static FotoGps? LeesGps(byte[] origineel)
    {
        if (origineel is not { Length: > 0 })
        {
            return null;
        }
        try
        {
            using var stream = new MemoryStream(origineel, writable: false);
            var gps = ImageMetadataReader.ReadMetadata(stream).OfType<GpsDirectory>().FirstOrDefault()?.GetGeoLocation();
            if (gps is null)
            {
                return null;
            }
            var (lat, lon) = (gps.Latitude, gps.Longitude);
            // 0,0 is what cameras without a fix write; it is in the Atlantic, never in a Dutch municipality.
            var bruikbaar =
                double.IsFinite(lat) && double.IsFinite(lon) && Math.Abs(lat) <= 90 && Math.Abs(lon) <= 180 && !(lat == 0 && lon == 0);
            return bruikbaar ? new FotoGps(lat, lon) : null;
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // Corrupt EXIF is the uploader's problem, never the server's: no position, no error.
            return null;
        }
    }

    private FotoResultaat VerwerkVeilig(byte[] upload)
    {
        if (upload.Length == 0)
        {
            return FotoResultaat.Mislukt(FotoFouten.Leeg);
        }
        if (upload.Length > opties.MaxBytes)
        {
            return FotoResultaat.Mislukt(FotoFouten.TeGroot(opties.MaxBytes));
        }
        var soort = HerkenSoort(upload);
        if (soort == FotoSoort.Onbekend)
        {
            return FotoResultaat.Mislukt(FotoFouten.GeenFoto);
        }
        try
        {
            var resultaat = Herschrijf(upload, soort);
            return resultaat.Gelukt ? resultaat with { Gps = LeesGps(upload) } : resultaat;
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            logger.LogWarning(exception, "Decoding a {Soort} upload failed", soort);
            return FotoResultaat.Mislukt(FotoFouten.Onleesbaar);
        }
    }

    private FotoResultaat Herschrijf(byte[] upload, FotoSoort soort)
    {
        using var data = SKData.CreateCopy(upload);
        using var codec = SKCodec.Create(data);
        if (codec is null || !PastBij(codec.EncodedFormat, soort))
        {
            return FotoResultaat.Mislukt(FotoFouten.Onleesbaar);
        }

        // Only the header has been read so far: refuse decompression bombs before allocating pixels.
        var (breedte, hoogte) = (codec.Info.Width, codec.Info.Height);
        if (breedte <= 0 || hoogte <= 0)
        {
            return FotoResultaat.Mislukt(FotoFouten.Onleesbaar);
        }
        if ((long)breedte * hoogte > opties.MaxPixels)
        {
            return FotoResultaat.Mislukt(FotoFouten.TeVeelPixels);
        }

        // JPEG can decode straight at 1/2, 1/4 or 1/8 size: take the smallest that is still at least
        // the target size, which saves memory and time on big camera photos.
        var schaal = Math.Min(1.0, (double)opties.MaxZijde / Math.Max(breedte, hoogte));
        var decodeMaat = codec.Info.Size;
        if (schaal < 1.0)
        {
            foreach (var factor in new[] { 0.125f, 0.25f, 0.5f })
            {
                var maat = codec.GetScaledDimensions(factor);
                if (maat.Width > 0 && maat.Height > 0 && Math.Max(maat.Width, maat.Height) >= Math.Max(breedte, hoogte) * schaal)
                {
                    decodeMaat = maat;
                    break;
                }
            }
        }

        // Decode to sRGB: an embedded colour profile is applied here, so none needs to be stored.
        var decodeInfo = new SKImageInfo(
            decodeMaat.Width,
            decodeMaat.Height,
            SKColorType.Rgba8888,
            SKAlphaType.Premul,
            SKColorSpace.CreateSrgb()
        );
        using var bitmap = new SKBitmap();
        if (!bitmap.TryAllocPixels(decodeInfo))
        {
            // Within MaxPixels but the memory is not there right now: not the photo's fault.
            return FotoResultaat.Mislukt(FotoFouten.Onleesbaar);
        }
        // A truncated or damaged file decodes "incompletely" (grey where data is missing): refuse it.
        var decodeer = codec.GetPixels(decodeInfo, bitmap.GetPixels());
        if (decodeer != SKCodecResult.Success)
        {
            return FotoResultaat.Mislukt(FotoFouten.Onleesbaar);
        }

        var origin = codec.EncodedOrigin;
        var gedraaid =
            origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        var (rechtopBreedte, rechtopHoogte) = gedraaid ? (hoogte, breedte) : (breedte, hoogte);
        var uitBreedte = Math.Max(1, (int)Math.Round(rechtopBreedte * schaal));
        var uitHoogte = Math.Max(1, (int)Math.Round(rechtopHoogte * schaal));

        // Draw upright and scaled onto white (JPEG has no transparency). The surface has no colour
        // space, so the encoder writes no ICC profile; the pixels are already sRGB.
        var uitInfo = new SKImageInfo(uitBreedte, uitHoogte, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var surface = SKSurface.Create(uitInfo);
        if (surface is null)
        {
            return FotoResultaat.Mislukt(FotoFouten.Onleesbaar);
        }
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        canvas.Scale(
            (float)uitBreedte / (gedraaid ? bitmap.Height : bitmap.Width),
            (float)uitHoogte / (gedraaid ? bitmap.Width : bitmap.Height)
        );
        var orientatie = Orientatie(origin, bitmap.Width, bitmap.Height);
        canvas.Concat(in orientatie);
        using (var beeld = SKImage.FromBitmap(bitmap))
        {
            canvas.DrawImage(beeld, 0, 0, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        }
        canvas.Flush();

        using var pixels = surface.PeekPixels();
        using var jpeg = pixels.Encode(new SKJpegEncoderOptions(opties.JpegKwaliteit));
        return jpeg is null
            ? FotoResultaat.Mislukt(FotoFouten.Onleesbaar)
            : new FotoResultaat(true, jpeg.ToArray(), uitBreedte, uitHoogte, null, null);
    }

    /// <summary>Maps stored pixels of a <paramref name="w"/>×<paramref name="h"/> image to their
    /// upright place, for each EXIF orientation (1–8).</summary>
    private static SKMatrix Orientatie(SKEncodedOrigin origin, int w, int h) =>
        origin switch
        {
            SKEncodedOrigin.TopRight => new SKMatrix(-1, 0, w, 0, 1, 0, 0, 0, 1),
            SKEncodedOrigin.BottomRight => new SKMatrix(-1, 0, w, 0, -1, h, 0, 0, 1),
            SKEncodedOrigin.BottomLeft => new SKMatrix(1, 0, 0, 0, -1, h, 0, 0, 1),
            SKEncodedOrigin.LeftTop => new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1),
            SKEncodedOrigin.RightTop => new SKMatrix(0, -1, h, 1, 0, 0, 0, 0, 1),
            SKEncodedOrigin.RightBottom => new SKMatrix(0, -1, h, -1, 0, w, 0, 0, 1),
            SKEncodedOrigin.LeftBottom => new SKMatrix(0, 1, 0, -1, 0, w, 0, 0, 1),
            _ => SKMatrix.Identity,
        };

    /// <summary>The type by its first bytes; the file name and the browser's content type are
    /// whatever the sender says and prove nothing.</summary>
    private static FotoSoort HerkenSoort(ReadOnlySpan<byte> kop)
    {
        if (kop.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return FotoSoort.Jpeg;
        }
        if (kop.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return FotoSoort.Png;
        }
        if (kop.Length >= 12 && kop.StartsWith("RIFF"u8) && kop[8..12].SequenceEqual("WEBP"u8))
        {
            return FotoSoort.WebP;
        }
        if (kop.StartsWith("GIF87a"u8) || kop.StartsWith("GIF89a"u8))
        {
            return FotoSoort.Gif;
        }
        return FotoSoort.Onbekend;
    }

    private static bool PastBij(SKEncodedImageFormat formaat, FotoSoort soort) =>
        (formaat, soort) switch
        {
            (SKEncodedImageFormat.Jpeg, FotoSoort.Jpeg) => true,
            (SKEncodedImageFormat.Png, FotoSoort.Png) => true,
            (SKEncodedImageFormat.Webp, FotoSoort.WebP) => true,
            (SKEncodedImageFormat.Gif, FotoSoort.Gif) => true,
            _ => false,
        };

    private static async Task<byte[]> LeesBegrensdAsync(Stream input, long maxBytes, CancellationToken cancellationToken)
    {
        // One byte more than allowed is enough to know the upload is too big; never read it all.
        using var buffer = new MemoryStream();
        var blok = new byte[81920];
        var over = maxBytes + 1;
        int gelezen;
        while (over > 0 && (gelezen = await input.ReadAsync(blok.AsMemory(0, (int)Math.Min(blok.Length, over)), cancellationToken)) > 0)
        {
            buffer.Write(blok, 0, gelezen);
            over -= gelezen;
        }
        return buffer.ToArray();
    }

    private static byte[] LeesBegrensd(Stream input, long maxBytes)
    {
        using var buffer = new MemoryStream();
        var blok = new byte[81920];
        var over = maxBytes + 1;
        int gelezen;
        while (over > 0 && (gelezen = input.Read(blok, 0, (int)Math.Min(blok.Length, over))) > 0)
        {
            buffer.Write(blok, 0, gelezen);
            over -= gelezen;
        }
        return buffer.ToArray();
    }
}
