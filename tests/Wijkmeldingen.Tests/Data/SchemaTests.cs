using System.Text.RegularExpressions;
using Dapper;
using Wijkmeldingen.Testing;

namespace Wijkmeldingen.Tests.Data;

/// <summary>What the migrations in db/ promise: the category tree as data, the life cycle states,
/// the real Heemstede areas, unguessable tracking codes.</summary>
public sealed partial class SchemaTests : DatabaseTest
{
    [Fact]
    public async Task Category_tree_follows_the_three_priorities_of_the_safety_plan()
    {
        await using var connection = await DataSource.OpenConnectionAsync();

        var tree = (
            await connection.QueryAsync<(string Prioriteit, string Thema, string Rubriek, string Openbaarheid)>(
                """
                SELECT p.naam, t.naam, r.naam, r.openbaarheid
                FROM rubriek r JOIN thema t ON t.id = r.thema_id JOIN prioriteit p ON p.id = t.prioriteit_id
                ORDER BY r.volgorde
                """
            )
        ).ToList();

        Assert.Equal(9, tree.Count);
        Assert.Equal(["Veilige & Leefbare wijken", "Ondermijning", "Zorg & veiligheid"], tree.Select(r => r.Prioriteit).Distinct());
        Assert.Contains(("Ondermijning", "Ondermijning", "Drugsafval", "verborgen"), tree);
        Assert.Contains(("Zorg & veiligheid", "Zorg", "Zorgen om iemand (verward gedrag)", "verborgen"), tree);
        Assert.Contains(("Veilige & Leefbare wijken", "Verkeer", "Te hard rijden", "exact"), tree);
        Assert.Equal("grof", tree.Single(r => r.Rubriek == "Woonoverlast").Openbaarheid);
    }

    [Fact]
    public async Task Life_cycle_states_are_data_with_closed_flags()
    {
        await using var connection = await DataSource.OpenConnectionAsync();

        var states = (
            await connection.QueryAsync<(string Code, bool Gesloten)>("SELECT code, gesloten FROM meldingstatus ORDER BY volgorde")
        ).ToList();

        Assert.Equal(
            ["gemeld", "in-behandeling", "doorgezet", "afgehandeld", "afgewezen", "heropend", "ingetrokken"],
            states.Select(s => s.Code)
        );
        Assert.Equal(["afgehandeld", "afgewezen", "ingetrokken"], states.Where(s => s.Gesloten).Select(s => s.Code));
    }

    [Fact]
    public async Task The_loaded_municipality_has_its_wijken_and_buurten_that_tile_the_gemeente()
    {
        await using var connection = await DataSource.OpenConnectionAsync();

        var result = await connection.QuerySingleAsync<(long Wijken, long Buurten, double Verschil, long Inwoners)>(
            """
            SELECT (SELECT count(*) FROM wijk),
                   (SELECT count(*) FROM buurt),
                   ST_Area(ST_SymDifference((SELECT ST_Union(geom) FROM buurt), (SELECT geom FROM gemeente))),
                   (SELECT sum(inwoners) FROM buurt)
            """
        );

        // Heemstede: 3 wijken, 14 buurten; Voorbeeldstad: 2 wijken, 5 land buurten (its lake is skipped).
        Assert.Equal(TestGemeente.IsVoorbeeldstad ? 2 : 3, result.Wijken);
        Assert.Equal(TestGemeente.IsVoorbeeldstad ? 5 : 14, result.Buurten);
        Assert.True(result.Verschil < 1.0, $"buurten and gemeente differ by {result.Verschil} m²");
        Assert.Equal(TestGemeente.IsVoorbeeldstad ? 11_400 : 27_580, result.Inwoners);
    }

    [Fact]
    public async Task Tracking_codes_are_80_bit_base32_and_unique()
    {
        await using var connection = await DataSource.OpenConnectionAsync();

        var codes = (await connection.QueryAsync<string>("SELECT nieuwe_volgcode() FROM generate_series(1, 20000)")).ToList();

        Assert.All(codes, code => Assert.Matches(VolgcodePattern(), code));
        Assert.Equal(codes.Count, codes.Distinct().Count());
        // Every symbol of the alphabet turns up in every position: no fixed or biased characters.
        for (var position = 0; position < 19; position++)
        {
            if (position % 5 == 4)
            {
                continue;
            }
            Assert.Equal(32, codes.Select(c => c[position]).Distinct().Count());
        }
    }

    [Fact]
    public async Task Every_geometry_column_has_a_gist_index()
    {
        await using var connection = await DataSource.OpenConnectionAsync();

        var unindexed = (
            await connection.QueryAsync<string>(
                """
                SELECT c.f_table_name || '.' || c.f_geometry_column
                FROM geometry_columns c
                WHERE c.f_table_schema = 'public'
                  AND NOT EXISTS (
                      SELECT 1 FROM pg_indexes i
                      WHERE i.tablename = c.f_table_name AND i.indexdef ILIKE '%USING gist (' || c.f_geometry_column || ')%')
                """
            )
        ).ToList();

        Assert.Empty(unindexed);
    }

    [GeneratedRegex("^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")]
    private static partial Regex VolgcodePattern();
}
