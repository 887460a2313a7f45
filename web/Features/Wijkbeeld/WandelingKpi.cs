using Dapper;
using Npgsql;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Wijkbeeld;

/// <summary>Wijkwandelingen on the KPI page, per wijk and for the municipality, this period against
/// the previous one: published walks that started in the period, the people who attended (checked in
/// by the organiser, not sign-ups), and the
/// reports recorded on walks (public categories only, small counts suppressed like every public figure).
/// Self-contained: the partial _WandelingKpi runs it, so the rest of the KPI page is untouched.</summary>
public static class WandelingKpi
{
    public sealed record Rij(
        string Code,
        string Naam,
        long Wandelingen,
        long WandelingenVorig,
        long Deelnemers,
        long DeelnemersVorig,
        long Meldingen,
        long MeldingenVorig
    );

    /// <summary>One row per wijk (by name) and a last row for the municipality (code null).</summary>
    public static async Task<IReadOnlyList<Rij>> LaadAsync(
        NpgsqlDataSource dataSource,
        Periode periode,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(periode);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rijen = (
            await connection.QueryAsync<Rij>(
                new CommandDefinition(
                    """
                    WITH grenzen AS (
                        SELECT @van::timestamp AT TIME ZONE 'Europe/Amsterdam' AS van,
                            @einde::timestamp AT TIME ZONE 'Europe/Amsterdam' AS einde,
                               @vorigVan::timestamp AT TIME ZONE 'Europe/Amsterdam' AS vorig_van
                    ),
                    w AS (
                        SELECT w.wijk_code, w.begint_op >= g.van AS nu,
                               coalesce(w.deelnemers_na_afloop,
                                        (SELECT sum(coalesce(a.aanwezig_personen, a.aantal_personen)) FROM wandeling_aanmelding a
                                            WHERE a.wandeling_id = w.id AND a.aanwezig_op IS NOT NULL), 0) AS deelnemers
                        FROM wandeling w, grenzen g
                        WHERE w.status = 'gepubliceerd' AND w.begint_op >= g.vorig_van AND w.begint_op < g.einde
                    ),
                    m AS (
                        SELECT m.wijk_code, m.aangemaakt_op >= g.van AS nu
                        FROM melding m JOIN rubriek r ON r.id = m.rubriek_id, grenzen g
                        WHERE m.wandeling_id IS NOT NULL AND r.openbaarheid <> 'verborgen'
                          AND m.aangemaakt_op >= g.vorig_van AND m.aangemaakt_op < g.einde
                    )
                    SELECT k.code, k.naam,
                           (SELECT count(*) FILTER (WHERE nu) FROM w WHERE w.wijk_code = k.code) AS wandelingen,
                           (SELECT count(*) FILTER (WHERE NOT nu) FROM w WHERE w.wijk_code = k.code) AS wandelingenvorig,
                           (SELECT coalesce(sum(deelnemers) FILTER (WHERE nu), 0) FROM w WHERE w.wijk_code = k.code)::bigint AS deelnemers,
                           (SELECT coalesce(sum(deelnemers) FILTER (WHERE NOT nu), 0)
                               FROM w WHERE w.wijk_code = k.code)::bigint AS deelnemersvorig,
                           (SELECT count(*) FILTER (WHERE nu) FROM m WHERE m.wijk_code = k.code) AS meldingen,
                           (SELECT count(*) FILTER (WHERE NOT nu) FROM m WHERE m.wijk_code = k.code) AS meldingenvorig
                    FROM wijk k
                    ORDER BY k.naam
                    """,
                    new
                    {
                        van = periode.Van,
                        einde = periode.Einde,
                        vorigVan = periode.Vorige.Van,
                    },
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();
        rijen.Add(
            new Rij(
                "",
                "",
                rijen.Sum(r => r.Wandelingen),
                rijen.Sum(r => r.WandelingenVorig),
                rijen.Sum(r => r.Deelnemers),
                rijen.Sum(r => r.DeelnemersVorig),
                rijen.Sum(r => r.Meldingen),
                rijen.Sum(r => r.MeldingenVorig)
            )
        );
        return rijen;
    }
}
