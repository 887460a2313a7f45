using Dapper;
using Npgsql;

namespace Wijkmeldingen.Web.Features.Wandelingen;

/// <summary>Reading walks as residents see them: published ones, places left, never who signed up.</summary>
public static class Wandelingen
{
    public sealed record Wandeling(
        long Id,
        string Titel,
        string WijkCode,
        string WijkNaam,
        DateTime BegintOp,
        int DuurMinuten,
        string StartpuntNaam,
        double StartLat,
        double StartLon,
        string? RouteGeoJson,
        string Omschrijving,
        string Toegankelijkheid,
        int Capaciteit,
        string Status,
        int Bezet,
        int Wachtlijst
    )
    {
        public int PlaatsenVrij => Math.Max(0, Capaciteit - Bezet);

        public DateTimeOffset Begin => new(DateTime.SpecifyKind(BegintOp, DateTimeKind.Utc));

        public DateTimeOffset Einde => Begin.AddMinutes(DuurMinuten);
    }

    private const string Select = """
        SELECT w.id, w.titel, w.wijk_code AS wijkcode, k.naam AS wijknaam, w.begint_op AS begintop, w.duur_minuten AS duurminuten,
               w.startpunt_naam AS startpuntnaam,
               ST_Y(ST_Transform(w.startpunt, 4326)) AS startlat, ST_X(ST_Transform(w.startpunt, 4326)) AS startlon,
               ST_AsGeoJSON(ST_Transform(w.route, 4326), 6) AS routegeojson,
               w.omschrijving, w.toegankelijkheid, w.capaciteit, w.status,
               coalesce((SELECT sum(a.aantal_personen) FROM wandeling_aanmelding a
                   WHERE a.wandeling_id = w.id AND a.soort = 'deelnemer'), 0)::int AS bezet,
               (SELECT count(*) FROM wandeling_aanmelding a WHERE a.wandeling_id = w.id AND a.soort = 'wachtlijst')::int AS wachtlijst
        FROM wandeling w
        JOIN wijk k ON k.code = w.wijk_code
        """;

    /// <summary>Published walks that have not ended, soonest first.</summary>
    public static async Task<IReadOnlyList<Wandeling>> KomendAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Wandeling>(
            new CommandDefinition(
                Select
                    + "\n"
                    + """
                    WHERE w.status IN ('gepubliceerd', 'geannuleerd')
                      AND w.begint_op + make_interval(mins => w.duur_minuten) > now()
                    ORDER BY w.begint_op
                    """,
                cancellationToken: cancellationToken
            )
        );
        return rows.AsList();
    }

    /// <summary>One walk as the public sees it; concept walks are not public.</summary>
    public static async Task<Wandeling?> LaadAsync(NpgsqlConnection connection, long id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return await connection.QuerySingleOrDefaultAsync<Wandeling>(
            new CommandDefinition(Select + " WHERE w.id = @id AND w.status <> 'concept'", new { id }, cancellationToken: cancellationToken)
        );
    }
}
