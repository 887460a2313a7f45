using Dapper;
using Npgsql;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Bench;

/// <summary>
/// The floor under the portal's figures: the minimal SQL for the same answer, run in the same
/// bench run with the same clients (issue: national-scale speed). The viewport floor reads the
/// newest reports in a window with their point and nothing else (same index, same cap); the filing
/// floor inserts a bare report row and an outbox row in one durable transaction, into two tables of
/// its own without triggers (synchronous_commit stays on), as ../shared/PERFORMANCE.md measured.
/// </summary>
internal static class Vloer
{
    public static async Task MaakAsync(NpgsqlDataSource dataSource)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(
            """
            CREATE TABLE IF NOT EXISTS bench_vloer_melding (
                id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                rubriek_id    int NOT NULL,
                omschrijving  text NOT NULL,
                locatie       geometry(Point, 28992) NOT NULL,
                aangemaakt_op timestamptz NOT NULL DEFAULT now()
            );
            CREATE TABLE IF NOT EXISTS bench_vloer_outbox (
                id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                melding_id bigint NOT NULL,
                soort      text NOT NULL
            );
            TRUNCATE bench_vloer_melding, bench_vloer_outbox;
            """
        );
    }

    public static async Task VensterAsync(NpgsqlDataSource dataSource, PubliekeMeldingen.Bbox venster, int max)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT m.id, ST_X(m.locatie), ST_Y(m.locatie)
            FROM melding m
            WHERE m.aangemaakt_op >= now() - interval '90 days'
              AND m.locatie && ST_Transform(ST_MakeEnvelope(@minLon, @minLat, @maxLon, @maxLat, 4326), 28992)
            ORDER BY m.aangemaakt_op DESC, m.id DESC
            LIMIT @max
            """,
            connection
        );
        command.Parameters.AddWithValue("minLon", venster.MinLon);
        command.Parameters.AddWithValue("minLat", venster.MinLat);
        command.Parameters.AddWithValue("maxLon", venster.MaxLon);
        command.Parameters.AddWithValue("maxLat", venster.MaxLat);
        command.Parameters.AddWithValue("max", max);
        // Not prepared: a generic plan loses the window (see KaartPlekken).
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            _ = reader.GetInt64(0);
        }
    }

    public static async Task InvoegenAsync(NpgsqlDataSource dataSource, (double Lat, double Lon) punt)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(
            """
            WITH m AS (
                INSERT INTO bench_vloer_melding (rubriek_id, omschrijving, locatie)
                VALUES (1, 'vloer', ST_Transform(ST_SetSRID(ST_MakePoint(@lon, @lat), 4326), 28992))
                RETURNING id
            )
            INSERT INTO bench_vloer_outbox (melding_id, soort) SELECT id, 'ontvangen' FROM m
            """,
            connection
        );
        command.Parameters.AddWithValue("lon", punt.Lon);
        command.Parameters.AddWithValue("lat", punt.Lat);
        await command.PrepareAsync();
        await command.ExecuteNonQueryAsync();
    }
}
