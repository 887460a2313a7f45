using MetadataExtractor;
using MetadataExtractor.Formats.Exif;
using MetadataExtractor.Formats.FileType;
using MetadataExtractor.Formats.Jfif;
using MetadataExtractor.Formats.Jpeg;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SkiaSharp;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Fotos;

namespace Wijkmeldingen.Tests.Fotos;

/// <summary>Photo uploads without a database: what comes out is an upright, resized JPEG with no
/// metadata at all, the GPS position is read from the original first, and hostile files are
/// refused with a Dutch message instead of an exception.</summary>
public sealed class FotoVerwerkerTests
{
    // Heemstede, Raadhuisplein.
    private const double Lat = 52.35736;
    private const double Lon = 4.62169;

    private static FotoVerwerker Verwerker(FotoOptions? opties = null) =>
        new(Options.Create(opties ?? new FotoOptions()), NullLogger<FotoVerwerker>.Instance);

    private static IReadOnlyList<MetadataExtractor.Directory> Metadata(byte[] bestand) =>
        ImageMetadataReader.ReadMetadata(new MemoryStream(bestand));

    [Fact]
    public async Task Jpeg_with_gps_comes_out_as_jpeg_without_metadata_and_with_the_original_position()
    {
        var origineel = TestFotos.JpegMetGps(Lat, Lon);
        Assert.NotNull(Metadata(origineel).OfType<GpsDirectory>().SingleOrDefault()); // the input really has GPS

        var resultaat = await Verwerker().VerwerkAsync(new MemoryStream(origineel), "IMG_0001.jpg");

        Assert.True(resultaat.Gelukt, resultaat.Fout);
        Assert.Null(resultaat.Fout);
        Assert.Equal((640, 480), (resultaat.Breedte, resultaat.Hoogte));
        var jpeg = resultaat.Jpeg!;
        Assert.Equal(SKEncodedImageFormat.Jpeg, SKCodec.Create(SKData.CreateCopy(jpeg))!.EncodedFormat);
        var uit = Metadata(jpeg);
        Assert.Empty(uit.OfType<GpsDirectory>());
        Assert.Empty(uit.OfType<ExifDirectoryBase>());
        Assert.DoesNotContain("Wijkmeldingen"u8.ToArray(), Stukken(jpeg, "Wijkmeldingen".Length));
        Assert.NotNull(resultaat.Gps);
        Assert.Equal(Lat, resultaat.Gps.Lat, 1e-5);
        Assert.Equal(Lon, resultaat.Gps.Lon, 1e-5);
    }

    [Fact]
    public void Every_kind_of_metadata_is_gone_only_the_jfif_header_remains()
    {
        var origineel = TestFotos.JpegMetAlleMetadata(Lat, Lon);
        var markersIn = TestFotos.JpegMarkers(origineel);
        Assert.Contains((byte)0xE1, markersIn); // EXIF and XMP
        Assert.Contains((byte)0xE2, markersIn); // ICC profile
        Assert.Contains((byte)0xFE, markersIn); // comment

        var resultaat = Verwerker().Verwerk(origineel, "IMG_0002.jpg");

        Assert.True(resultaat.Gelukt, resultaat.Fout);
        var markersUit = TestFotos.JpegMarkers(resultaat.Jpeg!);
        Assert.All(markersUit, marker => Assert.False(marker is >= 0xE1 and <= 0xEF or 0xFE, $"segment FF{marker:X2} in the output"));
        var toegestaan = new[] { typeof(JpegDirectory), typeof(JfifDirectory), typeof(HuffmanTablesDirectory), typeof(FileTypeDirectory) };
        Assert.All(Metadata(resultaat.Jpeg!), directory => Assert.Contains(directory.GetType(), toegestaan));
        Assert.Equal(Lat, resultaat.Gps!.Lat, 1e-5);
    }

    [Fact]
    public void Test_jpeg_carries_genuine_exif_that_metadata_extractor_reads_back()
    {
        var jpeg = TestFotos.JpegMetGps(-33.8568, -151.2153, orientatie: 6);

        var metadata = Metadata(jpeg);
        var ifd0 = metadata.OfType<ExifIfd0Directory>().Single();
        Assert.Equal(TestFotos.Make, ifd0.GetString(ExifDirectoryBase.TagMake));
        Assert.Equal(TestFotos.Model, ifd0.GetString(ExifDirectoryBase.TagModel));
        Assert.Equal(6, ifd0.GetInt32(ExifDirectoryBase.TagOrientation));
        var gps = metadata.OfType<GpsDirectory>().Single();
        Assert.Equal("S", gps.GetString(GpsDirectory.TagLatitudeRef));
        Assert.Equal("W", gps.GetString(GpsDirectory.TagLongitudeRef));
        var plaats = gps.GetGeoLocation();
        Assert.NotNull(plaats);
        Assert.Equal(-33.8568, plaats.Latitude, 1e-6);
        Assert.Equal(-151.2153, plaats.Longitude, 1e-6);
        using var codec = SKCodec.Create(SKData.CreateCopy(jpeg))!;
        Assert.Equal(SKEncodedOrigin.RightTop, codec.EncodedOrigin); // Skia reads the same tag
    }

    [Fact]
    public void Orientation_6_is_applied_so_the_stored_photo_is_upright()
    {
        // Stored landscape, red block top-left; orientation 6 means "turn 90° clockwise to view".
        var resultaat = Verwerker().Verwerk(TestFotos.JpegMetOrientatie(6, 640, 480), "staand.jpg");

        Assert.True(resultaat.Gelukt, resultaat.Fout);
        Assert.Equal((480, 640), (resultaat.Breedte, resultaat.Hoogte));
        using var bitmap = SKBitmap.Decode(resultaat.Jpeg!);
        Assert.Equal((480, 640), (bitmap.Width, bitmap.Height));
        // Turned clockwise, the stored top-left quarter is now the top-right one.
        Assert.True(IsRood(bitmap.GetPixel(480 - 60, 60)), $"top right is {bitmap.GetPixel(480 - 60, 60)}");
        Assert.False(IsRood(bitmap.GetPixel(60, 60)), $"top left is {bitmap.GetPixel(60, 60)}");
        Assert.True(IsBlauw(bitmap.GetPixel(60, 640 - 60)), $"bottom left is {bitmap.GetPixel(60, 640 - 60)}");
    }

    [Theory]
    [InlineData(1, false, 0)] // red stays top-left
    [InlineData(2, false, 1)] // mirrored: top-right
    [InlineData(3, false, 3)] // 180°: bottom-right
    [InlineData(4, false, 2)] // flipped: bottom-left
    [InlineData(5, true, 0)] // transposed: top-left
    [InlineData(6, true, 1)]
    [InlineData(7, true, 3)] // transverse: bottom-right
    [InlineData(8, true, 2)] // 90° anticlockwise: bottom-left
    public void Every_exif_orientation_ends_upright(int orientatie, bool gedraaid, int rodeHoek)
    {
        var resultaat = Verwerker().Verwerk(TestFotos.JpegMetOrientatie(orientatie, 400, 200), null);

        Assert.True(resultaat.Gelukt, resultaat.Fout);
        Assert.Equal(gedraaid ? (200, 400) : (400, 200), (resultaat.Breedte, resultaat.Hoogte));
        using var bitmap = SKBitmap.Decode(resultaat.Jpeg!);
        var (w, h) = (bitmap.Width, bitmap.Height);
        SKPointI[] hoeken = [new(30, 30), new(w - 30, 30), new(30, h - 30), new(w - 30, h - 30)];
        for (var hoek = 0; hoek < 4; hoek++)
        {
            var kleur = bitmap.GetPixel(hoeken[hoek].X, hoeken[hoek].Y);
            Assert.True(IsRood(kleur) == (hoek == rodeHoek), $"corner {hoek} is {kleur}");
        }
    }

    [Fact]
    public void Png_is_accepted_and_stored_as_jpeg()
    {
        var resultaat = Verwerker().Verwerk(TestFotos.Png(320, 240), "scherm.png");

        Assert.True(resultaat.Gelukt, resultaat.Fout);
        Assert.Equal((320, 240), (resultaat.Breedte, resultaat.Hoogte));
        Assert.Equal([0xFF, 0xD8, 0xFF], resultaat.Jpeg![..3]);
        Assert.Null(resultaat.Gps);
    }

    [Fact]
    public void WebP_is_accepted_and_stored_as_jpeg()
    {
        var resultaat = Verwerker().Verwerk(TestFotos.WebP(320, 240), "foto.webp");

        Assert.True(resultaat.Gelukt, resultaat.Fout);
        Assert.Equal([0xFF, 0xD8, 0xFF], resultaat.Jpeg![..3]);
    }

    [Fact]
    public void Text_file_named_jpg_is_refused_with_the_dutch_message()
    {
        var resultaat = Verwerker().Verwerk(new MemoryStream(TestFotos.GeenFoto()), "foto.jpg");

        Assert.False(resultaat.Gelukt);
        Assert.Null(resultaat.Jpeg);
        Assert.Equal("Dit bestand is geen foto. Kies een JPG-, PNG- of WebP-bestand.", resultaat.Fout);
    }

    [Fact]
    public async Task Upload_over_max_bytes_is_refused_after_reading_one_byte_more_than_allowed()
    {
        var opties = new FotoOptions { MaxBytes = 10 * 1024 * 1024 };
        var stream = new TellendeStream(new byte[25 * 1024 * 1024]);

        var resultaat = await Verwerker(opties).VerwerkAsync(stream, "groot.jpg");

        Assert.False(resultaat.Gelukt);
        Assert.Equal("Deze foto is groter dan 10 MB.", resultaat.Fout);
        Assert.Equal(opties.MaxBytes + 1, stream.Gelezen);
    }

    [Fact]
    public void Upload_of_exactly_max_bytes_is_not_refused_for_its_size()
    {
        var jpeg = TestFotos.Jpeg(64, 48);

        var resultaat = Verwerker(new FotoOptions { MaxBytes = jpeg.Length }).Verwerk(new MemoryStream(jpeg), "precies.jpg");

        Assert.True(resultaat.Gelukt, resultaat.Fout);
    }

    [Fact]
    public void Declared_huge_dimensions_are_refused_from_the_header_without_decoding()
    {
        var bom = TestFotos.PngMetAfmetingen(100_000, 100_000);
        Assert.True(bom.Length < 100);
        var voor = GC.GetAllocatedBytesForCurrentThread();

        var resultaat = Verwerker().Verwerk(bom, "bom.png");

        Assert.False(resultaat.Gelukt);
        Assert.Equal(FotoFouten.TeVeelPixels, resultaat.Fout);
        Assert.StartsWith("Deze foto heeft te veel pixels.", resultaat.Fout, StringComparison.Ordinal);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - voor < 1024 * 1024, "managed memory was allocated for pixels");
    }

    [Fact]
    public void Pixel_limit_counts_declared_pixels_of_real_photos_too()
    {
        var resultaat = Verwerker(new FotoOptions { MaxPixels = 640 * 480 - 1 }).Verwerk(TestFotos.Jpeg(640, 480), null);

        Assert.Equal(FotoFouten.TeVeelPixels, resultaat.Fout);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public void Truncated_jpeg_is_refused(double deel)
    {
        var jpeg = TestFotos.JpegMetGps(Lat, Lon);
        var afgekapt = jpeg[..(int)(jpeg.Length * deel)];

        var resultaat = Verwerker().Verwerk(afgekapt, "half.jpg");

        Assert.False(resultaat.Gelukt);
        Assert.Equal("Deze foto kon niet worden gelezen. Probeer een andere foto.", resultaat.Fout);
    }

    [Fact]
    public void Big_photo_is_scaled_down_to_max_zijde_keeping_its_proportions()
    {
        var resultaat = Verwerker().Verwerk(TestFotos.JpegMetGps(Lat, Lon, 4000, 3000), "groot.jpg");

        Assert.True(resultaat.Gelukt, resultaat.Fout);
        Assert.Equal((2048, 1536), (resultaat.Breedte, resultaat.Hoogte));
        using var bitmap = SKBitmap.Decode(resultaat.Jpeg!);
        Assert.Equal((2048, 1536), (bitmap.Width, bitmap.Height));
        Assert.True(IsRood(bitmap.GetPixel(100, 100)));
        Assert.True(IsBlauw(bitmap.GetPixel(2048 - 100, 1536 - 100)));
    }

    [Fact]
    public void Scaled_down_and_turned_photo_fits_max_zijde_upright()
    {
        var resultaat = Verwerker(new FotoOptions { MaxZijde = 500 })
            .Verwerk(TestFotos.JpegMetGps(Lat, Lon, 2000, 1000, orientatie: 8), null);

        Assert.True(resultaat.Gelukt, resultaat.Fout);
        Assert.Equal((250, 500), (resultaat.Breedte, resultaat.Hoogte));
    }

    public static TheoryData<string, byte[]> VijandigeBestanden() =>
        new()
        {
            { "leeg", [] },
            { "alleen SOI", [0xFF, 0xD8, 0xFF] },
            { "PNG-handtekening zonder meer", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] },
            { "RIFF zonder WebP", [.. "RIFF\0\0\0\0WEBPVP8 "u8] },
            { "GIF-kop", [.. "GIF89a"u8, 0xFF, 0xFF, 0xFF, 0xFF] },
            { "willekeurig", WillekeurigeBytes(4096, 1) },
            { "JPEG-kop met ruis", [0xFF, 0xD8, 0xFF, 0xE0, .. WillekeurigeBytes(4096, 2)] },
            { "PNG met 0x0", TestFotos.PngMetAfmetingen(0, 0) },
            { "PNG met negatieve maat", TestFotos.PngMetAfmetingen(-1, -1) },
            {
                "kapotte EXIF",
                TestFotos.MetSegmenten(
                    TestFotos.Jpeg(64, 48),
                    TestFotos.Segment(0xE1, [.. "Exif\0\0II*\0"u8, 0xFF, 0xFF, 0xFF, 0x7F, .. WillekeurigeBytes(200, 3)])
                )
            },
        };

    [Theory]
    [MemberData(nameof(VijandigeBestanden))]
    public void Hostile_input_never_throws_and_gets_a_message(string soort, byte[] bestand)
    {
        var resultaat = Verwerker().Verwerk(bestand, soort);

        if (soort == "kapotte EXIF")
        {
            // The pixels are fine; only the position is unreadable.
            Assert.True(resultaat.Gelukt, resultaat.Fout);
            Assert.Null(resultaat.Gps);
            return;
        }
        Assert.False(resultaat.Gelukt);
        Assert.Null(resultaat.Jpeg);
        Assert.False(string.IsNullOrWhiteSpace(resultaat.Fout));
    }

    [Fact]
    public void LeesGps_returns_null_for_no_gps_corrupt_exif_and_non_images()
    {
        Assert.Null(FotoVerwerker.LeesGps(TestFotos.Jpeg()));
        Assert.Null(FotoVerwerker.LeesGps(TestFotos.JpegMetOrientatie(1)));
        Assert.Null(FotoVerwerker.LeesGps(TestFotos.JpegMetGps(0, 0))); // no fix
        Assert.Null(FotoVerwerker.LeesGps(TestFotos.GeenFoto()));
        Assert.Null(FotoVerwerker.LeesGps([]));
        var exif = TestFotos.Exif(1, (Lat, Lon));
        var kapot = TestFotos.MetSegmenten(TestFotos.Jpeg(64, 48), exif[..(exif.Length - 20)]);
        Assert.Null(Record.Exception(() => FotoVerwerker.LeesGps(kapot)));
        Assert.Equal(new FotoGps(Lat, Lon), Afgerond(FotoVerwerker.LeesGps(TestFotos.JpegMetGps(Lat, Lon))));
    }

    [Fact]
    public void ControleerAantal_allows_max_aantal_and_refuses_more()
    {
        var verwerker = Verwerker();

        Assert.Null(verwerker.ControleerAantal(3));
        Assert.Equal("Voeg maximaal 3 foto's toe.", verwerker.ControleerAantal(4));
    }

    [Fact]
    public void AddFotos_binds_the_fotos_section_and_registers_one_verwerker()
    {
        var configuratie = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Fotos:MaxZijde"] = "100", ["Fotos:JpegKwaliteit"] = "60" })
            .Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuratie).AddLogging().AddFotos();
        using var provider = services.BuildServiceProvider();

        var opties = provider.GetRequiredService<IOptions<FotoOptions>>().Value;
        Assert.Equal((100, 60, 3), (opties.MaxZijde, opties.JpegKwaliteit, opties.MaxAantal));
        Assert.Same(provider.GetRequiredService<FotoVerwerker>(), provider.GetRequiredService<FotoVerwerker>());
        Assert.Equal(100, provider.GetRequiredService<FotoVerwerker>().Verwerk(TestFotos.Jpeg(400, 300), null).Breedte);
    }

    private static FotoGps? Afgerond(FotoGps? gps) => gps is null ? null : new FotoGps(Math.Round(gps.Lat, 5), Math.Round(gps.Lon, 5));

    private static bool IsRood(SKColor kleur) => kleur.Red > 150 && kleur.Green < 90 && kleur.Blue < 90;

    private static bool IsBlauw(SKColor kleur) => kleur.Blue > 130 && kleur.Red < 90 && kleur.Green < 110;

    private static byte[] WillekeurigeBytes(int aantal, int zaad)
    {
        var bytes = new byte[aantal];
        new Random(zaad).NextBytes(bytes);
        return bytes;
    }

    private static IEnumerable<byte[]> Stukken(byte[] bytes, int lengte) =>
        Enumerable.Range(0, Math.Max(0, bytes.Length - lengte + 1)).Select(i => bytes[i..(i + lengte)]);

    /// <summary>A read-only stream that counts what was read from it, to prove the limit stops reading.</summary>
    private sealed class TellendeStream(byte[] inhoud) : Stream
    {
        private readonly MemoryStream bron = new(inhoud, writable: false);

        public long Gelezen { get; private set; }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var gelezen = bron.Read(buffer, offset, count);
            Gelezen += gelezen;
            return gelezen;
        }

        public override void Flush() { }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                bron.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
