using Dapper;
using Npgsql;

namespace Wijkmeldingen.Web.Domein;

/// <summary>The active categories, grouped by theme, as the report form shows them, in the visitor's
/// language (<see cref="Taal"/>).</summary>
public static class Rubrieken
{
    public sealed record Rubriek(
        string Code,
        string Naam,
        string Uitleg,
        string? Advies,
        string Openbaarheid,
        bool StandaardAnoniem,
        string ThemaCode,
        string ThemaNaam
    );

    public sealed record Thema(string Code, string Naam, IReadOnlyList<Rubriek> Rubrieken);

    public static async Task<IReadOnlyList<Thema>> LaadAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Rubriek>(
            new CommandDefinition(
                """
                SELECT r.code, in_taal(r.naam, r.naam_en, @taal) AS naam, in_taal(r.uitleg, r.uitleg_en, @taal) AS uitleg,
                       in_taal(r.advies, r.advies_en, @taal) AS advies,
                       r.openbaarheid, r.standaard_anoniem AS standaardanoniem,
                       t.code AS themacode, in_taal(t.naam, t.naam_en, @taal) AS themanaam
                FROM rubriek r
                JOIN thema t ON t.id = r.thema_id
                WHERE r.actief
                ORDER BY t.volgorde, r.volgorde
                """,
                new { taal = Taal.Code },
                cancellationToken: cancellationToken
            )
        );
        return rows.GroupBy(r => (r.ThemaCode, r.ThemaNaam)).Select(g => new Thema(g.Key.ThemaCode, g.Key.ThemaNaam, g.ToList())).ToList();
    }
}
