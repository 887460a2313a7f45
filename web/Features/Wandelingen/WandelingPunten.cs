using Dapper;
using Npgsql;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Wandelingen;

/// <summary>The reports around a walk as the public may see them: the places the organiser attached
/// to visit, and (once the walk is over) what was recorded on it. Only categories that are public,
/// each at its public place (publiek_punt, V8), never exact; sensitive reports are left out entirely.</summary>
public static class WandelingPunten
{
    public sealed record Punt(string Soort, double Lat, double Lon, string Rubriek, string StatusNaam, bool Gesloten);

    public sealed record Verslag(int Deelnemers, int Waarnemingen, int Afgehandeld);

    public static async Task<IReadOnlyList<Punt>> PubliekAsync(
        NpgsqlConnection connection,
        long id,
        bool metWaarnemingen,
        int raster,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(connection);
        return (
            await connection.QueryAsync<Punt>(
                new CommandDefinition(
                    """
                    SELECT x.soort, ST_Y(ST_Transform(x.punt, 4326)) AS lat, ST_X(ST_Transform(x.punt, 4326)) AS lon,
                        x.rubriek, x.statusnaam, x.gesloten
                    FROM (
                        SELECT CASE WHEN m.wandeling_id = @id THEN 'waarneming' ELSE 'bezoek' END AS soort,
                               publiek_punt(m.locatie, r.openbaarheid, @raster) AS punt,
                               in_taal(r.naam, r.naam_en, @taal) AS rubriek, in_taal(s.naam, s.naam_en, @taal) AS statusnaam, s.gesloten,
                               m.aangemaakt_op
                        FROM melding m
                        JOIN rubriek r ON r.id = m.rubriek_id
                        JOIN meldingstatus s ON s.code = m.status
                        WHERE r.openbaarheid <> 'verborgen' AND m.status <> 'ingetrokken'
                          AND (m.id IN (SELECT melding_id FROM wandeling_melding WHERE wandeling_id = @id)
                               OR (@metWaarnemingen AND m.wandeling_id = @id))
                    ) x
                    WHERE x.punt IS NOT NULL
                    ORDER BY x.soort, x.aangemaakt_op
                    """,
                    new
                    {
                        id,
                        metWaarnemingen,
                        raster = (double)raster,
                        taal = Taal.Code,
                    },
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();
    }

    /// <summary>After the walk: how many attended (checked in, or the figure frozen after the walk) and
    /// what became of the (public) observations.</summary>
    public static async Task<Verslag> VerslagAsync(NpgsqlConnection connection, long id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return await connection.QuerySingleAsync<Verslag>(
            new CommandDefinition(
                """
                SELECT coalesce(w.deelnemers_na_afloop,
                                (SELECT sum(coalesce(a.aanwezig_personen, a.aantal_personen)) FROM wandeling_aanmelding a
                                    WHERE a.wandeling_id = w.id AND a.aanwezig_op IS NOT NULL), 0)::int AS deelnemers,
                       (SELECT count(*) FROM melding m JOIN rubriek r ON r.id = m.rubriek_id
                        WHERE m.wandeling_id = w.id AND r.openbaarheid <> 'verborgen' AND m.status <> 'ingetrokken')::int AS waarnemingen,
                       (SELECT count(*) FROM melding m JOIN rubriek r ON r.id = m.rubriek_id JOIN meldingstatus s ON s.code = m.status
                        WHERE m.wandeling_id = w.id AND r.openbaarheid <> 'verborgen'
                            AND s.gesloten AND m.status <> 'ingetrokken')::int AS afgehandeld
                FROM wandeling w WHERE w.id = @id
                """,
                new { id },
                cancellationToken: cancellationToken
            )
        );
    }

    /// <summary>The organiser's summary for the public report ('' when none was written).</summary>
    public static async Task<string> SamenvattingAsync(NpgsqlConnection connection, long id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return await connection.QuerySingleOrDefaultAsync<string>(
            new CommandDefinition("SELECT samenvatting FROM wandeling WHERE id = @id", new { id }, cancellationToken: cancellationToken)
        ) ?? "";
    }
}
