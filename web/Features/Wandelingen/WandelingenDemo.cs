using Dapper;
using Npgsql;
using Wijkmeldingen.Web.Data;

namespace Wijkmeldingen.Web.Features.Wandelingen;

/// <summary>
/// The walks' demo step (development only, <see cref="DemoSeeder"/>): two upcoming published walks
/// in the two most populous wijken — one with places left, one full with a waitlist, signed up
/// through the real sign-up rule (<see cref="Aanmeldingen"/>) with fake names under example.invalid
/// and no mail — and a past walk with its public summary and three findings (reports with bron
/// 'wandeling'). Every walk has is_demo and "(demo)" in its title; the findings are demo reports.
/// Places come from the loaded municipality's areas; a street name only from its imported BAG
/// addresses, never invented.
/// </summary>
public static class WandelingenDemo
{
    public const string Naam = "wandelingen";

    /// <summary>Capacity of the walk that fills up, and the sign-ups (people each) tried on it.</summary>
    public const int VolCapaciteit = 6;

    public static readonly int[] VolAanmeldingen = [2, 2, 2, 1, 2];

    public static readonly int[] RuimAanmeldingen = [2, 1, 3, 1];

    public static DemoStap Stap(IServiceProvider services) =>
        new(Naam, 20, (connection, transaction, cancellationToken) =>
            VulAsync(connection, transaction, services.GetRequiredService<Aanmeldingen>(), cancellationToken)
        )
        {
            WissenAsync = (connection, transaction, cancellationToken) =>
                connection.ExecuteAsync(
                    new CommandDefinition(
                        "DELETE FROM wandeling WHERE is_demo",
                        transaction: transaction,
                        cancellationToken: cancellationToken
                    )
                ),
        };

    public static async Task<int> VulAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        Aanmeldingen aanmeldingen,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(aanmeldingen);
        if (
            await connection.ExecuteScalarAsync<bool>(
                new CommandDefinition(
                    "SELECT EXISTS (SELECT 1 FROM wandeling WHERE is_demo)",
                    transaction: transaction,
                    cancellationToken: cancellationToken
                )
            )
        )
        {
            return 0;
        }
        var wijken = (
            await connection.QueryAsync<string>(
                new CommandDefinition(
                    "SELECT code FROM wijk ORDER BY inwoners DESC NULLS LAST, code LIMIT 2",
                    transaction: transaction,
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();
        if (wijken.Count == 0)
        {
            return 0;
        }
        var eerste = wijken[0];
        var tweede = wijken[^1];

        var ruim = await WandelingAsync(connection, transaction, eerste, dagen: 10, capaciteit: 15, "Avondwandeling", cancellationToken);
        var vol = await WandelingAsync(
            connection,
            transaction,
            tweede,
            dagen: 17,
            capaciteit: VolCapaciteit,
            "Wijkschouw",
            cancellationToken
        );
        var voorbij = await WandelingAsync(
            connection,
            transaction,
            eerste,
            dagen: -40,
            capaciteit: 20,
            "Voorjaarsschouw",
            cancellationToken
        );
        var rijen = 3;

        var nummer = 0;
        foreach (var (wandeling, personen) in RuimAanmeldingen.Select(p => (ruim, p)).Concat(VolAanmeldingen.Select(p => (vol, p))))
        {
            nummer++;
            var resultaat = await aanmeldingen.DemoAanmeldenAsync(
                connection,
                transaction,
                wandeling,
                $"Demo Deelnemer {nummer}",
                $"demo{nummer}@example.invalid",
                personen,
                cancellationToken
            );
            rijen += resultaat.Uitkomst is Aanmeldingen.Uitkomst.Deelnemer or Aanmeldingen.Uitkomst.Wachtlijst ? 1 : 0;
        }

        // The past walk: its participants were deleted after the retention period, their number kept.
        await connection.ExecuteAsync(
            new CommandDefinition(
                "UPDATE wandeling SET deelnemers_na_afloop = 11 WHERE id = @voorbij",
                new { voorbij },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        rijen += await BevindingenAsync(connection, transaction, voorbij, cancellationToken);
        rijen += await TeBezoekenAsync(connection, transaction, ruim, cancellationToken);
        return rijen;
    }

    private static Task<long> WandelingAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        string wijk,
        int dagen,
        int capaciteit,
        string soort,
        CancellationToken cancellationToken
    ) =>
        connection.QuerySingleAsync<long>(
            new CommandDefinition(
                """
                WITH plek AS (
                    -- The meeting point: inside the wijk's most populous buurt.
                    SELECT k.naam, k.geom AS wijkgeom, ST_PointOnSurface(b.geom) AS p
                    FROM wijk k
                    JOIN LATERAL (SELECT geom FROM buurt WHERE wijk_code = k.code ORDER BY inwoners DESC NULLS LAST, code LIMIT 1) b ON true
                    WHERE k.code = @wijk
                ), route AS (
                    -- A loop of about a kilometre, kept inside the wijk.
                    SELECT plek.*, ST_MakeLine(ARRAY[
                               p,
                               ST_ClosestPoint(wijkgeom, ST_Translate(p, 250, 0)),
                               ST_ClosestPoint(wijkgeom, ST_Translate(p, 250, 220)),
                               ST_ClosestPoint(wijkgeom, ST_Translate(p, 0, 220)),
                               p]) AS lijn,
                           (SELECT a.straat FROM adres a ORDER BY a.punt <-> p LIMIT 1) AS straat
                    FROM plek
                )
                INSERT INTO wandeling (titel, wijk_code, begint_op, duur_minuten, startpunt, startpunt_naam, route, omschrijving,
                                       toegankelijkheid, capaciteit, status, organisator, is_demo, aangemaakt_op, gewijzigd_op)
                SELECT @soort || ' ' || naam || ' (demo)', @wijk,
                       ((current_date + @dagen)::timestamp + time '19:00') AT TIME ZONE 'Europe/Amsterdam', 90,
                       p,
                       CASE WHEN straat IS NULL THEN 'Het startpunt op de kaart' ELSE 'Bij de ' || straat END,
                       lijn,
                       'Dit is een demowandeling, aangemaakt door infra/wijk run om te laten zien hoe wijkwandelingen werken. '
                           || 'Samen met de wijkagent, de handhaving en de wijkcoördinator lopen we een ronde door de wijk en kijken '
                           || 'we naar verkeer, parkeren, verlichting en plekken waar bewoners zich minder veilig voelen.',
                       'De route is vlak en goed begaanbaar met een rolstoel of rollator. We lopen in een rustig tempo en '
                           || 'pauzeren halverwege.',
                       @capaciteit, 'gepubliceerd', 'Demo Organisator', true,
                       now() - interval '60 days', now() - interval '60 days'
                FROM route
                RETURNING id
                """,
                new
                {
                    wijk,
                    dagen,
                    capaciteit,
                    soort,
                },
                transaction,
                cancellationToken: cancellationToken
            )
        );

    /// <summary>What was seen on the past walk: three reports along its route, one handled already.</summary>
    private static async Task<int> BevindingenAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        long wandeling,
        CancellationToken cancellationToken
    )
    {
        var ids = (
            await connection.QueryAsync<long>(
                new CommandDefinition(
                    """
                    WITH w AS (SELECT id, route, begint_op FROM wandeling WHERE id = @wandeling),
                    bevinding (nr, rubriek, tekst, status, bericht) AS (VALUES
                        (1, 'parkeeroverlast',
                            'Tijdens de wijkwandeling gezien: auto''s staan half op de stoep, met een kinderwagen kom je er niet langs.',
                            'afgehandeld', 'Handhaving heeft hier een week lang extra gecontroleerd en bekeurd. Dank voor het melden.'),
                        (2, 'jeugdoverlast',
                            'Bewoners vertelden tijdens de wandeling over een groep jongeren die hier ''s avonds laat lawaai maakt '
                            || 'en afval laat liggen.',
                            'in-behandeling', 'De jongerenwerker en de wijkagent gaan in gesprek met de jongeren.'),
                        (3, 'te-hard-rijden',
                            'Tijdens de wandeling reden meerdere auto''s duidelijk harder dan 30 km/u, vlak bij de oversteekplaats.',
                            'gemeld', NULL)
                    ), ingevoegd AS (
                        INSERT INTO melding (rubriek_id, omschrijving, locatie, status, aangemaakt_op, gewijzigd_op, bron, wandeling_id,
                                             is_demo)
                        SELECT r.id,
                               b.tekst || coalesce(' Gezien bij de ' ||
                                   (SELECT a.straat FROM adres a
                                    WHERE ST_DWithin(a.punt, ST_LineInterpolatePoint(w.route, b.nr * 0.25), 150)
                                    ORDER BY a.punt <-> ST_LineInterpolatePoint(w.route, b.nr * 0.25) LIMIT 1) || '.', ''),
                               ST_LineInterpolatePoint(w.route, b.nr * 0.25), b.status,
                               w.begint_op + make_interval(mins => 20 * b.nr),
                               w.begint_op + make_interval(days => 3 * b.nr),
                               'wandeling', w.id, true
                        FROM w CROSS JOIN bevinding b JOIN rubriek r ON r.code = b.rubriek
                        RETURNING id, rubriek_id, status, aangemaakt_op, gewijzigd_op
                    ), historie AS (
                        INSERT INTO melding_historie (melding_id, van_status, naar_status, door, bericht, tijdstip)
                        SELECT id, NULL, 'gemeld', 'Demo Organisator', NULL, aangemaakt_op FROM ingevoegd
                        UNION ALL
                        SELECT i.id, 'gemeld', i.status, 'systeem (demo)', b.bericht, i.gewijzigd_op
                        FROM ingevoegd i JOIN rubriek r ON r.id = i.rubriek_id JOIN bevinding b ON b.rubriek = r.code
                        WHERE i.status <> 'gemeld'
                    )
                    SELECT id FROM ingevoegd
                    """,
                    new { wandeling },
                    transaction,
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();
        return ids.Count;
    }

    /// <summary>Two open demo reports in the wijk of the walk with places left, attached as places to visit.</summary>
    private static Task<int> TeBezoekenAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        long wandeling,
        CancellationToken cancellationToken
    ) =>
        connection.ExecuteAsync(
            new CommandDefinition(
                """
                INSERT INTO wandeling_melding (wandeling_id, melding_id)
                SELECT @wandeling, m.id
                FROM melding m JOIN rubriek r ON r.id = m.rubriek_id
                WHERE m.is_demo AND m.wijk_code = (SELECT wijk_code FROM wandeling WHERE id = @wandeling)
                  AND m.status IN ('gemeld', 'in-behandeling') AND r.openbaarheid <> 'verborgen' AND m.wandeling_id IS NULL
                ORDER BY m.aangemaakt_op DESC, m.id
                LIMIT 2
                """,
                new { wandeling },
                transaction,
                cancellationToken: cancellationToken
            )
        );
}
