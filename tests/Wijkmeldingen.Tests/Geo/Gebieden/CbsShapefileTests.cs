using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using NetTopologySuite.Features;
using NetTopologySuite.IO;
using NetTopologySuite.IO.Esri;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Geo.Gebieden;

namespace Wijkmeldingen.Tests.Geo.Gebieden;

/// <summary>The `gemeente` import from CBS's shapefile edition of the Wijk- en Buurtkaart (up to 2021:
/// gemeente_, wijk_ and buurt_JJJJ_vN.shp with CBS's short column names), written in the test from the
/// committed Voorbeeldstad GeoPackage: the same areas as from the GeoPackage.</summary>
public sealed class CbsShapefileTests : DatabaseTest
{
    private static readonly string Voorbeeldstad = CbsFixtures.Pad(CbsFixtures.VoorbeeldstadBestand);

    // RD New as CBS's .prj files give it.
    private const string RdNew =
        "PROJCS[\"Amersfoort_RD_New\",GEOGCS[\"GCS_Amersfoort\",DATUM[\"D_Amersfoort\",SPHEROID[\"Bessel_1841\",6377397.155,299.1528128]],"
        + "PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]],PROJECTION[\"Double_Stereographic\"],"
        + "PARAMETER[\"False_Easting\",155000.0],PARAMETER[\"False_Northing\",463000.0],PARAMETER[\"Central_Meridian\",5.38763888888889],"
        + "PARAMETER[\"Scale_Factor\",0.9999079],PARAMETER[\"Latitude_Of_Origin\",52.15616055555555],UNIT[\"Meter\",1.0]]";

    private GebiedenImport Import => new(EigenaarDataSource, NullLogger<GebiedenImport>.Instance);

    /// <summary>Each layer of the GeoPackage as a shapefile, its columns under CBS's shapefile names
    /// (others left out), a missing figure as CBS's sentinel.</summary>
    private static void SchrijfShapefiles(string gpkg, string map)
    {
        var naarKort = CbsWijkBuurtkaart.ShapefileKolommen.ToDictionary(k => k.Value, k => k.Key, StringComparer.OrdinalIgnoreCase);
        using var sqlite = new SqliteConnection($"Data Source={gpkg};Mode=ReadOnly;Pooling=false");
        sqlite.Open();
        foreach (var (laag, bestand) in new[] { ("gemeenten", "gemeente"), ("wijken", "wijk"), ("buurten", "buurt") })
        {
            var rijen = sqlite.Query($"SELECT * FROM {laag}").Cast<IDictionary<string, object?>>().ToList();
            var kolommen = rijen[0].Keys.Where(naarKort.ContainsKey).ToList();
            // A column's type from any filled value (text, whole number or fraction).
            var soort = kolommen.ToDictionary(k => k, k => rijen.Select(r => r[k]).FirstOrDefault(v => v is not null and not DBNull));
            var features = rijen.Select(r =>
            {
                var attributen = new AttributesTable();
                foreach (var k in kolommen)
                {
                    attributen.Add(
                        naarKort[k],
                        r[k] is null or DBNull
                            ? soort[k] switch
                            {
                                string => "",
                                double => -99999999.0,
                                _ => (object)-99999999L,
                            }
                            : r[k]
                    );
                }
                return (IFeature)new Feature(new GeoPackageGeoReader().Read((byte[])r["geom"]!), attributen);
            });
            Shapefile.WriteAllFeatures(features, Path.Combine(map, $"{bestand}_2024_v1.shp"), RdNew);
        }
    }

    [Fact]
    public async Task A_cbs_shapefile_set_imports_the_same_areas_as_the_geopackage()
    {
        var map = Directory.CreateTempSubdirectory("cbs-shp-");
        try
        {
            SchrijfShapefiles(Voorbeeldstad, map.FullName);
            var r = await Import.ImportAsync(Path.Combine(map.FullName, "buurt_2024_v1.shp"), "GM9999", opruimen: true);
            Assert.Equal(("GM9999", "Voorbeeldstad", 11412), (r.GemeenteCode, r.GemeenteNaam, r.GemeenteInwoners ?? 0));
            Assert.Equal((2, 5, 1, 11400L), (r.Wijken, r.Buurten, r.WaterBuurtenOvergeslagen, r.BuurtInwoners));
            await using var connection = await EigenaarDataSource.OpenConnectionAsync();
            await connection.ExecuteAsync(
                "CREATE TABLE buurt_shp AS SELECT * FROM buurt; CREATE TABLE wijk_shp AS SELECT * FROM wijk; "
                    + "CREATE TABLE gemeente_shp AS SELECT * FROM gemeente"
            );

            // The GeoPackage gives the very same areas, names, figures and shapes.
            var gpkg = await Import.ImportAsync(Voorbeeldstad, "GM9999");
            Assert.Equal((0, 0), (gpkg.MeldingenHerplaatst, gpkg.GebiedenVerwijderd.Count));
            foreach (var tabel in new[] { "buurt", "wijk", "gemeente" })
            {
                Assert.Equal(
                    0,
                    await connection.ExecuteScalarAsync<int>(
                        $"""
                        SELECT count(*)::int FROM (
                            (SELECT to_jsonb(t) - 'geom' FROM {tabel} t EXCEPT SELECT to_jsonb(s) - 'geom' FROM {tabel}_shp s)
                            UNION ALL
                            (SELECT to_jsonb(s) - 'geom' FROM {tabel}_shp s EXCEPT SELECT to_jsonb(t) - 'geom' FROM {tabel} t)
                        ) verschil
                        """
                    )
                );
                Assert.True(
                    await connection.ExecuteScalarAsync<bool>(
                        $"SELECT bool_and(ST_Equals(t.geom, s.geom)) AND count(*) = (SELECT count(*) FROM {tabel}) "
                            + $"FROM {tabel} t JOIN {tabel}_shp s USING (code)"
                    ),
                    $"{tabel}: the shapes differ"
                );
            }
            Assert.Null(await connection.ExecuteScalarAsync<int?>("SELECT inwoners FROM buurt_shp WHERE code = 'BU99990101'"));

            // The folder works as well; a code not in it names those that are.
            var fout = await Assert.ThrowsAsync<GebiedenImportException>(() => Import.ImportAsync(map.FullName, "GM0398"));
            Assert.Contains("GM0398 staat niet in", fout.Message, StringComparison.Ordinal);
            Assert.Contains("GM9999 Voorbeeldstad", fout.Message, StringComparison.Ordinal);
            // Without a .prj the coordinate system is unknown: refused.
            File.Delete(Path.Combine(map.FullName, "wijk_2024_v1.prj"));
            fout = await Assert.ThrowsAsync<GebiedenImportException>(() => Import.ImportAsync(map.FullName, "GM9999"));
            Assert.Contains("wijk_2024_v1.shp heeft geen .prj-bestand", fout.Message, StringComparison.Ordinal);
            // Without the buurt layer: refused, naming what is there.
            foreach (var f in Directory.GetFiles(map.FullName, "buurt_*"))
            {
                File.Delete(f);
            }
            fout = await Assert.ThrowsAsync<GebiedenImportException>(() => Import.ImportAsync(map.FullName, "GM9999"));
            Assert.Contains("geen shapefile voor de laag 'buurten'", fout.Message, StringComparison.Ordinal);
        }
        finally
        {
            map.Delete(recursive: true);
        }
    }
}
