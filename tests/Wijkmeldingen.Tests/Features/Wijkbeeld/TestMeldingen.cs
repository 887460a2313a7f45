using Dapper;
using Npgsql;

namespace Wijkmeldingen.Tests.Features.Wijkbeeld;

/// <summary>Files test reports straight into the database, at a chosen local time, in a chosen buurt,
/// with a status and (optionally) the history of being handled or reopened.</summary>
public static class TestMeldingen
{
    public static async Task MeldAsync(
        NpgsqlDataSource dataSource,
        string rubriek,
        string buurt,
        DateTime lokaal,
        int aantal = 1,
        string status = "gemeld",
        int? afgehandeldNaDagen = null,
        bool heropend = false
    )
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(
            """
            WITH nieuw AS (
                INSERT INTO melding (rubriek_id, omschrijving, locatie, status, aangemaakt_op, gewijzigd_op)
                SELECT r.id, 'Testmelding', ST_PointOnSurface(b.geom), @status,
                       @lokaal::timestamp AT TIME ZONE 'Europe/Amsterdam', @lokaal::timestamp AT TIME ZONE 'Europe/Amsterdam'
                FROM rubriek r, buurt b, generate_series(1, @aantal)
                WHERE r.code = @rubriek AND b.code = @buurt
                RETURNING id, aangemaakt_op
            ), afgehandeld AS (
                INSERT INTO melding_historie (melding_id, van_status, naar_status, door, tijdstip)
                SELECT id, 'gemeld', 'afgehandeld', 'test', aangemaakt_op + make_interval(days => @dagen::int, hours => 1)
                FROM nieuw WHERE @dagen::int IS NOT NULL
            )
            INSERT INTO melding_historie (melding_id, van_status, naar_status, door, tijdstip)
            SELECT id, 'afgehandeld', 'heropend', 'test', aangemaakt_op + make_interval(days => coalesce(@dagen::int, 0) + 1)
            FROM nieuw WHERE @heropend
            """,
            new
            {
                rubriek,
                buurt,
                lokaal,
                aantal,
                status,
                dagen = afgehandeldNaDagen,
                heropend,
            }
        );
    }
}
