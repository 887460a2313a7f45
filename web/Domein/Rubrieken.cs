using Dapper;
using Npgsql;

namespace Wijkmeldingen.Web.Domein;

/// <summary>The active categories, grouped by theme, as the report form shows them.</summary>
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
                SELECT r.code, r.naam, r.uitleg, r.advies, r.openbaarheid, r.standaard_anoniem AS standaardanoniem,
                       t.code AS themacode, t.naam AS themanaam
                FROM rubriek r
                JOIN thema t ON t.id = r.thema_id
                WHERE r.actief
                ORDER BY t.volgorde, r.volgorde
                """,
                cancellationToken: cancellationToken
            )
        );
        return rows.GroupBy(r => (r.ThemaCode, r.ThemaNaam)).Select(g => new Thema(g.Key.ThemaCode, g.Key.ThemaNaam, g.ToList())).ToList();
    }
}
