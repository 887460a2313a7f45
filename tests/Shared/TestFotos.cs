using System.Buffers.Binary;
using System.Text;
using SkiaSharp;

namespace Wijkmeldingen.Testing;

/// <summary>
/// Real photo files for tests, made on the spot: JPEGs drawn with SkiaSharp carrying a genuine EXIF
/// APP1 segment (IFD0 with Make, Model, Orientation and a pointer to a GPS IFD with rational
/// latitude/longitude), PNGs, WebPs, and files that only pretend to be photos. Every picture has a
/// red block in its top-left quarter and a blue one in its bottom-right, so a test can see which way
/// up it ended.
/// </summary>
public static class TestFotos
{
    public const string Make = "Wijkmeldingen";
    public const string Model = "TestCamera 1";

    /// <summary>A JPEG with EXIF GPS (WGS84 decimal degrees; negative is south or west) and the given
    /// EXIF orientation (1–8; the pixels are stored as drawn, the tag says how to turn them).</summary>
    public static byte[] JpegMetGps(double lat, double lon, int breedte = 640, int hoogte = 480, int orientatie = 1) =>
        MetSegmenten(Jpeg(breedte, hoogte), Exif(orientatie, (lat, lon)));

    /// <summary>A JPEG with only an EXIF orientation tag, no GPS.</summary>
    public static byte[] JpegMetOrientatie(int orientatie, int breedte = 640, int hoogte = 480) =>
        MetSegmenten(Jpeg(breedte, hoogte), Exif(orientatie, null));

    /// <summary>A JPEG carrying every kind of metadata a phone may add: EXIF with GPS, XMP, an ICC
    /// colour profile (Display P3, written by Skia's encoder) and a comment.</summary>
    public static byte[] JpegMetAlleMetadata(double lat, double lon, int breedte = 640, int hoogte = 480)
    {
        var p3 = SKColorSpace.CreateRgb(SKColorSpaceTransferFn.Srgb, SKColorSpaceXyz.DisplayP3);
        var jpeg = Teken(breedte, hoogte, p3, pixmap => pixmap.Encode(new SKJpegEncoderOptions(90)));
        var xmp = Segment(
            0xE1,
            [
                .. "http://ns.adobe.com/xap/1.0/\0"u8,
                .. Encoding.UTF8.GetBytes(
                    """<x:xmpmeta xmlns:x="adobe:ns:meta/">"""
                        + """<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">"""
                        + """<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="52,21.5N"/>"""
                        + "</rdf:RDF></x:xmpmeta>"
                ),
            ]
        );
        var commentaar = Segment(0xFE, "Gemaakt in de Binnenweg, Heemstede"u8.ToArray());
        return MetSegmenten(jpeg, Exif(1, (lat, lon)), xmp, commentaar);
    }

    /// <summary>A plain JPEG as Skia writes it (JFIF, no EXIF).</summary>
    public static byte[] Jpeg(int breedte = 640, int hoogte = 480, int kwaliteit = 90) =>
        Teken(breedte, hoogte, null, pixmap => pixmap.Encode(new SKJpegEncoderOptions(kwaliteit)));

    public static byte[] Png(int breedte = 320, int hoogte = 240) =>
        Teken(breedte, hoogte, null, pixmap => pixmap.Encode(new SKPngEncoderOptions()));

    public static byte[] WebP(int breedte = 320, int hoogte = 240) =>
        Teken(breedte, hoogte, null, pixmap => pixmap.Encode(new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossy, 80)));

    /// <summary>Not a photo: the start of a PDF, as it arrives when someone picks the wrong file
    /// (and names it foto.jpg).</summary>
    public static byte[] GeenFoto() =>
        "%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n% melding.jpg\n%%EOF\n"u8.ToArray();

    /// <summary>A tiny, valid PNG (signature, IHDR with correct CRC, one IDAT, IEND) that claims to be
    /// <paramref name="breedte"/>×<paramref name="hoogte"/> pixels: a decompression bomb's header.</summary>
    public static byte[] PngMetAfmetingen(int breedte, int hoogte)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, breedte);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), hoogte);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 2; // truecolour RGB
        // A zlib stream holding a few zero bytes: enough for a decoder to get past the header.
        byte[] idat = [0x78, 0x9C, 0x63, 0x60, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01];
        return [0x89, .. "PNG\r\n\u001a\n"u8, .. PngChunk("IHDR", ihdr), .. PngChunk("IDAT", idat), .. PngChunk("IEND", [])];
    }

    /// <summary>The TIFF structure of an EXIF block: IFD0 (Make, Model, Orientation, GPS pointer)
    /// and, when <paramref name="gps"/> is given, a GPS IFD with version, refs and DMS rationals.</summary>
    public static byte[] ExifTiff(int orientatie, (double Lat, double Lon)? gps)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(orientatie, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(orientatie, 8);
        var ifd0 = new List<IfdEntry>
        {
            new(0x010F, 2, Make.Length + 1, [.. Encoding.ASCII.GetBytes(Make), 0]),
            new(0x0110, 2, Model.Length + 1, [.. Encoding.ASCII.GetBytes(Model), 0]),
            new(0x0112, 3, 1, Short((ushort)orientatie)),
        };
        const int tiffKop = 8;
        var gpsIfd = new List<IfdEntry>();
        if (gps is var (lat, lon))
        {
            // The GPS IFD follows IFD0, whose size does not depend on the pointer's value.
            var ifd0Grootte = IfdGrootte([.. ifd0, new IfdEntry(0x8825, 4, 1, new byte[4])]);
            ifd0.Add(new IfdEntry(0x8825, 4, 1, Long((uint)(tiffKop + ifd0Grootte))));
            gpsIfd.Add(new IfdEntry(0x0000, 1, 4, [2, 3, 0, 0]));
            gpsIfd.Add(new IfdEntry(0x0001, 2, 2, [(byte)(lat < 0 ? 'S' : 'N'), 0]));
            gpsIfd.Add(new IfdEntry(0x0002, 5, 3, Dms(lat)));
            gpsIfd.Add(new IfdEntry(0x0003, 2, 2, [(byte)(lon < 0 ? 'W' : 'E'), 0]));
            gpsIfd.Add(new IfdEntry(0x0004, 5, 3, Dms(lon)));
        }
        var tiff = new List<byte>();
        tiff.AddRange("II"u8);
        tiff.AddRange(Short(42));
        tiff.AddRange(Long(tiffKop));
        tiff.AddRange(SchrijfIfd(ifd0, tiffKop));
        if (gpsIfd.Count > 0)
        {
            tiff.AddRange(SchrijfIfd(gpsIfd, tiff.Count));
        }
        return [.. tiff];
    }

    /// <summary>An APP1 "Exif" segment around <see cref="ExifTiff"/>.</summary>
    public static byte[] Exif(int orientatie, (double Lat, double Lon)? gps) =>
        Segment(0xE1, [.. "Exif\0\0"u8, .. ExifTiff(orientatie, gps)]);

    /// <summary>A JPEG marker segment: FF, marker, big-endian length (which counts itself), payload.</summary>
    public static byte[] Segment(byte marker, byte[] payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(payload.Length, 65533);
        var lengte = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(lengte, (ushort)(payload.Length + 2));
        return [0xFF, marker, .. lengte, .. payload];
    }

    /// <summary>Splices segments in right after the JPEG's SOI marker, where EXIF belongs.</summary>
    public static byte[] MetSegmenten(byte[] jpeg, params byte[][] segmenten)
    {
        ArgumentNullException.ThrowIfNull(jpeg);
        ArgumentNullException.ThrowIfNull(segmenten);
        if (jpeg.Length < 2 || jpeg[0] != 0xFF || jpeg[1] != 0xD8)
        {
            throw new ArgumentException("Not a JPEG (no SOI marker).", nameof(jpeg));
        }
        return [.. jpeg.AsSpan(0, 2), .. segmenten.SelectMany(segment => segment), .. jpeg.AsSpan(2)];
    }

    /// <summary>The markers of a JPEG's header segments (APPn, COM, DQT, SOF...) up to the scan.</summary>
    public static IReadOnlyList<byte> JpegMarkers(byte[] jpeg)
    {
        ArgumentNullException.ThrowIfNull(jpeg);
        var markers = new List<byte>();
        var positie = 2;
        while (positie + 4 <= jpeg.Length && jpeg[positie] == 0xFF)
        {
            var marker = jpeg[positie + 1];
            markers.Add(marker);
            if (marker == 0xDA)
            {
                break;
            }
            positie += 2 + BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(positie + 2));
        }
        return markers;
    }

    private static byte[] Teken(int breedte, int hoogte, SKColorSpace? kleurruimte, Func<SKPixmap, SKData?> codeer)
    {
        using var surface = SKSurface.Create(new SKImageInfo(breedte, hoogte, SKColorType.Rgba8888, SKAlphaType.Premul, kleurruimte))
            ?? throw new InvalidOperationException("SkiaSharp could not create a surface.");
        var canvas = surface.Canvas;
        canvas.Clear(new SKColor(0xE8, 0xF0, 0xE0));
        using var rood = new SKPaint { Color = new SKColor(0xD0, 0x10, 0x10) };
        using var blauw = new SKPaint { Color = new SKColor(0x10, 0x30, 0xC0) };
        using var lijn = new SKPaint
        {
            Color = new SKColor(0x20, 0x60, 0x20),
            StrokeWidth = Math.Max(1, breedte / 100f),
            IsAntialias = true,
        };
        canvas.DrawRect(0, 0, breedte / 2f, hoogte / 2f, rood);
        canvas.DrawRect(breedte / 2f, hoogte / 2f, breedte / 2f, hoogte / 2f, blauw);
        canvas.DrawLine(0, hoogte, breedte, 0, lijn);
        canvas.DrawCircle(breedte * 0.75f, hoogte * 0.25f, Math.Min(breedte, hoogte) / 8f, lijn);
        canvas.Flush();
        using var pixmap = surface.PeekPixels();
        using var data = codeer(pixmap) ?? throw new InvalidOperationException("SkiaSharp could not encode the test picture.");
        return data.ToArray();
    }

    private sealed record IfdEntry(ushort Tag, ushort Type, int Count, byte[] Value);

    private static int IfdGrootte(List<IfdEntry> entries) =>
        2 + (12 * entries.Count) + 4 + entries.Where(e => e.Value.Length > 4).Sum(e => e.Value.Length + (e.Value.Length % 2));

    /// <summary>One IFD at <paramref name="offset"/> (from the TIFF header): entries sorted by tag,
    /// values over 4 bytes in a data area right behind it, each at an even offset.</summary>
    private static byte[] SchrijfIfd(List<IfdEntry> entries, int offset)
    {
        var gesorteerd = entries.OrderBy(e => e.Tag).ToList();
        var kop = new List<byte>();
        var data = new List<byte>();
        var dataOffset = offset + 2 + (12 * gesorteerd.Count) + 4;
        kop.AddRange(Short((ushort)gesorteerd.Count));
        foreach (var entry in gesorteerd)
        {
            kop.AddRange(Short(entry.Tag));
            kop.AddRange(Short(entry.Type));
            kop.AddRange(Long((uint)entry.Count));
            if (entry.Value.Length <= 4)
            {
                kop.AddRange(entry.Value);
                kop.AddRange(new byte[4 - entry.Value.Length]);
            }
            else
            {
                kop.AddRange(Long((uint)(dataOffset + data.Count)));
                data.AddRange(entry.Value);
                if (entry.Value.Length % 2 == 1)
                {
                    data.Add(0);
                }
            }
        }
        kop.AddRange(Long(0)); // no next IFD
        return [.. kop, .. data];
    }

    /// <summary>Degrees, minutes, seconds as three unsigned rationals; seconds to 1/10000.</summary>
    private static byte[] Dms(double waarde)
    {
        var absoluut = Math.Abs(waarde);
        var graden = (uint)Math.Floor(absoluut);
        var minutenDecimaal = (absoluut - graden) * 60;
        var minuten = (uint)Math.Floor(minutenDecimaal);
        var seconden = (uint)Math.Round((minutenDecimaal - minuten) * 60 * 10000);
        return [.. Long(graden), .. Long(1), .. Long(minuten), .. Long(1), .. Long(seconden), .. Long(10000)];
    }

    private static byte[] Short(ushort waarde)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, waarde);
        return bytes;
    }

    private static byte[] Long(uint waarde)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, waarde);
        return bytes;
    }

    private static byte[] PngChunk(string type, byte[] data)
    {
        var lengte = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(lengte, data.Length);
        byte[] typeEnData = [.. Encoding.ASCII.GetBytes(type), .. data];
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typeEnData));
        return [.. lengte, .. typeEnData, .. crc];
    }

    /// <summary>CRC-32 (ISO-HDLC, as PNG uses), bit by bit: test data is small.</summary>
    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }
        return ~crc;
    }
}
