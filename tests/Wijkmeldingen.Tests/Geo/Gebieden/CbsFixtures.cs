using System.Globalization;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using Npgsql;

namespace Wijkmeldingen.Tests.Geo.Gebieden;

/// <summary>
/// Writes the two fixtures of db/seed/gebieden/ in the layout of CBS's Wijk- en Buurtkaart GeoPackage
/// (wijkenbuurten_JJJJ_vN.gpkg): feature tables <c>gemeenten</c>, <c>wijken</c> and <c>buurten</c> with
/// CBS's column names (a subset of CBS's ~40 figures: the ones the import reads, plus jrstatcode and
/// jaar), geometry column <c>geom</c> in EPSG:28992, water rows marked <c>water</c> = 'JA', secret
/// figures as -99999999. Geometry blobs are written by NetTopologySuite's GeoPackage writer.
/// <list type="bullet">
/// <item><see cref="HeemstedeAsync"/>: GM0397 from the project's shared geodata (real CBS/Kadaster
/// boundaries, 2019 generalised, and CBS 2024 figures; bron/SOURCES.md), transformed from
/// WGS84 to RD New by PostGIS exactly as the old reference script did.</item>
/// <item><see cref="Voorbeeldstad"/>: GM9999, invented: rectangles near Lelystad, made-up figures.</item>
/// </list>
/// <see cref="CbsFixtureTests"/> checks that the committed files are what this writes; with
/// WIJK_FIXTURES_SCHRIJVEN=1 it writes them into db/seed/gebieden/ instead.
/// </summary>
public static class CbsFixtures
{
    public const string HeemstedeBestand = "heemstede-GM0397.gpkg";
    public const string VoorbeeldstadBestand = "voorbeeldstad-GM9999.gpkg";

    private const int Geheim = -99999999;

    public static string RepoRoot()
    {
        var map = new DirectoryInfo(AppContext.BaseDirectory);
        while (map is not null && !File.Exists(Path.Combine(map.FullName, "Wijkmeldingen.sln")))
        {
            map = map.Parent;
        }
        return map?.FullName ?? throw new InvalidOperationException("Wijkmeldingen.sln not found above " + AppContext.BaseDirectory);
    }

    public static string CommittedMap() => Path.Combine(RepoRoot(), "db", "seed", "gebieden");

    /// <summary>The copy next to the test assembly (db/ is copied with the web app).</summary>
    public static string Pad(string bestand) => Path.Combine(AppContext.BaseDirectory, "db", "seed", "gebieden", bestand);

    /// <summary>The real Heemstede geodata the fixture is made from, kept in the repository
    /// (bron/, with its SOURCES.md) so a fresh clone can check the fixture without anything beside it.</summary>
    public static string SharedData() => Path.Combine(RepoRoot(), "tests", "Wijkmeldingen.Tests", "Geo", "Gebieden", "bron");

    public sealed record Rij(
        string Code,
        string Naam,
        string? Wijk,
        string Water,
        IReadOnlyDictionary<string, object?> Cijfers,
        Geometry Geom
    );

    public sealed record Inhoud(string Code, string Naam, int Jaar, List<Rij> Gemeenten, List<Rij> Wijken, List<Rij> Buurten);

    // ---------------------------------------------------------------- Heemstede (real data)

    public static async Task<Inhoud> HeemstedeAsync(NpgsqlDataSource postgis)
    {
        var data = SharedData();
        if (!File.Exists(Path.Combine(data, "heemstede-buurten.geojson")))
        {
            throw new InvalidOperationException($"The source geodata is missing: {data} (see bron/SOURCES.md).");
        }
        var csv = LeesCsv(Path.Combine(data, "heemstede-buurten.csv"));
        await using var connection = await postgis.OpenConnectionAsync();

        async Task<List<(JsonElement Eigenschappen, Geometry Geom)>> Lees(string bestand)
        {
            using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(data, bestand)));
            var lijst = new List<(JsonElement, Geometry)>();
            foreach (var feature in doc.RootElement.GetProperty("features").EnumerateArray())
            {
                var wkb = await connection.ExecuteScalarAsync<byte[]>(
                    "SELECT ST_AsBinary(ST_Multi(ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(@json), 4326), 28992)))",
                    new { json = feature.GetProperty("geometry").GetRawText() }
                );
                var geom = new WKBReader().Read(wkb);
                geom.SRID = 28992;
                lijst.Add((feature.GetProperty("properties").Clone(), geom));
            }
            return lijst;
        }

        var gemeente = (await Lees("heemstede-gemeente.geojson")).Single();
        var gemeenten = new List<Rij>
        {
            new(
                "GM0397",
                "Heemstede",
                null,
                "NEE",
                new Dictionary<string, object?>
                {
                    ["aantal_inwoners"] = gemeente.Eigenschappen.GetProperty("inwoners").GetInt32(),
                    ["aantal_huishoudens"] = gemeente.Eigenschappen.GetProperty("huishoudens").GetInt32(),
                    ["oppervlakte_land_in_ha"] = gemeente.Eigenschappen.GetProperty("oppervlakte_land_ha").GetInt32(),
                },
                gemeente.Geom
            ),
        };
        var wijken = (await Lees("heemstede-wijken.geojson"))
            .Select(w => new Rij(
                w.Eigenschappen.GetProperty("wijkcode").GetString()!,
                w.Eigenschappen.GetProperty("wijknaam").GetString()!,
                null,
                "NEE",
                new Dictionary<string, object?>
                {
                    ["aantal_inwoners"] = w.Eigenschappen.GetProperty("inwoners").GetInt32(),
                    ["aantal_huishoudens"] = w.Eigenschappen.GetProperty("huishoudens").GetInt32(),
                    ["oppervlakte_land_in_ha"] = w.Eigenschappen.GetProperty("oppervlakte_land_ha").GetInt32(),
                },
                w.Geom
            ))
            .OrderBy(w => w.Code, StringComparer.Ordinal)
            .ToList();
        var buurten = (await Lees("heemstede-buurten.geojson"))
            .Select(b =>
            {
                var code = b.Eigenschappen.GetProperty("buurtcode").GetString()!;
                var regel = csv[code];
                var inwoners = int.Parse(regel["inwoners_2024"], CultureInfo.InvariantCulture);
                return new Rij(
                    code,
                    regel["buurtnaam"],
                    regel["wijkcode"],
                    "NEE",
                    new Dictionary<string, object?>
                    {
                        ["meest_voorkomende_postcode"] = regel["meest_voorkomende_postcode"],
                        ["aantal_inwoners"] = inwoners,
                        // CBS publishes age groups as whole percentages; StatLine's counts give them.
                        ["percentage_personen_0_tot_15_jaar"] = Percentage(regel["inwoners_0tot15_2024"], inwoners),
                        ["percentage_personen_65_jaar_en_ouder"] = Percentage(regel["inwoners_65plus_2024"], inwoners),
                        ["aantal_huishoudens"] = int.Parse(regel["huishoudens_2024"], CultureInfo.InvariantCulture),
                        ["oppervlakte_land_in_ha"] = int.Parse(regel["oppervlakte_land_ha_2024"], CultureInfo.InvariantCulture),
                    },
                    b.Geom
                );
            })
            .OrderBy(b => b.Code, StringComparer.Ordinal)
            .ToList();
        return new Inhoud("GM0397", "Heemstede", 2024, gemeenten, wijken, buurten);
    }

    private static int Percentage(string aantal, int inwoners) =>
        string.IsNullOrEmpty(aantal) || inwoners <= 0
            ? Geheim
            : (int)Math.Round(100.0 * int.Parse(aantal, CultureInfo.InvariantCulture) / inwoners, MidpointRounding.AwayFromZero);

    private static Dictionary<string, Dictionary<string, string>> LeesCsv(string pad)
    {
        using var csv = CsvHelper.CsvReader.FromText(
            File.ReadAllText(pad),
            new CsvHelper.CsvReaderOptions { Separator = ',', HasHeader = false }
        );
        string[]? kop = null;
        var rijen = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        while (csv.Read())
        {
            var velden = Enumerable.Range(0, csv.FieldCount).Select(csv.GetString).ToArray();
            if (kop is null)
            {
                kop = velden;
                continue;
            }
            var rij = kop.Select((k, i) => (k, v: velden[i])).ToDictionary(p => p.k, p => p.v, StringComparer.Ordinal);
            rijen[rij["buurtcode"]] = rij;
        }
        return rijen;
    }

    // ---------------------------------------------------------------- Voorbeeldstad (synthetic)

    /// <summary>
    /// SYNTHETIC: a municipality that does not exist. GM9999 "Voorbeeldstad", 6 x 4 km of rectangles
    /// in RD New near Lelystad (x 160000-166000, y 500000-504000), a lake north of it; every figure is
    /// made up. Wijk 00 (west) has buurten 0000-0002, wijk 01 (east) 0100-0101, wijk 99 is the lake
    /// (water = 'JA', like CBS's "Groot binnenwater"); buurt 0101 has secret figures (-99999999).
    /// </summary>
    public static Inhoud Voorbeeldstad()
    {
        Geometry Rechthoek(double x1, double y1, double x2, double y2)
        {
            var factory = new GeometryFactory(new PrecisionModel(), 28992);
            var ring = factory.CreateLinearRing([new(x1, y1), new(x2, y1), new(x2, y2), new(x1, y2), new(x1, y1)]);
            return factory.CreateMultiPolygon([factory.CreatePolygon(ring)]);
        }
        Dictionary<string, object?> Cijfers(int inwoners, int jong, int oud, int huishoudens, int land, string postcode) =>
            new()
            {
                ["meest_voorkomende_postcode"] = postcode,
                ["aantal_inwoners"] = inwoners,
                ["percentage_personen_0_tot_15_jaar"] = jong,
                ["percentage_personen_65_jaar_en_ouder"] = oud,
                ["aantal_huishoudens"] = huishoudens,
                ["oppervlakte_land_in_ha"] = land,
            };
        var geheim = new Dictionary<string, object?>
        {
            ["meest_voorkomende_postcode"] = Geheim.ToString(CultureInfo.InvariantCulture),
            ["aantal_inwoners"] = Geheim,
            ["percentage_personen_0_tot_15_jaar"] = Geheim,
            ["percentage_personen_65_jaar_en_ouder"] = Geheim,
            ["aantal_huishoudens"] = Geheim,
            ["oppervlakte_land_in_ha"] = 400,
        };
        var water = new Dictionary<string, object?> { ["aantal_inwoners"] = Geheim, ["oppervlakte_land_in_ha"] = 0 };
        var buurten = new List<Rij>
        {
            new(
                "BU99990000",
                "Voorbeeldstad Centrum (synthetisch)",
                "WK999900",
                "NEE",
                Cijfers(4200, 14, 22, 2100, 200, "9991"),
                Rechthoek(160000, 502000, 162000, 504000)
            ),
            new(
                "BU99990001",
                "Oude Haven (synthetisch)",
                "WK999900",
                "NEE",
                Cijfers(3100, 18, 17, 1400, 200, "9991"),
                Rechthoek(160000, 500000, 162000, 502000)
            ),
            new(
                "BU99990002",
                "Molenwijk (synthetisch)",
                "WK999900",
                "NEE",
                Cijfers(2650, 21, 12, 1100, 400, "9992"),
                Rechthoek(162000, 500000, 164000, 504000)
            ),
            new(
                "BU99990100",
                "Polderrand (synthetisch)",
                "WK999901",
                "NEE",
                Cijfers(1450, 16, 25, 640, 400, "9993"),
                Rechthoek(164000, 502000, 166000, 504000)
            ),
            new("BU99990101", "Bedrijventerrein Oost (synthetisch)", "WK999901", "NEE", geheim, Rechthoek(164000, 500000, 166000, 502000)),
            new("BU99999997", "Groot binnenwater", "WK999999", "JA", water, Rechthoek(160000, 504000, 166000, 505000)),
        };
        var wijken = new List<Rij>
        {
            new(
                "WK999900",
                "Wijk 00 Voorbeeldstad-West (synthetisch)",
                null,
                "NEE",
                new Dictionary<string, object?> { ["aantal_inwoners"] = 9950, ["aantal_huishoudens"] = 4600 },
                Rechthoek(160000, 500000, 164000, 504000)
            ),
            new(
                "WK999901",
                "Wijk 01 Voorbeeldstad-Oost (synthetisch)",
                null,
                "NEE",
                new Dictionary<string, object?> { ["aantal_inwoners"] = 1460, ["aantal_huishoudens"] = 650 },
                Rechthoek(164000, 500000, 166000, 504000)
            ),
            new("WK999999", "Groot binnenwater", null, "JA", water, Rechthoek(160000, 504000, 166000, 505000)),
        };
        var gemeenten = new List<Rij>
        {
            new(
                "GM9999",
                "Voorbeeldstad",
                null,
                "NEE",
                new Dictionary<string, object?> { ["aantal_inwoners"] = 11412, ["aantal_huishoudens"] = 5250 },
                Rechthoek(160000, 500000, 166000, 504000)
            ),
            new("GM9999", "Voorbeeldstad", null, "JA", water, Rechthoek(160000, 504000, 166000, 505000)),
        };
        return new Inhoud("GM9999", "Voorbeeldstad", 2024, gemeenten, wijken, buurten);
    }

    // ---------------------------------------------------------------- the GeoPackage writer

    private static readonly string[] Figuren =
    [
        "meest_voorkomende_postcode",
        "aantal_inwoners",
        "percentage_personen_0_tot_15_jaar",
        "percentage_personen_65_jaar_en_ouder",
        "aantal_huishoudens",
        "oppervlakte_land_in_ha",
    ];

    /// <summary>Writes <paramref name="inhoud"/> as a GeoPackage 1.2 file at <paramref name="pad"/> (replaced).</summary>
    public static void Schrijf(Inhoud inhoud, string pad)
    {
        if (File.Exists(pad))
        {
            File.Delete(pad);
        }
        Directory.CreateDirectory(Path.GetDirectoryName(pad)!);
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = pad,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        };
        using var connection = new SqliteConnection(builder.ConnectionString);
        connection.Open();
        using var transaction = connection.BeginTransaction();
        Uitvoeren(
            connection,
            """
            PRAGMA application_id = 1196444487;
            PRAGMA user_version = 10200;
            CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
                organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
            INSERT INTO gpkg_spatial_ref_sys VALUES
                ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
                ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system'),
                ('WGS 84 geodetic', 4326, 'EPSG', 4326,
                 'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],PRIMEM["Greenwich",0],'
                     || 'UNIT["degree",0.0174532925199433],AUTHORITY["EPSG","4326"]]',
                 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid'),
                ('Amersfoort / RD New', 28992, 'EPSG', 28992, 'PROJCS["Amersfoort / RD New",AUTHORITY["EPSG","28992"]]', NULL);
            CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
                description TEXT DEFAULT '', last_change DATETIME NOT NULL, min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE,
                srs_id INTEGER REFERENCES gpkg_spatial_ref_sys(srs_id));
            CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
                srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL, PRIMARY KEY (table_name, column_name));
            """,
            transaction
        );
        SchrijfLaag(connection, transaction, inhoud, "gemeenten", inhoud.Gemeenten, ["gemeentecode", "gemeentenaam"]);
        SchrijfLaag(connection, transaction, inhoud, "wijken", inhoud.Wijken, ["wijkcode", "wijknaam", "gemeentecode", "gemeentenaam"]);
        SchrijfLaag(
            connection,
            transaction,
            inhoud,
            "buurten",
            inhoud.Buurten,
            ["buurtcode", "buurtnaam", "wijkcode", "gemeentecode", "gemeentenaam"]
        );
        transaction.Commit();
        Uitvoeren(connection, "VACUUM", null);
    }

    private static void SchrijfLaag(
        SqliteConnection connection,
        SqliteTransaction transaction,
        Inhoud inhoud,
        string laag,
        List<Rij> rijen,
        string[] sleutels
    )
    {
        var kolommen = sleutels
            .Select(k => $"{k} TEXT")
            .Append("water TEXT")
            .Concat(Figuren.Select(f => f == "meest_voorkomende_postcode" ? $"{f} TEXT" : $"{f} INTEGER"))
            .Append("jrstatcode TEXT")
            .Append("jaar INTEGER");
        Uitvoeren(
            connection,
            $"CREATE TABLE {laag} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom MULTIPOLYGON, {string.Join(", ", kolommen)})",
            transaction
        );
        var envelope = new Envelope();
        foreach (var rij in rijen)
        {
            envelope.ExpandToInclude(rij.Geom.EnvelopeInternal);
        }
        using (var contents = connection.CreateCommand())
        {
            contents.Transaction = transaction;
            contents.CommandText = """
                INSERT INTO gpkg_contents VALUES ($t, 'features', $t, '', '2024-01-01T00:00:00.000Z', $x1, $y1, $x2, $y2, $srid);
                INSERT INTO gpkg_geometry_columns VALUES ($t, 'geom', 'MULTIPOLYGON', $srid, 0, 0);
                """;
            contents.Parameters.AddWithValue("$t", laag);
            contents.Parameters.AddWithValue("$x1", envelope.MinX);
            contents.Parameters.AddWithValue("$y1", envelope.MinY);
            contents.Parameters.AddWithValue("$x2", envelope.MaxX);
            contents.Parameters.AddWithValue("$y2", envelope.MaxY);
            // CBS: EPSG:28992; a test writes EPSG:4326 to check the import transforms it.
            contents.Parameters.AddWithValue("$srid", rijen[0].Geom.SRID);
            contents.ExecuteNonQuery();
        }
        var namen = sleutels.Append("water").Concat(Figuren).Append("jrstatcode").Append("jaar").ToList();
        var writer = new GeoPackageGeoWriter { HandleOrdinates = Ordinates.XY };
        foreach (var rij in rijen)
        {
            var waarden = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                [sleutels[0]] = rij.Code,
                [sleutels[1]] = rij.Naam,
                ["wijkcode"] = rij.Wijk ?? (laag == "wijken" ? rij.Code : null),
                ["gemeentecode"] = inhoud.Code,
                ["gemeentenaam"] = inhoud.Naam,
                ["water"] = rij.Water,
                ["jrstatcode"] = inhoud.Jaar.ToString(CultureInfo.InvariantCulture) + rij.Code,
                ["jaar"] = inhoud.Jaar,
            };
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText =
                $"INSERT INTO {laag} (geom, {string.Join(", ", namen)}) VALUES ($geom, {string.Join(", ", namen.Select(n => "$" + n))})";
            insert.Parameters.AddWithValue("$geom", writer.Write(rij.Geom));
            foreach (var naam in namen)
            {
                var waarde = rij.Cijfers.TryGetValue(naam, out var cijfer) ? cijfer : waarden.GetValueOrDefault(naam);
                insert.Parameters.AddWithValue("$" + naam, waarde ?? DBNull.Value);
            }
            insert.ExecuteNonQuery();
        }
    }

    private static void Uitvoeren(SqliteConnection connection, string sql, SqliteTransaction? transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
