using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Geo.Gebieden;
using Wijkmeldingen.Web.Hosting;

namespace Wijkmeldingen.Tests.Geo.Gebieden;

/// <summary>The `gemeente` import on real PostGIS, from the two committed fixtures in the CBS
/// GeoPackage layout (db/seed/gebieden/): Heemstede (real) and Voorbeeldstad (synthetic).</summary>
public sealed class GebiedenImportTests : DatabaseTest
{
    private static readonly string Heemstede = CbsFixtures.Pad(CbsFixtures.HeemstedeBestand);
    private static readonly string Voorbeeldstad = CbsFixtures.Pad(CbsFixtures.VoorbeeldstadBestand);

    // Areas are reference data: imported as the owner role, like the `gemeente` verb does.
    private GebiedenImport Import => new(EigenaarDataSource, NullLogger<GebiedenImport>.Instance);

    /// <summary>These tests file in Heemstede's buurten, whichever municipality the suite runs as; the
    /// Voorbeeldstad reports go through a connection of their own.</summary>
    protected override string Gemeente => "GM0397";

    private static readonly string[] BeideGemeenten = ["GM0397", "GM9999"];

    private sealed record Stand(string Gemeenten, int Wijken, int Buurten, long? BuurtInwoners, int? GemeenteInwoners);

    private async Task<Stand> StandAsync()
    {
        await using var connection = await EigenaarDataSource.OpenConnectionAsync();
        return await connection.QuerySingleAsync<Stand>(
            """
            SELECT (SELECT string_agg(code || ' ' || naam, ',' ORDER BY code) FROM gemeente) AS gemeenten,
                   (SELECT count(*)::int FROM wijk) AS wijken, (SELECT count(*)::int FROM buurt) AS buurten,
                   (SELECT sum(inwoners)::bigint FROM buurt) AS buurtinwoners,
                   (SELECT sum(inwoners)::int FROM gemeente) AS gemeenteinwoners
            """
        );
    }

    [Fact]
    public async Task Heemstede_fixture_imports_its_3_wijken_14_buurten_and_inhabitants_on_the_shapes_of_the_shared_geodata()
    {
        // Test databases start with these areas (TestDatabase imports the fixture); start from another municipality.
        await Import.ImportAsync(Voorbeeldstad, "GM9999", opruimen: true);
        await using var connection = await EigenaarDataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("CREATE TABLE buurt_bron (code text, geom geometry)");
        using (
            var bron = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(CbsFixtures.SharedData(), "heemstede-buurten.geojson")))
        )
        {
            foreach (var f in bron.RootElement.GetProperty("features").EnumerateArray())
            {
                await connection.ExecuteAsync(
                    "INSERT INTO buurt_bron VALUES (@code, ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(@json), 4326), 28992))",
                    new
                    {
                        code = f.GetProperty("properties").GetProperty("buurtcode").GetString(),
                        json = f.GetProperty("geometry").GetRawText(),
                    }
                );
            }
        }

        // With --opruimen: Heemstede replaces Voorbeeldstad (without it, both would stay).
        var r = await Import.ImportAsync(Heemstede, "GM0397", opruimen: true);

        Assert.Equal(("GM0397", "Heemstede", 27593), (r.GemeenteCode, r.GemeenteNaam, r.GemeenteInwoners ?? 0));
        Assert.Equal((3, 14, 0, 27580L), (r.Wijken, r.Buurten, r.WaterBuurtenOvergeslagen, r.BuurtInwoners));
        Assert.Equal(8, r.GebiedenVerwijderd.Count);
        Assert.Equal(new Stand("GM0397 Heemstede", 3, 14, 27580, 27593), await StandAsync());
        // The fixture carries the shapes of the shared geodata (the old reference script's, same transformation).
        var afwijking = await connection.ExecuteScalarAsync<double>(
            "SELECT max(ST_HausdorffDistance(b.geom, v.geom)) FROM buurt b JOIN buurt_bron v USING (code)"
        );
        Assert.True(afwijking < 0.01, $"buurt shapes moved up to {afwijking} m");
        Assert.Equal(14, await connection.ExecuteScalarAsync<int>("SELECT count(*)::int FROM buurt b JOIN buurt_bron v USING (code)"));
        var centrum = await connection.QuerySingleAsync<(string Naam, int Inwoners, int Huishoudens, string Postcode, string Wijk)>(
            "SELECT naam, inwoners, huishoudens, postcode_pc4, wijk_code FROM buurt WHERE code = 'BU03970000'"
        );
        Assert.Equal(("Centrum", 3675, 1890, "2101", "WK039700"), centrum);
        // BU03970102 has no published 0-15 count: a CBS sentinel in the file, null here.
        Assert.Null(await connection.ExecuteScalarAsync<int?>("SELECT inwoners_0tot15 FROM buurt WHERE code = 'BU03970102'"));
    }

    [Fact]
    public async Task A_reimport_is_idempotent_and_replaces_changed_names_figures_and_stored_buurten_of_reports()
    {
        // Heemstede alone, whichever municipality the test database started with.
        await Import.ImportAsync(Heemstede, "GM0397", opruimen: true);
        var melding = await Een.Melding(DataSource).In("BU03970005").OpgeslagenAsync();
        await using var connection = await EigenaarDataSource.OpenConnectionAsync();
        Assert.Equal("BU03970005", await BuurtVanAsync(melding.Id));

        Assert.Null(await Import.ImportAlsLeegAsync(Heemstede));
        var tweede = await Import.ImportAsync(Heemstede, "gm0397");
        Assert.Equal((3, 14, 0, 0), (tweede.Wijken, tweede.Buurten, tweede.MeldingenHerplaatst, tweede.GebiedenVerwijderd.Count));
        Assert.Equal(new Stand("GM0397 Heemstede", 3, 14, 27580, 27593), await StandAsync());

        // Someone changed the areas by hand and a report's stored buurt is wrong: the import puts both right.
        await connection.ExecuteAsync(
            """
            UPDATE buurt SET naam = 'Verkeerd', inwoners = 1 WHERE code = 'BU03970005';
            UPDATE melding SET buurt_code = 'BU03970200', wijk_code = 'WK039702' WHERE id = @id;
            """,
            new { id = melding.Id }
        );
        var derde = await Import.ImportAsync(Heemstede, "GM0397");
        Assert.Equal((1, 0), (derde.MeldingenHerplaatst, derde.MeldingenBijGrens));
        Assert.Equal("BU03970005", await BuurtVanAsync(melding.Id));
        Assert.Equal(
            ("Schouwbroekerpolder", 1460),
            await connection.QuerySingleAsync<(string, int)>("SELECT naam, inwoners FROM buurt WHERE code = 'BU03970005'")
        );
        Assert.Equal(new Stand("GM0397 Heemstede", 3, 14, 27580, 27593), await StandAsync());
    }

    [Fact]
    public async Task Voorbeeldstad_replaces_Heemstede_only_land_is_kept_and_reports_of_the_old_municipality_decide_how()
    {
        await Import.ImportAsync(Heemstede, "GM0397");
        var bewoner = await Een.Melding(DataSource).In("BU03970001").OpgeslagenAsync();
        var demo = await Een.Melding(DataSource).In("BU03970003").OpgeslagenAsync();
        await using var connection = await EigenaarDataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("UPDATE melding SET is_demo = true WHERE id = @id", new { id = demo.Id });
        var voor = await StandAsync();

        // A resident's report 60 km away: refused, even with --opruimen; nothing changed.
        var fout = await Assert.ThrowsAsync<GebiedenImportException>(() => Import.ImportAsync(Voorbeeldstad, "GM9999", opruimen: true));
        Assert.Contains("1 melding(en) van bewoners", fout.Message, StringComparison.Ordinal);
        Assert.Contains(bewoner.Volgcode, fout.Message, StringComparison.Ordinal);
        Assert.Equal(voor, await StandAsync());

        // Without --opruimen Voorbeeldstad comes beside Heemstede (one installation, two municipalities, V81):
        // Heemstede's areas and reports stay.
        var naast = await Import.ImportAsync(Voorbeeldstad, "GM9999");
        Assert.Equal((0, 0, 0), (naast.MeldingenHerplaatst, naast.DemoMeldingenVerwijderd, naast.GebiedenVerwijderd.Count));
        Assert.Equal(BeideGemeenten, (await connection.QueryAsync<string>("SELECT code FROM gemeente ORDER BY code")).ToArray());
        Assert.Equal(2, await connection.ExecuteScalarAsync<int>("SELECT count(*)::int FROM melding WHERE buurt_code LIKE 'BU0397%'"));

        // With --opruimen Heemstede goes: its demo report is removed, the resident's report refuses it (above).
        await connection.ExecuteAsync("DELETE FROM melding WHERE id = @id", new { id = bewoner.Id });

        var r = await Import.ImportAsync(Voorbeeldstad, "GM9999", opruimen: true);
        Assert.Equal(("GM9999", "Voorbeeldstad", 11412), (r.GemeenteCode, r.GemeenteNaam, r.GemeenteInwoners ?? 0));
        Assert.Equal((2, 5, 1, 11400L, 1), (r.Wijken, r.Buurten, r.WaterBuurtenOvergeslagen, r.BuurtInwoners, r.DemoMeldingenVerwijderd));
        Assert.Equal(14 + 3 + 1, r.GebiedenVerwijderd.Count);
        Assert.Equal(new Stand("GM9999 Voorbeeldstad", 2, 5, 11400, 11412), await StandAsync());
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT count(*)::int FROM melding"));
        // The lake (water = 'JA') is not part of the municipality; the secret figures are null.
        Assert.Equal(2400, await connection.ExecuteScalarAsync<double>("SELECT round(ST_Area(geom) / 10000) FROM gemeente"));
        Assert.Null(await connection.ExecuteScalarAsync<int?>("SELECT inwoners FROM buurt WHERE code = 'BU99990101'"));

        // New reports land in Voorbeeldstad's buurten; one 100 m outside the edge is refused by the filing trigger.
        await using var voorbeeldstad = Database.CreateDataSource("GM9999");
        var nieuw = await Een.Melding(voorbeeldstad).In("BU99990100").OpgeslagenAsync();
        Assert.Equal("BU99990100", await BuurtVanAsync(nieuw.Id));
    }

    [Fact]
    public async Task A_report_just_outside_the_new_boundary_goes_to_the_nearest_buurt()
    {
        await Import.ImportAsync(Voorbeeldstad, "GM9999", opruimen: true);
        await using var voorbeeldstad = Database.CreateDataSource("GM9999");
        var melding = await Een.Melding(voorbeeldstad).In("BU99990101").OpgeslagenAsync();
        await using var connection = await EigenaarDataSource.OpenConnectionAsync();
        // The boundary moved: the buurt shrinks 500 m from the east, the report's point is now 0-500 m outside.
        await connection.ExecuteAsync(
            """
            UPDATE melding SET locatie = ST_SetSRID(ST_MakePoint(165900, 500500), 28992) WHERE id = @id;
            """,
            new { id = melding.Id }
        );
        var kleiner = Path.Combine(Path.GetTempPath(), $"kleiner-{Guid.NewGuid():N}.gpkg");
        try
        {
            File.Copy(Voorbeeldstad, kleiner);
            await using (var sqlite = new SqliteConnection($"Data Source={kleiner};Pooling=false"))
            {
                await sqlite.OpenAsync();
                var geom = Blob(Rechthoek(164000, 500000, 165700, 502000));
                var gemeente = new NetTopologySuite.IO.GeoPackageGeoWriter
                {
                    HandleOrdinates = NetTopologySuite.Geometries.Ordinates.XY,
                }.Write(
                    new NetTopologySuite.Operation.Union.UnaryUnionOp(
                        new[] { Rechthoek(160000, 500000, 165700, 502000), Rechthoek(160000, 502000, 166000, 504000) }
                    ).Union()
                );
                await sqlite.ExecuteAsync("UPDATE buurten SET geom = @geom WHERE buurtcode = 'BU99990101'", new { geom });
                await sqlite.ExecuteAsync("UPDATE gemeenten SET geom = @gemeente WHERE water = 'NEE'", new { gemeente });
            }
            var r = await Import.ImportAsync(kleiner, "GM9999");
            Assert.Equal((1, 0), (r.MeldingenBijGrens, r.MeldingenHerplaatst));
            Assert.Equal("BU99990101", await BuurtVanAsync(melding.Id));
        }
        finally
        {
            File.Delete(kleiner);
        }
    }

    private static byte[] Blob(Geometry geom) => new GeoPackageGeoWriter { HandleOrdinates = Ordinates.XY }.Write(geom);

    private static MultiPolygon Rechthoek(double x1, double y1, double x2, double y2)
    {
        var f = new GeometryFactory(new PrecisionModel(), 28992);
        return f.CreateMultiPolygon([f.CreatePolygon([new(x1, y1), new(x2, y1), new(x2, y2), new(x1, y2), new(x1, y1)])]);
    }

    [Fact]
    public async Task A_file_in_wgs84_is_transformed_to_rd_new()
    {
        var inhoud = CbsFixtures.Voorbeeldstad();
        await using var connection = await EigenaarDataSource.OpenConnectionAsync();
        async Task<List<CbsFixtures.Rij>> NaarWgs84(List<CbsFixtures.Rij> rijen)
        {
            var uit = new List<CbsFixtures.Rij>();
            foreach (var rij in rijen)
            {
                var wkb = await connection.ExecuteScalarAsync<byte[]>(
                    "SELECT ST_AsBinary(ST_Transform(ST_GeomFromWKB(@wkb, 28992), 4326))",
                    new { wkb = new WKBWriter().Write(rij.Geom) }
                );
                var geom = new WKBReader().Read(wkb);
                geom.SRID = 4326;
                uit.Add(rij with { Geom = geom });
            }
            return uit;
        }
        var wgs84 = inhoud with
        {
            Gemeenten = await NaarWgs84(inhoud.Gemeenten),
            Wijken = await NaarWgs84(inhoud.Wijken),
            Buurten = await NaarWgs84(inhoud.Buurten),
        };
        var pad = Path.Combine(Path.GetTempPath(), $"wgs84-{Guid.NewGuid():N}.gpkg");
        try
        {
            CbsFixtures.Schrijf(wgs84, pad);
            var r = await Import.ImportAsync(pad, "GM9999", opruimen: true);
            Assert.Equal((2, 5), (r.Wijken, r.Buurten));
            // Back in RD New: the 2 x 2 km buurt is where it was drawn, to the centimetre.
            var afwijking = await connection.ExecuteScalarAsync<double>(
                """
                SELECT ST_HausdorffDistance(geom, ST_MakeEnvelope(160000, 502000, 162000, 504000, 28992))
                FROM buurt WHERE code = 'BU99990000' AND ST_SRID(geom) = 28992
                """
            );
            Assert.True(afwijking < 0.01, $"{afwijking} m off");
        }
        finally
        {
            File.Delete(pad);
        }
    }

    [Fact]
    public async Task A_code_not_in_the_file_is_refused_naming_the_codes_nearby()
    {
        var voor = await StandAsync();
        var fout = await Assert.ThrowsAsync<GebiedenImportException>(() => Import.ImportAsync(Heemstede, "GM0398"));
        Assert.Equal(
            $"GM0398 staat niet in {CbsFixtures.HeemstedeBestand} (1 gemeente). Codes die er het dichtst bij liggen: GM0397 Heemstede.",
            fout.Message
        );
        fout = await Assert.ThrowsAsync<GebiedenImportException>(() => Import.ImportAsync(Heemstede, "Haarlem"));
        Assert.Contains("geen gemeentecode", fout.Message, StringComparison.Ordinal);
        Assert.Equal(voor, await StandAsync());
    }

    [Fact]
    public async Task A_bad_file_is_refused_with_a_clear_message_and_nothing_changes()
    {
        var voor = await StandAsync();
        var map = Directory.CreateTempSubdirectory("gemeente-");
        try
        {
            var tekst = Path.Combine(map.FullName, "wijkenbuurten.gpkg");
            await File.WriteAllTextAsync(tekst, "dit is geen GeoPackage maar een tekstbestand\n");
            var fout = await Assert.ThrowsAsync<GebiedenImportException>(() => Import.ImportAsync(tekst, "GM0397"));
            Assert.Contains("geen leesbare GeoPackage", fout.Message, StringComparison.Ordinal);

            var sqlite = Path.Combine(map.FullName, "leeg.gpkg");
            await using (var c = new SqliteConnection($"Data Source={sqlite};Pooling=false"))
            {
                await c.OpenAsync();
                await c.ExecuteAsync("CREATE TABLE iets (x int)");
            }
            fout = await Assert.ThrowsAsync<GebiedenImportException>(() => Import.ImportAsync(sqlite, "GM0397"));
            Assert.Contains("geen GeoPackage: de tabel gpkg_geometry_columns ontbreekt", fout.Message, StringComparison.Ordinal);

            // A GeoPackage without the buurten layer (another data set).
            var zonderBuurten = Path.Combine(map.FullName, "zonder-buurten.gpkg");
            File.Copy(Heemstede, zonderBuurten);
            await using (var c = new SqliteConnection($"Data Source={zonderBuurten};Pooling=false"))
            {
                await c.OpenAsync();
                await c.ExecuteAsync("DROP TABLE buurten; DELETE FROM gpkg_geometry_columns WHERE table_name = 'buurten'");
            }
            fout = await Assert.ThrowsAsync<GebiedenImportException>(() => Import.ImportAsync(zonderBuurten, "GM0397"));
            Assert.Contains("geen laag 'buurten'; gevonden: gemeenten, wijken", fout.Message, StringComparison.Ordinal);

            fout = await Assert.ThrowsAsync<GebiedenImportException>(() =>
                Import.ImportAsync(Path.Combine(map.FullName, "bestaat-niet.gpkg"), "GM0397")
            );
            Assert.Contains("Bestand niet gevonden", fout.Message, StringComparison.Ordinal);
        }
        finally
        {
            map.Delete(recursive: true);
        }
        Assert.Equal(voor, await StandAsync());
    }

    [Fact]
    public async Task The_command_prints_what_it_imported_and_exits_non_zero_when_refused()
    {
        var services = new ServiceCollection().AddSingleton(Import).BuildServiceProvider();
        var uit = new StringWriter();
        var fouten = new StringWriter();
        var (oudUit, oudFout) = (Console.Out, Console.Error);
        int goed,
            fout,
            zonderBron;
        try
        {
            Console.SetOut(uit);
            Console.SetError(fouten);
            goed = await Commands.GemeenteAsync(services, ["gemeente", "GM0397", "--bron", Heemstede]);
            fout = await Commands.GemeenteAsync(services, ["gemeente", "GM1234", "--bron", Heemstede]);
            zonderBron = await Commands.GemeenteAsync(services, ["gemeente", "GM0397"]);
        }
        finally
        {
            Console.SetOut(oudUit);
            Console.SetError(oudFout);
        }
        Assert.Equal((0, 2, 2), (goed, fout, zonderBron));
        Assert.Contains(
            "GM0397 Heemstede imported from heemstede-GM0397.gpkg: 3 wijken, 14 buurten",
            uit.ToString(),
            StringComparison.Ordinal
        );
        Assert.Contains("inhabitants: gemeente 27.593, buurten together 27.580", uit.ToString(), StringComparison.Ordinal);
        Assert.Contains("gemeente: refused, nothing changed. GM1234 staat niet in", fouten.ToString(), StringComparison.Ordinal);
        Assert.Contains("usage: gemeente GMxxxx --bron", fouten.ToString(), StringComparison.Ordinal);
    }

    private async Task<string> BuurtVanAsync(long id)
    {
        await using var connection = await EigenaarDataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<string>("SELECT buurt_code FROM melding WHERE id = @id", new { id }) ?? "";
    }
}
