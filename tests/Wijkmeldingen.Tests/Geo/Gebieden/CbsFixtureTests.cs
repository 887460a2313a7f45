using Dapper;
using Microsoft.Data.Sqlite;
using NetTopologySuite.IO;
using Wijkmeldingen.Testing;

namespace Wijkmeldingen.Tests.Geo.Gebieden;

/// <summary>The committed fixtures in db/seed/gebieden/ are what <see cref="CbsFixtures"/> writes
/// (set WIJK_FIXTURES_SCHRIJVEN=1 to write them there instead of comparing).</summary>
public sealed class CbsFixtureTests : DatabaseTest
{
    [Fact]
    public async Task The_committed_fixtures_are_what_the_generator_writes()
    {
        var heemstede = await CbsFixtures.HeemstedeAsync(DataSource);
        var voorbeeldstad = CbsFixtures.Voorbeeldstad();
        var schrijven = Environment.GetEnvironmentVariable("WIJK_FIXTURES_SCHRIJVEN") == "1";
        var map = schrijven ? CbsFixtures.CommittedMap() : Directory.CreateTempSubdirectory("cbs-fixtures-").FullName;
        try
        {
            CbsFixtures.Schrijf(heemstede, Path.Combine(map, CbsFixtures.HeemstedeBestand));
            CbsFixtures.Schrijf(voorbeeldstad, Path.Combine(map, CbsFixtures.VoorbeeldstadBestand));
            foreach (var bestand in new[] { CbsFixtures.HeemstedeBestand, CbsFixtures.VoorbeeldstadBestand })
            {
                Assert.Equal(Inhoud(Path.Combine(map, bestand)), Inhoud(Path.Combine(CbsFixtures.CommittedMap(), bestand)));
            }
        }
        finally
        {
            if (!schrijven)
            {
                Directory.Delete(map, recursive: true);
            }
        }
    }

    /// <summary>Every row of every table as text, geometry as WKT rounded to the millimetre.</summary>
    private static List<string> Inhoud(string pad)
    {
        Assert.True(File.Exists(pad), pad + " is missing");
        using var connection = new SqliteConnection($"Data Source={pad};Mode=ReadOnly;Pooling=false");
        connection.Open();
        var regels = new List<string>();
        var tabellen = connection.Query<string>(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY name"
        );
        var reader = new GeoPackageGeoReader();
        var wkt = new WKTWriter { MaxCoordinatesPerLine = int.MaxValue };
        foreach (var tabel in tabellen)
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM \"{tabel}\" ORDER BY 1, 2";
            using var rijen = command.ExecuteReader();
            while (rijen.Read())
            {
                var velden = Enumerable
                    .Range(0, rijen.FieldCount)
                    .Select(i =>
                        rijen.GetName(i) == "geom" && !rijen.IsDBNull(i)
                            ? Afgerond(wkt, reader.Read((byte[])rijen.GetValue(i)))
                            : $"{rijen.GetName(i)}={rijen.GetValue(i)}"
                    );
                regels.Add(tabel + ": " + string.Join("|", velden));
            }
        }
        return regels;
    }

    private static string Afgerond(WKTWriter wkt, NetTopologySuite.Geometries.Geometry geom)
    {
        var kopie = NetTopologySuite.Precision.GeometryPrecisionReducer.ReducePointwise(geom, new(1000));
        return $"SRID={geom.SRID};" + wkt.Write(kopie);
    }
}
