using Dapper;
using Npgsql;

namespace Wijkmeldingen.Web.Features.Meldingen.Sjablonen;

/// <summary>Reply templates (table antwoord_sjabloon, V10) as beheerders manage them: the report page
/// offers the active ones in this order.</summary>
public static class Sjablonen
{
    public sealed record Sjabloon(short Id, string Naam, string Tekst, bool Actief, short Volgorde);

    public static async Task<IReadOnlyList<Sjabloon>> AlleAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        (
            await connection.QueryAsync<Sjabloon>(
                new CommandDefinition(
                    "SELECT id, naam, tekst, actief, volgorde FROM antwoord_sjabloon ORDER BY volgorde, naam",
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();

    /// <summary>Moves a template one place up (-1) or down (+1): the list is numbered 1..n in its
    /// current order first, so equal numbers cannot stall a move. False when it is already at the edge.</summary>
    public static async Task<bool> VerplaatsAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        short id,
        int richting,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(connection);
        await connection.ExecuteAsync(
            new CommandDefinition(
                """
                UPDATE antwoord_sjabloon s SET volgorde = n.nr
                FROM (SELECT id, row_number() OVER (ORDER BY volgorde, naam)::smallint AS nr FROM antwoord_sjabloon) n
                WHERE n.id = s.id
                """,
                transaction: transaction,
                cancellationToken: cancellationToken
            )
        );
        return await connection.ExecuteAsync(
                new CommandDefinition(
                    """
                    WITH hier AS (SELECT volgorde FROM antwoord_sjabloon WHERE id = @id),
                         buur AS (SELECT a.id, a.volgorde FROM antwoord_sjabloon a, hier WHERE a.volgorde = hier.volgorde + @richting)
                    UPDATE antwoord_sjabloon s
                    SET volgorde = CASE WHEN s.id = @id THEN (SELECT volgorde FROM buur) ELSE (SELECT volgorde FROM hier) END
                    WHERE (s.id = @id OR s.id = (SELECT id FROM buur)) AND EXISTS (SELECT 1 FROM buur)
                    """,
                    new { id, richting },
                    transaction,
                    cancellationToken: cancellationToken
                )
            ) == 2;
    }
}
