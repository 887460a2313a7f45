using Dapper;
using Npgsql;
using Wijkmeldingen.Web.Data;

namespace Wijkmeldingen.Web.Features.Maatregelen;

/// <summary>
/// The measures' demo step (development only, <see cref="DemoSeeder"/>): three measures, one of each
/// status, each at the place of a demo report and linked to it and to comparable demo reports nearby.
/// One finished measure started 90 days ago where reports of one public category cluster, so its wijk
/// page shows a before/after figure; one running measure came from the past demo walk (linked to the
/// walk and its finding); one planned measure starts in two weeks. Places, buurt names and category
/// names come from the loaded municipality's areas and categories, never from code; every measure has
/// is_demo and "(demo)" in its title, and is marked as announced, so the demo mails nobody.
/// </summary>
public static class MaatregelenDemo
{
    public const string Naam = "maatregelen";

    public static DemoStap Stap(IServiceProvider _) =>
        new(Naam, 45, VulAsync)
        {
            WissenAsync = (connection, transaction, cancellationToken) =>
                connection.ExecuteAsync(
                    new CommandDefinition(
                        "DELETE FROM maatregel WHERE is_demo",
                        transaction: transaction,
                        cancellationToken: cancellationToken
                    )
                ),
        };

    /// <summary>The kind of measure that fits a category (categories are data: anything else is 'overig').</summary>
    private const string TypeVanRubriek = """
        CASE r.code WHEN 'parkeeroverlast' THEN 'handhaving' WHEN 'te-hard-rijden' THEN 'verkeersdrempel'
                    WHEN 'jeugdoverlast' THEN 'gesprek' WHEN 'woonoverlast' THEN 'gesprek' WHEN 'verkeersagressie' THEN 'handhaving'
                    ELSE 'overig' END
        """;

    private const string Publiek = "r.openbaarheid <> 'verborgen' AND m.status <> 'ingetrokken'";

    public static async Task<int> VulAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (
            await connection.ExecuteScalarAsync<bool>(
                new CommandDefinition(
                    "SELECT EXISTS (SELECT 1 FROM maatregel WHERE is_demo)",
                    transaction: transaction,
                    cancellationToken: cancellationToken
                )
            )
        )
        {
            return 0;
        }
        var rijen = 0;

        // Finished, with a before/after figure: the public demo report (filed 100 to 200 days ago) with the
        // most reports of its category within 150 m in the last year.
        var cluster = await KiesAsync(
            connection,
            transaction,
            $"""
            SELECT m.id FROM melding m JOIN rubriek r ON r.id = m.rubriek_id
            WHERE m.is_demo AND {Publiek} AND m.wandeling_id IS NULL
              AND m.aangemaakt_op BETWEEN now() - interval '200 days' AND now() - interval '100 days'
            ORDER BY (SELECT count(*) FROM melding n
                      WHERE n.rubriek_id = m.rubriek_id AND n.is_demo AND ST_DWithin(n.locatie, m.locatie, 150)
                        AND n.aangemaakt_op > now() - interval '1 year') DESC, m.id
            LIMIT 1
            """,
            cancellationToken
        );
        if (cluster is { } c)
        {
            var id = await InvoegenAsync(
                connection,
                transaction,
                c,
                titel: "Aanpak %s bij %s (demo)",
                omschrijving: "Dit is een demomaatregel, aangemaakt door infra/wijk run. Na herhaalde meldingen op deze plek is hier twee "
                    + "maanden lang extra aandacht geweest: vaker controleren, aanspreken en waar nodig beboeten. Op de wijkpagina staat "
                    + "hoeveel vergelijkbare meldingen er voor en na de start waren.",
                status: "afgerond",
                start: -90,
                eind: -30,
                cancellationToken
            );
            rijen += 1 + await KoppelAsync(connection, transaction, id, c, 4, cancellationToken);
        }

        // Running, from the past demo walk: at one of its public findings, linked to the walk and the finding.
        var bevinding = await KiesAsync(
            connection,
            transaction,
            $"""
            SELECT m.id FROM melding m JOIN rubriek r ON r.id = m.rubriek_id JOIN wandeling w ON w.id = m.wandeling_id
            WHERE m.is_demo AND w.is_demo AND {Publiek}
            ORDER BY (r.code = 'te-hard-rijden') DESC, m.aangemaakt_op DESC, m.id
            LIMIT 1
            """,
            cancellationToken
        );
        var lopend = bevinding
            ?? await KiesAsync(
                connection,
                transaction,
                $"""
                SELECT m.id FROM melding m JOIN rubriek r ON r.id = m.rubriek_id
                WHERE m.is_demo AND {Publiek} AND m.aangemaakt_op BETWEEN now() - interval '60 days' AND now() - interval '21 days'
                ORDER BY m.aangemaakt_op DESC, m.id LIMIT 1
                """,
                cancellationToken
            );
        if (lopend is { } l)
        {
            var id = await InvoegenAsync(
                connection,
                transaction,
                l,
                titel: "Maatregel tegen %s bij %s (demo)",
                omschrijving: "Dit is een demomaatregel, aangemaakt door infra/wijk run. Bewoners wezen er tijdens de wijkwandeling op; "
                    + "de gemeente pakt het samen met de wijkagent aan en houdt de meldingen hier in de gaten.",
                status: "lopend",
                start: -20,
                eind: null,
                cancellationToken
            );
            rijen += 1 + await KoppelAsync(connection, transaction, id, l, 2, cancellationToken);
            rijen += await connection.ExecuteAsync(
                new CommandDefinition(
                    """
                    INSERT INTO maatregel_wandeling (maatregel_id, wandeling_id)
                    SELECT @id, m.wandeling_id FROM melding m WHERE m.id = @melding AND m.wandeling_id IS NOT NULL
                    """,
                    new { id, melding = l },
                    transaction,
                    cancellationToken: cancellationToken
                )
            );
        }

        // Planned: a recent open public report in the second most populous wijk (else any wijk).
        var gepland = await KiesAsync(
            connection,
            transaction,
            $"""
            SELECT m.id FROM melding m JOIN rubriek r ON r.id = m.rubriek_id JOIN wijk k ON k.code = m.wijk_code
            WHERE m.is_demo AND {Publiek} AND m.wandeling_id IS NULL AND m.status IN ('gemeld', 'in-behandeling')
              AND NOT EXISTS (SELECT 1 FROM maatregel_melding mm WHERE mm.melding_id = m.id)
            ORDER BY k.code = (SELECT code FROM wijk ORDER BY inwoners DESC NULLS LAST, code OFFSET 1 LIMIT 1) DESC,
                     m.aangemaakt_op DESC, m.id
            LIMIT 1
            """,
            cancellationToken
        );
        if (gepland is { } g)
        {
            var id = await InvoegenAsync(
                connection,
                transaction,
                g,
                titel: "Bewonersavond over %s in %s (demo)",
                omschrijving: "Dit is een demomaatregel, aangemaakt door infra/wijk run. De wijkcoördinator nodigt de buurt uit om samen "
                    + "met de wijkagent te bespreken wat er speelt en wat bewoners zelf kunnen doen.",
                status: "gepland",
                start: 14,
                eind: 14,
                cancellationToken
            );
            rijen += 1 + await KoppelAsync(connection, transaction, id, g, 2, cancellationToken);
        }
        return rijen;
    }

    private static Task<long?> KiesAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        string sql,
        CancellationToken cancellationToken
    ) =>
        connection.QuerySingleOrDefaultAsync<long?>(
            new CommandDefinition(sql, transaction: transaction, cancellationToken: cancellationToken)
        );

    /// <summary>A measure at the report's place (its buurt and wijk), titled with its category and buurt;
    /// start and end in days from today.</summary>
    private static Task<long> InvoegenAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        long melding,
        string titel,
        string omschrijving,
        string status,
        int start,
        int? eind,
        CancellationToken cancellationToken
    ) =>
        connection.QuerySingleAsync<long>(
            new CommandDefinition(
                $"""
                INSERT INTO maatregel (type_code, titel, omschrijving, geom, buurt_code, wijk_code, status, start_datum, eind_datum,
                                       verantwoordelijke, aangemaakt_door, start_gemeld_op, klaar_gemeld_op, is_demo)
                SELECT {TypeVanRubriek}, format(@titel, lower(r.naam), b.naam), @omschrijving, m.locatie, m.buurt_code, m.wijk_code,
                       @status, current_date + @start, current_date + @eind::int,
                       'Wijkteam (demo)', 'Demo Beheerder',
                       CASE WHEN @status <> 'gepland' THEN now() END, CASE WHEN @status = 'afgerond' THEN now() END, true
                FROM melding m JOIN rubriek r ON r.id = m.rubriek_id JOIN buurt b ON b.code = m.buurt_code
                WHERE m.id = @melding
                RETURNING id
                """,
                new
                {
                    melding,
                    titel,
                    omschrijving,
                    status,
                    start,
                    eind,
                },
                transaction,
                cancellationToken: cancellationToken
            )
        );

    /// <summary>Links the report and up to <paramref name="aantal"/> comparable demo reports nearest to it
    /// (same category, within 150 m, filed before the measure started).</summary>
    private static Task<int> KoppelAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        long id,
        long melding,
        int aantal,
        CancellationToken cancellationToken
    ) =>
        connection.ExecuteAsync(
            new CommandDefinition(
                """
                INSERT INTO maatregel_melding (maatregel_id, melding_id)
                SELECT @id, @melding
                UNION
                (SELECT @id, n.id FROM melding n, melding m, maatregel x
                 WHERE m.id = @melding AND x.id = @id AND n.is_demo AND n.rubriek_id = m.rubriek_id AND n.id <> m.id
                   AND n.status <> 'ingetrokken' AND ST_DWithin(n.locatie, m.locatie, 150)
                   AND n.aangemaakt_op < (x.start_datum::timestamp AT TIME ZONE 'Europe/Amsterdam')
                 ORDER BY n.locatie <-> m.locatie, n.id
                 LIMIT @aantal - 1)
                """,
                new
                {
                    id,
                    melding,
                    aantal,
                },
                transaction,
                cancellationToken: cancellationToken
            )
        );
}
