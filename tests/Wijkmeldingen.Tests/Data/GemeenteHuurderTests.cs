using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Data;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Features.Kaart;
using Wijkmeldingen.Web.Geo.Gebieden;

namespace Wijkmeldingen.Tests.Data;

/// <summary>
/// Two municipalities in one database (V81): the test's own (A) and a second one (B, Voorbeeldstad, or
/// Heemstede when the tests run as Voorbeeldstad), each with a report filed through a connection that
/// works for it. Two walls keep them apart, and each holds alone: row-level security (the app role's
/// connection for A reads, changes and adds nothing of B, whatever its query asks) and the application's
/// own municipality filter in the public queries (which keeps B out even on the owner's connection, which
/// the policies do not bind). The owner sees both, so these checks would catch a missing wall.
/// </summary>
public sealed class GemeenteHuurderTests : DatabaseTest
{
    private const string Melden = """
        INSERT INTO melding (rubriek_id, omschrijving, locatie)
        VALUES ((SELECT id FROM rubriek WHERE code = 'parkeeroverlast'), @tekst,
                ST_Transform(ST_SetSRID(ST_MakePoint(@lon, @lat), 4326), 28992))
        RETURNING id, volgcode, gemeente_code AS gemeentecode
        """;

    private static string AndereCode => TestGemeente.IsVoorbeeldstad ? "GM0397" : Voorbeeldstad.Code;

    private static (double Lon, double Lat) AnderePlek => TestGemeente.IsVoorbeeldstad ? (4.6192, 52.3524) : (5.5087, 52.5152);

    private static string AndereGebieden =>
        TestGemeente.IsVoorbeeldstad
            ? Path.Combine(AppContext.BaseDirectory, "db", "seed", "gebieden", "heemstede-GM0397.gpkg")
            : Voorbeeldstad.Gebieden;

    private NpgsqlDataSource anderen = null!;
    private (long Id, string Volgcode, string Gemeentecode) eigen;
    private (long Id, string Volgcode, string Gemeentecode) andere;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        // B's areas next to A's (the import as the owner, without clearing A).
        await new GebiedenImport(EigenaarDataSource, NullLogger<GebiedenImport>.Instance).ImportAsync(AndereGebieden, AndereCode);
        anderen = Database.CreateDataSource(AndereCode);
        await using (var a = await DataSource.OpenConnectionAsync())
        {
            eigen = await a.QuerySingleAsync<(long, string, string)>(
                Melden,
                new
                {
                    tekst = "Eigen melding",
                    lon = TestGemeente.Lon,
                    lat = TestGemeente.Lat,
                }
            );
        }
        await using var b = await anderen.OpenConnectionAsync();
        var (lon, lat) = AnderePlek;
        andere = await b.QuerySingleAsync<(long, string, string)>(
            Melden,
            new
            {
                tekst = "Melding van de andere gemeente",
                lon,
                lat,
            }
        );
        await b.ExecuteAsync(
            "INSERT INTO melding_notitie (melding_id, door, tekst) VALUES (@Id, 'test', 'Notitie van B')",
            new { andere.Id }
        );
    }

    public override async Task DisposeAsync()
    {
        await anderen.DisposeAsync();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task A_report_belongs_to_the_municipality_of_the_connection_that_filed_it()
    {
        Assert.Equal(TestGemeente.Code, eigen.Gemeentecode);
        Assert.Equal(AndereCode, andere.Gemeentecode);
        await using var eigenaar = await EigenaarDataSource.OpenConnectionAsync();
        Assert.Equal(
            AndereCode,
            await eigenaar.ExecuteScalarAsync<string>("SELECT gemeente_code FROM melding_notitie WHERE melding_id = @Id", new { andere.Id })
        );
    }

    [Fact]
    public async Task A_municipality_new_to_the_installation_gets_the_standard_teams_and_its_reports_are_routed()
    {
        await using var eigenaar = await EigenaarDataSource.OpenConnectionAsync();
        var teams = (
            await eigenaar.QueryAsync<(string Gemeente, long Aantal, long MetMailbox)>(
                "SELECT gemeente_code, count(*), count(email) FROM team GROUP BY 1 ORDER BY 1"
            )
        ).ToDictionary(t => t.Gemeente);
        Assert.Equal(teams[TestGemeente.Code].Aantal, teams[AndereCode].Aantal);
        Assert.Equal(0, teams[AndereCode].MetMailbox);
        // B's report went to one of B's own teams (the composite key would refuse A's).
        Assert.Equal(
            AndereCode,
            await eigenaar.ExecuteScalarAsync<string>(
                "SELECT t.gemeente_code FROM melding m "
                    + "JOIN team t ON t.gemeente_code = m.gemeente_code AND t.id = m.team_id WHERE m.id = @Id",
                new { andere.Id }
            )
        );
        // A second import of B changes nothing.
        Assert.Equal(0, await eigenaar.ExecuteScalarAsync<int>("SELECT gemeente_inrichten(@AndereCode)", new { AndereCode }));
    }

    [Fact]
    public async Task The_app_role_reads_no_row_of_another_municipality_in_any_tenant_table()
    {
        await using var a = await DataSource.OpenConnectionAsync();
        await using var eigenaar = await EigenaarDataSource.OpenConnectionAsync();
        var tabellen = (await eigenaar.QueryAsync<string>("SELECT naam FROM huurder_tabel_lijst ORDER BY naam")).ToList();
        Assert.True(tabellen.Count >= 40, $"only {tabellen.Count} tenant tables listed");

        foreach (var tabel in tabellen)
        {
            // No municipality filter in the query: only the policy stands between A and B.
            var vanB = await a.ExecuteScalarAsync<long>(
                $"SELECT count(*) FROM {tabel} WHERE gemeente_code <> current_setting('wijk.gemeente')"
            );
            Assert.True(vanB == 0, $"{tabel}: the app role for {TestGemeente.Code} sees {vanB} rows of another municipality");
        }
        Assert.Equal(
            0,
            await a.ExecuteScalarAsync<long>(
                "SELECT count(*) FROM melding WHERE id = @Id OR volgcode = @Volgcode",
                new { andere.Id, andere.Volgcode }
            )
        );
        Assert.Equal(0, await a.ExecuteScalarAsync<long>("SELECT count(*) FROM melding_notitie WHERE melding_id = @Id", new { andere.Id }));
        Assert.Equal(1, await a.ExecuteScalarAsync<long>("SELECT count(*) FROM melding WHERE id = @Id", new { eigen.Id }));
        // The owner is not bound by the policies: B's rows are there, so the zeros above are the wall's.
        Assert.Equal(1, await eigenaar.ExecuteScalarAsync<long>("SELECT count(*) FROM melding WHERE id = @Id", new { andere.Id }));
        Assert.Equal(
            1,
            await eigenaar.ExecuteScalarAsync<long>("SELECT count(*) FROM melding_notitie WHERE melding_id = @Id", new { andere.Id })
        );
    }

    /// <summary>The public map's own query over a window holding both municipalities, through a
    /// connection (<paramref name="bron"/>) and with the application's municipality filter set to
    /// <paramref name="filter"/>.</summary>
    private static Task<string> KaartAsync(NpgsqlDataSource bron, string filter) =>
        KaartPlekken.AlsGeoJsonAsync(
            bron,
            KaartFilter.Standaard,
            new PubliekeMeldingen.Bbox(4.0, 51.5, 6.0, 53.0),
            new PubliekOptions { Gemeente = filter },
            DateTimeOffset.UtcNow,
            2000,
            5,
            "nl",
            default
        );

    [Fact]
    public async Task Each_wall_holds_alone_on_the_public_maps_query()
    {
        // Both walls: A's connection and A's filter.
        var beide = await KaartAsync(DataSource, TestGemeente.Code);
        Assert.Contains(eigen.Volgcode, beide, StringComparison.Ordinal);
        Assert.DoesNotContain(andere.Volgcode, beide, StringComparison.Ordinal);

        // The application's filter wrong (it asks for B), as a forgotten or mistaken condition would:
        // row-level security on A's connection still returns nothing of B.
        var alleenRls = await KaartAsync(DataSource, AndereCode);
        Assert.DoesNotContain(andere.Volgcode, alleenRls, StringComparison.Ordinal);
        Assert.DoesNotContain(eigen.Volgcode, alleenRls, StringComparison.Ordinal);

        // No row-level security (the owner role is not bound by it): the application's filter alone
        // keeps B out...
        var alleenFilter = await KaartAsync(EigenaarDataSource, TestGemeente.Code);
        Assert.Contains(eigen.Volgcode, alleenFilter, StringComparison.Ordinal);
        Assert.DoesNotContain(andere.Volgcode, alleenFilter, StringComparison.Ordinal);
        // ...and it is the filter that does: asked for B, the same connection returns B's report.
        var zonderMuren = await KaartAsync(EigenaarDataSource, AndereCode);
        Assert.Contains(andere.Volgcode, zonderMuren, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_hotspot_grid_shows_only_this_municipalitys_cells_and_counts()
    {
        // Rollups for both (each refresh works for its connection's municipality); the grid is shared.
        await using (var a = await DataSource.OpenConnectionAsync())
        {
            await a.ExecuteAsync("SELECT wijkbeeld_ververs(ARRAY[250])");
        }
        await using (var b = await anderen.OpenConnectionAsync())
        {
            await b.ExecuteAsync("SELECT wijkbeeld_ververs(ARRAY[250])");
        }
        var maand = new DateTime(DateTime.Today.Year, DateTime.Today.Month, 1, 0, 0, 0, DateTimeKind.Unspecified);
        var filter = new HotspotFilter(250, new Periode("maand", maand, maand));

        var vanA = await new HotspotEngine(DataSource, Options.Create(new HotspotOptions())).BerekenAsync(filter);
        var vanB = await new HotspotEngine(anderen, Options.Create(new HotspotOptions())).BerekenAsync(filter);

        Assert.NotEmpty(vanA);
        Assert.All(vanA, c => Assert.StartsWith(TestGemeente.BuurtCodeBegin, c.BuurtCode, StringComparison.Ordinal));
        Assert.Equal(1, vanA.Sum(c => c.Aantal));
        Assert.NotEmpty(vanB);
        Assert.All(vanB, c => Assert.StartsWith("BU" + AndereCode[2..], c.BuurtCode, StringComparison.Ordinal));
        Assert.Equal(1, vanB.Sum(c => c.Aantal));
    }

    [Fact]
    public async Task The_app_role_changes_and_removes_nothing_of_another_municipality_and_cannot_write_into_it()
    {
        await using var a = await DataSource.OpenConnectionAsync();
        Assert.Equal(0, await a.ExecuteAsync("UPDATE melding SET omschrijving = 'Overschreven' WHERE id = @Id", new { andere.Id }));
        Assert.Equal(0, await a.ExecuteAsync("DELETE FROM melding_notitie WHERE melding_id = @Id", new { andere.Id }));

        // A row that names B outright is refused by the policy's check.
        var fout = await Assert.ThrowsAsync<PostgresException>(() =>
            a.ExecuteAsync(
                "INSERT INTO melding_notitie (gemeente_code, melding_id, door, tekst) VALUES (@gemeente, @Id, 'test', 'Van A')",
                new { gemeente = AndereCode, andere.Id }
            )
        );
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, fout.SqlState);
        // A row of A that points at B's report: the composite key finds no such report of A.
        var kruising = await Assert.ThrowsAsync<PostgresException>(() =>
            a.ExecuteAsync("INSERT INTO melding_notitie (melding_id, door, tekst) VALUES (@Id, 'test', 'Van A')", new { andere.Id })
        );
        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, kruising.SqlState);

        await using var eigenaar = await EigenaarDataSource.OpenConnectionAsync();
        Assert.Equal(
            "Melding van de andere gemeente",
            await eigenaar.ExecuteScalarAsync<string>("SELECT omschrijving FROM melding WHERE id = @Id", new { andere.Id })
        );
        Assert.Equal(
            1,
            await eigenaar.ExecuteScalarAsync<long>("SELECT count(*) FROM melding_notitie WHERE melding_id = @Id", new { andere.Id })
        );
    }

    [Fact]
    public async Task A_point_in_another_loaded_municipality_is_outside_for_this_one()
    {
        await using var a = await DataSource.OpenConnectionAsync();
        var (lon, lat) = AnderePlek;

        var fout = await Assert.ThrowsAsync<PostgresException>(() =>
            a.QuerySingleAsync(
                Melden,
                new
                {
                    tekst = "Bij de buren",
                    lon,
                    lat,
                }
            )
        );

        Assert.True(fout.IsBuitenGemeente());
    }

    [Fact]
    public async Task A_connection_without_a_municipality_sees_no_tenant_data_and_cannot_file()
    {
        await using var zonder = Wijkmeldingen.Web.Data.Database.CreateDataSource(Database.ConnectionString);
        await using var c = await zonder.OpenConnectionAsync();

        Assert.Equal(0, await c.ExecuteScalarAsync<long>("SELECT count(*) FROM melding"));
        await Assert.ThrowsAsync<PostgresException>(() =>
            c.QuerySingleAsync(
                Melden,
                new
                {
                    tekst = "Zonder gemeente",
                    lon = TestGemeente.Lon,
                    lat = TestGemeente.Lat,
                }
            )
        );
    }

    [Fact]
    public async Task The_spatial_and_text_index_functions_are_leakproof_so_row_level_security_keeps_the_indexes()
    {
        await using var a = await DataSource.OpenConnectionAsync();
        var niet = await a.QueryAsync<string>(
            """
            SELECT p::regprocedure::text FROM unnest(ARRAY[
                'geometry_overlaps(geometry,geometry)', 'geometry_distance_centroid(geometry,geometry)',
                'st_dwithin(geometry,geometry,double precision)', 'st_intersects(geometry,geometry)',
                'texticlike(text,text)']::regprocedure[]) p
            WHERE NOT (SELECT proleakproof FROM pg_proc WHERE oid = p)
            """
        );
        Assert.Empty(niet);
    }
}
