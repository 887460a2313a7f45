using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using NetTopologySuite.Geometries;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Geo.Gebieden;

namespace Wijkmeldingen.Tests.Geo.Gebieden;

/// <summary>What a re-import does to everything that hangs on the areas: the derived hotspot cells and
/// rollups are rebuilt where shapes changed, rows with a location follow it, and rows that only name
/// an area that went away are never deleted (demo rows excepted, with --opruimen).</summary>
public sealed class GebiedenAfgeleidTests : DatabaseTest
{
    private static readonly string Voorbeeldstad = CbsFixtures.Pad(CbsFixtures.VoorbeeldstadBestand);
    private static readonly int[] Groottes = [100, 250];

    private GebiedenImport Import => new(EigenaarDataSource, NullLogger<GebiedenImport>.Instance);

    /// <summary>These tests replace the municipality by Voorbeeldstad: their connections work for it.</summary>
    protected override string Gemeente => "GM9999";

    private static MultiPolygon Rechthoek(double x1, double y1, double x2, double y2)
    {
        var f = new GeometryFactory(new PrecisionModel(), 28992);
        return f.CreateMultiPolygon([f.CreatePolygon([new(x1, y1), new(x2, y1), new(x2, y2), new(x1, y2), new(x1, y1)])]);
    }

    /// <summary>Voorbeeldstad of a later CBS year: the border between buurten 0100 and 0101 moved 1 km
    /// south, and buurt 0101 got a new code (0102). With <paramref name="nieuweWijk"/> wijk 01 is
    /// renumbered to 02 as well.</summary>
    private static string LaterJaar(bool nieuweWijk = false)
    {
        var inhoud = CbsFixtures.Voorbeeldstad();
        var wijk = nieuweWijk ? "WK999902" : "WK999901";
        var buurten = inhoud
            .Buurten.Select(b =>
                b.Code switch
                {
                    "BU99990100" => b with { Wijk = wijk, Geom = Rechthoek(164000, 501000, 166000, 504000) },
                    "BU99990101" => b with { Code = "BU99990102", Wijk = wijk, Geom = Rechthoek(164000, 500000, 166000, 501000) },
                    _ => b,
                }
            )
            .ToList();
        var wijken = inhoud.Wijken.Select(w => w.Code == "WK999901" ? w with { Code = wijk } : w).ToList();
        var pad = Path.Combine(Path.GetTempPath(), $"later-{Guid.NewGuid():N}.gpkg");
        CbsFixtures.Schrijf(inhoud with { Buurten = buurten, Wijken = wijken }, pad);
        return pad;
    }

    private sealed record Cel(int Celgrootte, int I, int J, string BuurtCode, string Geom);

    private async Task<List<Cel>> CellenAsync()
    {
        await using var connection = await EigenaarDataSource.OpenConnectionAsync();
        return (
            await connection.QueryAsync<Cel>(
                "SELECT celgrootte, i, j, buurt_code AS buurtcode, encode(ST_AsBinary(geom), 'hex') AS geom "
                    + "FROM hotspot_cel ORDER BY 1, 2, 3"
            )
        ).ToList();
    }

    [Fact]
    public async Task A_changed_buurt_gets_rebuilt_hotspot_cells_and_rollups_the_same_as_a_full_rebuild()
    {
        await Import.ImportAsync(Voorbeeldstad, "GM9999", opruimen: true);
        var melding = await Een.Melding(DataSource).In("BU99990101").OpgeslagenAsync();
        await using var connection = await EigenaarDataSource.OpenConnectionAsync();
        // 500 m north of the old border, in the strip that moves to buurt 0100.
        await connection.ExecuteAsync(
            "UPDATE melding SET locatie = ST_SetSRID(ST_MakePoint(165050, 501500), 28992) WHERE id = @id",
            new { id = melding.Id }
        );
        await connection.ExecuteAsync("SELECT wijkbeeld_ververs(@Groottes)", new { Groottes });
        var voor = await CellenAsync();
        Assert.Contains(voor, c => c.BuurtCode == "BU99990101");
        Assert.Equal(
            ("BU99990101", 1),
            await connection.QuerySingleAsync<(string, int)>("SELECT buurt_code, sum(aantal)::int FROM wijkbeeld_maand GROUP BY 1")
        );

        // The same file again: no shape changed, no cell is rebuilt.
        var zelfde = await Import.ImportAsync(Voorbeeldstad, "GM9999");
        Assert.Equal(0, zelfde.HotspotCellen);
        Assert.Equal(voor, await CellenAsync());

        var pad = LaterJaar();
        try
        {
            // No --opruimen: the rollup rows and cells of the buurt that went away are derived data, rebuilt.
            var r = await Import.ImportAsync(pad, "GM9999");
            Assert.Equal(1, r.MeldingenHerplaatst);
            Assert.True(r.RollupMaanden >= 1, $"{r.RollupMaanden} months recomputed");
            Assert.Equal(
                ("BU99990100", "WK999901"),
                await connection.QuerySingleAsync<(string, string)>(
                    "SELECT buurt_code, wijk_code FROM melding WHERE id = @id",
                    new { id = melding.Id }
                )
            );
            // The wijk picture is up to date right after the import, without the app's refresh round.
            Assert.Equal(
                ("BU99990100", 1),
                await connection.QuerySingleAsync<(string, int)>("SELECT buurt_code, sum(aantal)::int FROM wijkbeeld_maand GROUP BY 1")
            );
            var na = await CellenAsync();
            Assert.DoesNotContain(na, c => c.BuurtCode == "BU99990101");
            Assert.Contains(na, c => c.BuurtCode == "BU99990102");
            Assert.True(
                na.Count(c => c.BuurtCode == "BU99990100") > voor.Count(c => c.BuurtCode == "BU99990100"),
                "buurt 0100 grew, so it holds more cells"
            );
            // Only the cells around the eastern wijk were rebuilt, not the whole municipality ...
            Assert.InRange(r.HotspotCellen, 1, na.Count - 1);
            // ... and the result is exactly what building every cell from scratch gives.
            await connection.ExecuteAsync("DELETE FROM hotspot_cel; SELECT wijkbeeld_ververs(@Groottes)", new { Groottes });
            Assert.Equal(await CellenAsync(), na);
        }
        finally
        {
            File.Delete(pad);
        }
    }

    [Fact]
    public async Task Rows_of_areas_that_go_away_follow_their_location_or_refuse_the_import_and_opruimen_deletes_only_demo_rows()
    {
        await Import.ImportAsync(Voorbeeldstad, "GM9999", opruimen: true);
        await using var connection = await EigenaarDataSource.OpenConnectionAsync();
        var regel = await connection.ExecuteScalarAsync<int>(
            """
            INSERT INTO team (code, naam) VALUES ('test-oost', 'Team Oost');
            INSERT INTO routeringsregel (volgorde, wijk_code, team_id)
            SELECT 5, 'WK999901', id FROM team WHERE code = 'test-oost' AND gemeente_code = current_setting('wijk.gemeente')
            RETURNING id
            """
        );
        await connection.ExecuteAsync(
            """
            INSERT INTO wijk_beleving (wijk_code, jaar, indicator, omschrijving, waarde, eenheid, bron, is_demo) VALUES
                ('WK999901', 2025, 'veilig-in-buurt', 'Voelt zich veilig in de eigen buurt', 81, '%', 'Veiligheidsmonitor 2025', false),
                ('WK999901', 2025, 'rapportcijfer-leefbaarheid', 'Rapportcijfer leefbaarheid', 7.4, 'rapportcijfer', 'Demo', true);
            INSERT INTO maatregel (type_code, titel, omschrijving, geom, buurt_code, wijk_code, status, start_datum,
                                   verantwoordelijke, aangemaakt_door)
            VALUES ('overig', 'Extra verlichting', 'Lantaarnpalen langs het fietspad',
                    ST_SetSRID(ST_MakePoint(165500, 500500), 28992), 'BU99990101', 'WK999901', 'gepland', current_date,
                    'Team Oost', 'test');
            INSERT INTO abonnement (email, buurt_code, gebied_naam, frequentie, sleutel_hash)
            VALUES ('bewoner@example.invalid', 'BU99990101', 'Buurt Bedrijventerrein Oost', 'wekelijks', sha256('sleutel'::bytea));
            INSERT INTO wandeling (titel, wijk_code, begint_op, duur_minuten, startpunt, startpunt_naam, capaciteit)
            VALUES ('Avondwandeling Oost', 'WK999901', now() + interval '7 days', 60,
                    ST_SetSRID(ST_MakePoint(165000, 503000), 28992), 'Polderrand', 20);
            """
        );
        var pad = LaterJaar(nieuweWijk: true);
        try
        {
            // Without --opruimen: refused, naming the routing rule and the resident survey figure row by row.
            var fout = await Assert.ThrowsAsync<GebiedenImportException>(() => Import.ImportAsync(pad, "GM9999"));
            Assert.Contains($"routeringsregel.wijk_code: 1 (id {regel} → WK999901)", fout.Message, StringComparison.Ordinal);
            Assert.Contains(
                "wijk_beleving.wijk_code: 1 (wijk_code/indicator/jaar WK999901/veilig-in-buurt/2025 → WK999901)",
                fout.Message,
                StringComparison.Ordinal
            );
            Assert.Contains("ook niet met --opruimen", fout.Message, StringComparison.Ordinal);
            Assert.Contains("Daarnaast demo-gegevens (wijk_beleving.wijk_code: 1)", fout.Message, StringComparison.Ordinal);

            // With --opruimen: still refused (those rows are not demo rows), and nothing changed, demo rows included.
            fout = await Assert.ThrowsAsync<GebiedenImportException>(() => Import.ImportAsync(pad, "GM9999", opruimen: true));
            Assert.Contains($"routeringsregel.wijk_code: 1 (id {regel} → WK999901)", fout.Message, StringComparison.Ordinal);
            Assert.Equal(2, await connection.ExecuteScalarAsync<int>("SELECT count(*)::int FROM wijk_beleving"));
            Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT count(*)::int FROM buurt WHERE code = 'BU99990101'"));

            // A beheerder decides: the rule goes to the western wijk, the old figure is removed. Now it imports.
            await connection.ExecuteAsync(
                "UPDATE routeringsregel SET wijk_code = 'WK999900' WHERE id = @regel; DELETE FROM wijk_beleving WHERE NOT is_demo",
                new { regel }
            );
            fout = await Assert.ThrowsAsync<GebiedenImportException>(() => Import.ImportAsync(pad, "GM9999"));
            Assert.Contains("Gebruik --opruimen", fout.Message, StringComparison.Ordinal);
            var r = await Import.ImportAsync(pad, "GM9999", opruimen: true);
            Assert.Equal(["wijk_beleving.wijk_code: 1"], r.Opgeruimd);
            Assert.Equal(["maatregel: 1", "wandeling: 1", "abonnement: 1"], r.OpLocatieHerplaatst);
            Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT count(*)::int FROM wijk_beleving"));
            Assert.Equal(
                "WK999900",
                await connection.ExecuteScalarAsync<string>("SELECT wijk_code FROM routeringsregel WHERE id = @regel", new { regel })
            );
            Assert.Equal(
                ("BU99990102", "WK999902"),
                await connection.QuerySingleAsync<(string, string)>("SELECT buurt_code, wijk_code FROM maatregel")
            );
            Assert.Equal("WK999902", await connection.ExecuteScalarAsync<string>("SELECT wijk_code FROM wandeling"));
            // The resident's buurt subscription became a circle that covers the old buurt (2 x 2 km around its middle).
            Assert.Equal(
                ((string?)null, "POINT(165000 501000)", 1415, "Buurt Bedrijventerrein Oost"),
                await connection.QuerySingleAsync<(string?, string, int, string)>(
                    "SELECT buurt_code, ST_AsText(punt), straal_m, gebied_naam FROM abonnement"
                )
            );
        }
        finally
        {
            File.Delete(pad);
        }
    }
}
