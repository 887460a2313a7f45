using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Data;

namespace Wijkmeldingen.Tests.Data;

public sealed class DemoSeederTests : DatabaseTest
{
    private DemoSeeder seeder = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        seeder = new DemoSeeder(EigenaarDataSource, Options.Create(new DatabaseOptions()), NullLogger<DemoSeeder>.Instance);
    }

    [Fact]
    public async Task Seeds_the_requested_number_of_plausible_reports_inside_the_municipality()
    {
        var added = await seeder.SeedAsync(3000);

        await using var connection = await DataSource.OpenConnectionAsync();
        var stats = await connection.QuerySingleAsync<(
            long Totaal,
            long Binnen,
            long Rubrieken,
            long Buurten,
            long Historie,
            long Gesloten,
            long Open
        )>(
            """
            SELECT count(*),
                   count(*) FILTER (WHERE ST_Covers((SELECT geom FROM gemeente), m.locatie)
                                      AND ST_Covers((SELECT geom FROM buurt b WHERE b.code = m.buurt_code), m.locatie)),
                   count(DISTINCT rubriek_id),
                   count(DISTINCT buurt_code),
                   (SELECT count(DISTINCT melding_id) FROM melding_historie),
                   count(*) FILTER (WHERE status IN ('afgehandeld', 'afgewezen')),
                   count(*) FILTER (WHERE status IN ('gemeld', 'in-behandeling'))
            FROM melding m
            WHERE is_demo AND aangemaakt_op <= now() AND aangemaakt_op > now() - interval '3 years 1 month'
            """
        );

        Assert.Equal(3000, added);
        Assert.Equal(3000, stats.Totaal);
        Assert.Equal(3000, stats.Binnen);
        Assert.Equal(9, stats.Rubrieken);
        // Every buurt of the loaded municipality (14 in the demo municipality) has reports.
        Assert.Equal(await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM buurt"), stats.Buurten);
        Assert.Equal(3000, stats.Historie);
        Assert.True(stats.Gesloten > stats.Totaal / 2, "most reports in three years of history are closed");
        Assert.True(stats.Open > 0, "recent reports are still open");
    }

    [Fact]
    public async Task Has_genuine_clusters_far_denser_than_the_background()
    {
        await seeder.SeedAsync(3000);

        await using var connection = await DataSource.OpenConnectionAsync();
        // Reports per 100 m cell: the busiest cells must hold many times what an even spread over
        // the municipality's ~966 cells of a hectare would give (3000 / 966 ≈ 3).
        var top = (
            await connection.QueryAsync<long>(
                """
                SELECT count(*) FROM melding
                GROUP BY floor(ST_X(locatie) / 100), floor(ST_Y(locatie) / 100)
                ORDER BY count(*) DESC LIMIT 5
                """
            )
        ).ToList();

        Assert.All(top, n => Assert.True(n >= 25, $"top cells {string.Join(", ", top)}"));
    }

    [Fact]
    public async Task Youth_nuisance_happens_in_the_evening_and_night()
    {
        await seeder.SeedAsync(3000);

        await using var connection = await DataSource.OpenConnectionAsync();
        var share = await connection.QuerySingleAsync<double>(
            """
            SELECT avg(CASE WHEN extract(hour FROM m.aangemaakt_op AT TIME ZONE 'Europe/Amsterdam') >= 18
                              OR extract(hour FROM m.aangemaakt_op AT TIME ZONE 'Europe/Amsterdam') < 4 THEN 1.0 ELSE 0.0 END)
            FROM melding m JOIN rubriek r ON r.id = m.rubriek_id
            WHERE r.code = 'jeugdoverlast'
            """
        );

        Assert.True(share > 0.95, $"evening share {share}");
    }

    [Fact]
    public async Task Is_idempotent_and_starting_over_keeps_real_reports()
    {
        await Een.Melding(DataSource).Rubriek("jeugdoverlast").Met("Echte melding").OpgeslagenAsync();
        await using var connection = await DataSource.OpenConnectionAsync();

        var first = await seeder.SeedAsync(500);
        var second = await seeder.SeedAsync(500);
        var again = await seeder.SeedAsync(200, opnieuw: true);

        Assert.Equal(500, first);
        Assert.Equal(0, second);
        Assert.Equal(200, again);
        Assert.Equal(200, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM melding WHERE is_demo"));
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM melding WHERE NOT is_demo"));
        // The trigger that guards real reports is back on after the bulk insert.
        Assert.Equal(
            "O",
            await connection.ExecuteScalarAsync<string>(
                "SELECT tgenabled::text FROM pg_trigger WHERE tgname = 'melding_plaats_in_gemeente'"
            )
        );
    }

    [Fact]
    public async Task Texts_vary_and_name_only_the_nearest_imported_street_or_none()
    {
        await using var connection = await EigenaarDataSource.OpenConnectionAsync();
        await seeder.SeedAsync(2000);
        // No BAG addresses imported: no street is named at all.
        Assert.Equal(
            0,
            await connection.ExecuteScalarAsync<long>(
                "SELECT count(*) FROM melding WHERE omschrijving LIKE '%Ter hoogte van de %' OR omschrijving LIKE '%Het gaat om de %'"
            )
        );
        Assert.True(await connection.ExecuteScalarAsync<long>("SELECT count(DISTINCT omschrijving) FROM melding") >= 50);

        // One address at the middle of every buurt (a stand-in for the municipality's BAG extract).
        await connection.ExecuteAsync(
            """
            INSERT INTO adres (bag_id, straat, huisnummer, woonplaats, punt, buurt_code, wijk_code)
            SELECT lpad(row_number() OVER (ORDER BY code)::text, 16, '0'), 'Proefstraat ' || code, 1, 'Heemstede',
                   ST_PointOnSurface(geom), code, wijk_code
            FROM buurt
            """
        );
        await seeder.SeedAsync(2000, opnieuw: true);

        var genoemd = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM melding WHERE omschrijving LIKE '%Proefstraat%'");
        Assert.True(genoemd > 0, "some reports near an imported address name its street");
        // Each named street is the nearest imported address, within 150 m of the report.
        Assert.Equal(
            0,
            await connection.ExecuteScalarAsync<long>(
                """
                SELECT count(*) FROM melding m
                WHERE m.omschrijving LIKE '%Proefstraat%'
                  AND NOT EXISTS (
                      SELECT 1 FROM (SELECT a.straat, a.punt FROM adres a ORDER BY a.punt <-> m.locatie LIMIT 1) n
                      WHERE ST_DWithin(n.punt, m.locatie, 150) AND m.omschrijving LIKE '%de ' || n.straat || '.')
                """
            )
        );
    }
}
