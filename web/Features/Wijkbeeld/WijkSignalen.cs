using Dapper;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Npgsql;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Mail;

namespace Wijkmeldingen.Web.Features.Wijkbeeld;

/// <summary>
/// Repeat-location alerts. Every <see cref="SignalenOptions.RondeMinuten"/> one round, under an
/// advisory lock (one round at a time, also with several processes):
/// <list type="bullet">
/// <item>per configured rule, DBSCAN over the rule's reports of the last N days with eps = the radius
/// and minpoints = the count: every cluster is a place where reports repeat;</item>
/// <item>Gi* over the report counts per cell of the last 7 days and of the 7 days before: a cell that
/// is hot at 99 % now and was not before (and holds at least HotspotMinimum reports) is new.</item>
/// </list>
/// <item>per "unusual for this place" rule (a category, all together, or each on its own), the
/// cells whose count this month is unusual against their own history (Poisson, Benjamini–Hochberg,
/// <see cref="OngewoonEngine"/>) at q ≤ the rule's MaxQ: an alert once per rule, cell and month.
/// This month's count so far is compared with a whole month's expectation, so the check is
/// conservative early in the month and never alerts on a count that is usual for a full month.</item>
/// A place that already has an active alert of the same rule (sharing a report, or within the radius)
/// updates that alert; only a new place gets a new alert, stored once (unique active rule + place)
/// and mailed once through the outbox to its team (routing rules, V11). Alerts whose condition no
/// longer holds become inactive, so the place can alert again later.
/// </summary>
public sealed class WijkSignalen(
    NpgsqlDataSource dataSource,
    IOptions<SignalenOptions> options,
    IOptions<WijkbeeldOptions> wijkbeeld,
    IOptions<HotspotOptions> engine,
    IOptions<MailOptions> mail,
    WijkbeeldVerversen verversen,
    IStringLocalizer<Wijkmeldingen.Web.WijkbeeldBeheerTekst> s,
    ILogger<WijkSignalen> logger
) : BackgroundService
{
    public sealed record Resultaat(int Nieuw, int Mails);

    // Classes with settable properties: Dapper maps array columns to properties, not constructor parameters.
    private sealed class Cluster
    {
        public long Eerste { get; init; }
        public int Aantal { get; init; }
        public long[] Ids { get; init; } = [];
        public string BuurtCode { get; init; } = "";
        public string BuurtNaam { get; init; } = "";
        public string WijkCode { get; init; } = "";
        public short RubriekId { get; init; }
        public string RubriekNaam { get; init; } = "";
    }

    private sealed class Cel
    {
        public int I { get; init; }
        public int J { get; init; }
        public string BuurtNaam { get; init; } = "";
        public long Nu { get; init; }
        public long Vorig { get; init; }
        public short? RubriekId { get; init; }
    }

    private sealed record Signaal(
        long Id,
        string Omschrijving,
        string BuurtNaam,
        string WijkNaam,
        short? TeamId,
        string? TeamNaam,
        string? TeamEmail
    );

    public async Task<Resultaat> RondeAsync(CancellationToken cancellationToken = default)
    {
        if (options.Value.OngewoonAan)
        {
            // The unusual-for-this-place rules count from the month rollup: bring it up to date first.
            await verversen.VerversAsync(cancellationToken);
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(
            new CommandDefinition("SELECT pg_advisory_xact_lock(397024)", transaction: transaction, cancellationToken: cancellationToken)
        );
        var nieuw = new List<long>();
        foreach (var regel in options.Value.EffectieveRegels)
        {
            nieuw.AddRange(await HerhalingAsync(connection, transaction, regel, cancellationToken));
        }
        if (options.Value.Hotspots)
        {
            nieuw.AddRange(await HotspotsAsync(connection, transaction, cancellationToken));
        }
        if (options.Value.OngewoonAan)
        {
            nieuw.AddRange(await OngewoonAsync(connection, transaction, cancellationToken));
        }
        var mails = 0;
        foreach (var id in nieuw)
        {
            mails += await MailAsync(connection, transaction, id, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return new Resultaat(nieuw.Count, mails);
    }

    private async Task<List<long>> HerhalingAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        SignaalRegel regel,
        CancellationToken cancellationToken
    )
    {
        var clusters = await connection.QueryAsync<Cluster>(
            new CommandDefinition(
                """
                SELECT g.eerste, g.aantal, g.ids, g.buurtcode, b.naam AS buurtnaam, g.wijkcode, g.rubriekid, r.naam AS rubrieknaam
                FROM (
                    SELECT min(p.id) AS eerste, count(*)::int AS aantal, array_agg(p.id ORDER BY p.id) AS ids,
                           mode() WITHIN GROUP (ORDER BY p.buurt_code) AS buurtcode, mode() WITHIN GROUP (ORDER BY p.wijk_code) AS wijkcode,
                           mode() WITHIN GROUP (ORDER BY p.rubriek_id) AS rubriekid
                    FROM (
                        SELECT m.id, m.buurt_code, m.wijk_code, m.rubriek_id,
                               ST_ClusterDBSCAN(m.locatie, eps := @straal, minpoints := @aantal) OVER () AS cluster
                        FROM melding m
                        JOIN rubriek r ON r.id = m.rubriek_id
                        JOIN thema t ON t.id = r.thema_id
                        WHERE m.aangemaakt_op >= now() - make_interval(days => @dagen)
                          AND m.status <> 'ingetrokken' AND m.hoofdmelding_id IS NULL
                          AND (@rubriek::text IS NULL OR r.code = @rubriek)
                          AND (@thema::text IS NULL OR t.code = @thema)
                    ) p
                    WHERE p.cluster IS NOT NULL
                    GROUP BY p.cluster
                ) g
                JOIN buurt b ON b.code = g.buurtcode
                JOIN rubriek r ON r.id = g.rubriekid
                ORDER BY g.eerste
                """,
                new
                {
                    straal = regel.StraalMeters,
                    aantal = Math.Max(2, regel.Aantal),
                    dagen = Math.Max(1, regel.Dagen),
                    rubriek = regel.Rubriek,
                    thema = regel.Thema,
                },
                transaction,
                cancellationToken: cancellationToken
            )
        );

        var nieuw = new List<long>();
        var behouden = new List<long>();
        foreach (var c in clusters)
        {
            var p = new
            {
                regel = regel.Naam,
                plek = c.Eerste.ToString(System.Globalization.CultureInfo.InvariantCulture),
                straal = regel.StraalMeters,
                c.Aantal,
                c.Ids,
                c.BuurtCode,
                c.WijkCode,
                c.RubriekId,
                omschrijving = s["signaal.herhaling", c.Aantal, c.RubriekNaam, regel.StraalMeters, regel.Dagen, c.BuurtNaam].Value,
            };
            var bestaand = await connection.QuerySingleOrDefaultAsync<long?>(
                new CommandDefinition(
                    """
                    UPDATE wijk_signaal w
                    SET aantal = @Aantal, melding_ids = @Ids, laatst_gezien_op = now(),
                        gebied = (SELECT ST_ConvexHull(ST_Collect(m.locatie)) FROM melding m WHERE m.id = ANY (@Ids))
                    WHERE w.id = (
                        SELECT v.id FROM wijk_signaal v
                        WHERE v.regel = @regel AND v.actief
                          AND (v.melding_ids && @Ids
                               OR ST_DWithin(v.locatie, (SELECT ST_Collect(m.locatie) FROM melding m WHERE m.id = ANY (@Ids)), @straal))
                        ORDER BY v.id LIMIT 1)
                    RETURNING w.id
                    """,
                    p,
                    transaction,
                    cancellationToken: cancellationToken
                )
            );
            if (bestaand is { } id)
            {
                behouden.Add(id);
                continue;
            }
            var ingevoegd = await connection.QuerySingleOrDefaultAsync<long?>(
                new CommandDefinition(
                    """
                    INSERT INTO wijk_signaal (soort, regel, plek, locatie, gebied,
                        buurt_code, wijk_code, rubriek_id, team_id, aantal, melding_ids, omschrijving)
                    SELECT 'herhaling', @regel, @plek, ST_Centroid(x.g), ST_ConvexHull(x.g), @BuurtCode, @WijkCode, @RubriekId,
                           signaal_team(@RubriekId, @WijkCode, @BuurtCode), @Aantal, @Ids, @omschrijving
                    FROM (SELECT ST_Collect(m.locatie) AS g FROM melding m WHERE m.id = ANY (@Ids)) x
                    ON CONFLICT (gemeente_code, regel, plek) WHERE actief DO NOTHING
                    RETURNING id
                    """,
                    p,
                    transaction,
                    cancellationToken: cancellationToken
                )
            );
            if (ingevoegd is { } nieuwId)
            {
                nieuw.Add(nieuwId);
                behouden.Add(nieuwId);
            }
        }
        await connection.ExecuteAsync(
            new CommandDefinition(
                "UPDATE wijk_signaal SET actief = false WHERE regel = @regel AND actief AND NOT (id = ANY (@behouden))",
                new { regel = regel.Naam, behouden = behouden.ToArray() },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        return nieuw;
    }

    private async Task<List<long>> HotspotsAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        CancellationToken cancellationToken
    )
    {
        var opties = options.Value;
        var grootte = SignaalCelgrootte();
        var regel = $"hotspot-{grootte}m";
        var cellen = (
            await connection.QueryAsync<Cel>(
                new CommandDefinition(
                    """
                    WITH punten AS (
                        SELECT m.rubriek_id, c.i, c.j, m.aangemaakt_op >= now() - interval '7 days' AS deze_week
                        FROM melding m
                        CROSS JOIN LATERAL hex_cel(ST_X(m.locatie), ST_Y(m.locatie), @grootte) c
                        WHERE m.aangemaakt_op >= now() - interval '14 days' AND m.status <> 'ingetrokken' AND m.hoofdmelding_id IS NULL
                    )
                    SELECT hc.i, hc.j, b.naam AS buurtnaam,
                           count(p.i) FILTER (WHERE p.deze_week) AS nu, count(p.i) FILTER (WHERE NOT p.deze_week) AS vorig,
                           mode() WITHIN GROUP (ORDER BY p.rubriek_id) FILTER (WHERE p.deze_week) AS rubriekid
                    FROM hotspot_cel hc
                    JOIN buurt b ON b.code = hc.buurt_code
                    LEFT JOIN punten p ON p.i = hc.i AND p.j = hc.j
                    WHERE hc.celgrootte = @grootte
                    GROUP BY hc.i, hc.j, b.naam
                    ORDER BY hc.i, hc.j
                    """,
                    new { grootte },
                    transaction,
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();
        if (cellen.Count < 2)
        {
            return [];
        }
        var raster = new HexRaster(grootte);
        var middelpunten = cellen.Select(c => raster.Middelpunt(new HexCel(c.I, c.J))).Select(m => (m.X, m.Y)).ToList();
        var afstand = engine.Value.BurenFactor * grootte;
        var zNu = GetisOrd.GiStar(middelpunten, cellen.Select(c => (double)c.Nu).ToList(), afstand);
        var zVorig = GetisOrd.GiStar(middelpunten, cellen.Select(c => (double)c.Vorig).ToList(), afstand);

        var nieuw = new List<long>();
        var behouden = new List<string>();
        for (var k = 0; k < cellen.Count; k++)
        {
            var c = cellen[k];
            if (GetisOrd.Klasse(zNu[k]) != HotspotKlasse.Heet99 || c.Nu < opties.HotspotMinimum)
            {
                continue;
            }
            var plek = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{c.I},{c.J}");
            behouden.Add(plek);
            if (GetisOrd.Klasse(zVorig[k]) == HotspotKlasse.Heet99)
            {
                continue;
            }
            var p = new
            {
                regel,
                plek,
                grootte,
                c.I,
                c.J,
                aantal = (int)c.Nu,
                c.RubriekId,
                omschrijving = s["signaal.hotspot", c.Nu, grootte, c.BuurtNaam].Value,
            };
            var bestaand = await connection.ExecuteAsync(
                new CommandDefinition(
                    "UPDATE wijk_signaal SET aantal = @aantal, laatst_gezien_op = now() WHERE regel = @regel AND plek = @plek AND actief",
                    p,
                    transaction,
                    cancellationToken: cancellationToken
                )
            );
            if (bestaand > 0)
            {
                continue;
            }
            var id = await connection.QuerySingleOrDefaultAsync<long?>(
                new CommandDefinition(
                    """
                    INSERT INTO wijk_signaal (soort, regel, plek, locatie, gebied,
                        buurt_code, wijk_code, rubriek_id, team_id, aantal, omschrijving)
                    SELECT 'hotspot', @regel, @plek, ST_Centroid(hc.geom), hc.geom, hc.buurt_code, b.wijk_code, @RubriekId,
                           signaal_team(@RubriekId, b.wijk_code, hc.buurt_code), @aantal, @omschrijving
                    FROM hotspot_cel hc JOIN buurt b ON b.code = hc.buurt_code
                    WHERE hc.celgrootte = @grootte AND hc.i = @I AND hc.j = @J
                    ON CONFLICT (gemeente_code, regel, plek) WHERE actief DO NOTHING
                    RETURNING id
                    """,
                    p,
                    transaction,
                    cancellationToken: cancellationToken
                )
            );
            if (id is { } nieuwId)
            {
                nieuw.Add(nieuwId);
            }
        }
        // Cells still hot keep their alert (also when they were hot the week before); others close.
        await connection.ExecuteAsync(
            new CommandDefinition(
                """
                UPDATE wijk_signaal SET laatst_gezien_op = now() WHERE regel = @regel AND actief AND plek = ANY (@behouden);
                UPDATE wijk_signaal SET actief = false WHERE regel = @regel AND actief AND NOT (plek = ANY (@behouden));
                """,
                new { regel, behouden = behouden.ToArray() },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        return nieuw;
    }

    private int SignaalCelgrootte()
    {
        var opties = options.Value;
        return opties.HotspotCelgrootte > 0
            ? opties.HotspotCelgrootte
            : engine.Value.Celgroottes.Append(wijkbeeld.Value.PubliekeCelgrootte).Min();
    }

    private async Task<List<long>> OngewoonAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        CancellationToken cancellationToken
    )
    {
        var grootte = SignaalCelgrootte();
        var maand = await connection.ExecuteScalarAsync<DateTime>(
            new CommandDefinition(
                "SELECT date_trunc('month', now() AT TIME ZONE 'Europe/Amsterdam')",
                transaction: transaction,
                cancellationToken: cancellationToken
            )
        );
        var periode = new Periode("maand", maand, maand);
        var rubrieken = (
            await connection.QueryAsync<(string Code, string Naam)>(
                new CommandDefinition(
                    "SELECT code, naam FROM rubriek ORDER BY id",
                    transaction: transaction,
                    cancellationToken: cancellationToken
                )
            )
        ).ToDictionary(r => r.Code, r => r.Naam, StringComparer.Ordinal);
        var nl = System.Globalization.CultureInfo.GetCultureInfo("nl-NL");
        var maandNaam = maand.ToString("MMMM yyyy", nl);
        var nieuw = new List<long>();
        var behouden = new List<string>();
        foreach (var regel in options.Value.EffectieveOngewoon)
        {
            IEnumerable<string?> codes = regel.Rubriek switch
            {
                OngewoonRegel.Alle => [null],
                OngewoonRegel.Elke => rubrieken.Keys,
                var code when rubrieken.ContainsKey(code) => [code],
                var onbekend => LogOnbekend(onbekend),
            };
            foreach (var code in codes)
            {
                var naam = string.Create(
                    System.Globalization.CultureInfo.InvariantCulture,
                    $"ongewoon-{code ?? OngewoonRegel.Alle}-{grootte}m-{maand:yyyy-MM}"
                );
                var uitkomst = await OngewoonEngine.BerekenAsync(
                    connection,
                    transaction,
                    new HotspotFilter(grootte, periode, Publiek: false, Rubriek: code),
                    engine.Value.OngewoonHistorieMaanden,
                    regel.Minimum,
                    regel.MaxQ,
                    metGeometrie: false,
                    cancellationToken
                );
                foreach (var c in uitkomst.Cellen.Where(c => c.Ongewoon))
                {
                    var plek = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{c.I},{c.J}");
                    behouden.Add(naam + " " + plek);
                    var p = new
                    {
                        regel = naam,
                        plek,
                        grootte,
                        c.I,
                        c.J,
                        maand,
                        rubriek = code,
                        aantal = (int)c.Aantal,
                        omschrijving = s[
                            "signaal.ongewoon",
                            c.Aantal,
                            code is null ? s["signaal.ongewoon.alle"].Value : rubrieken[code],
                            maandNaam,
                            c.BuurtNaam,
                            c.Verwacht.ToString("0.0", nl)
                        ].Value,
                    };
                    var bijgewerkt = await connection.ExecuteAsync(
                        new CommandDefinition(
                            """
                            UPDATE wijk_signaal SET aantal = @aantal, laatst_gezien_op = now()
                            WHERE soort = 'ongewoon' AND regel = @regel AND plek = @plek
                            """,
                            p,
                            transaction,
                            cancellationToken: cancellationToken
                        )
                    );
                    if (bijgewerkt > 0)
                    {
                        continue;
                    }
                    // The team: the routing rules for the rule's category, or for the cell's most frequent
                    // category this month when the rule counts them all.
                    var id = await connection.QuerySingleOrDefaultAsync<long?>(
                        new CommandDefinition(
                            """
                            INSERT INTO wijk_signaal (soort, regel, plek, locatie, gebied,
                                buurt_code, wijk_code, rubriek_id, team_id, aantal, omschrijving)
                            SELECT 'ongewoon', @regel, @plek, ST_Centroid(hc.geom), hc.geom, hc.buurt_code, b.wijk_code, r.id,
                                   signaal_team(r.id, b.wijk_code, hc.buurt_code), @aantal, @omschrijving
                            FROM hotspot_cel hc
                            JOIN buurt b ON b.code = hc.buurt_code
                            LEFT JOIN LATERAL (
                                SELECT coalesce(
                                    (SELECT id FROM rubriek WHERE code = @rubriek),
                                    (SELECT h.rubriek_id FROM hotspot_maand h
                                     WHERE h.celgrootte = @grootte AND h.maand = @maand::date AND h.i = @I AND h.j = @J
                                     GROUP BY h.rubriek_id ORDER BY sum(h.aantal) DESC, h.rubriek_id LIMIT 1)
                                ) AS id
                            ) r ON true
                            WHERE hc.celgrootte = @grootte AND hc.i = @I AND hc.j = @J
                            ON CONFLICT DO NOTHING
                            RETURNING id
                            """,
                            p,
                            transaction,
                            cancellationToken: cancellationToken
                        )
                    );
                    if (id is { } nieuwId)
                    {
                        nieuw.Add(nieuwId);
                    }
                }
            }
        }
        // A cell no longer unusual leaves the start page; it cannot alert again under the same rule
        // this month (the unique index of V66), and next month's rule has a new name.
        await connection.ExecuteAsync(
            new CommandDefinition(
                """
                UPDATE wijk_signaal SET actief = false
                WHERE soort = 'ongewoon' AND actief AND NOT (regel || ' ' || plek = ANY (@behouden))
                """,
                new { behouden = behouden.ToArray() },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        return nieuw;
    }

    private string?[] LogOnbekend(string code)
    {
        logger.LogWarning("Wijkbeeld:Signalen:Ongewoon: no category {Rubriek}; the rule is skipped", code);
        return [];
    }

    /// <summary>Queues the alert's mail: to the team's mailbox, else to the team's wijkprofessionals,
    /// else to every wijkprofessional. The outbox key makes it once per alert and address.</summary>
    private async Task<int> MailAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        long id,
        CancellationToken cancellationToken
    )
    {
        var signaal = await connection.QuerySingleAsync<Signaal>(
            new CommandDefinition(
                """
                SELECT s.id, s.omschrijving, b.naam AS buurtnaam, w.naam AS wijknaam,
                    s.team_id AS teamid, t.naam AS teamnaam, t.email AS teamemail
                FROM wijk_signaal s JOIN buurt b ON b.code = s.buurt_code JOIN wijk w ON w.code = s.wijk_code
                LEFT JOIN team t ON t.id = s.team_id
                WHERE s.id = @id
                """,
                new { id },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        IReadOnlyList<string> aan = signaal.TeamEmail is { Length: > 0 } teamEmail
            ? [teamEmail]
            : (
                await connection.QueryAsync<string>(
                    new CommandDefinition(
                        """
                        WITH professionals AS (
                            SELECT m.email, m.team_id FROM medewerker m
                                JOIN medewerker_rol r ON r.medewerker_id = m.id AND r.rol = 'wijkprofessional'
                        )
                        SELECT DISTINCT email FROM professionals WHERE team_id = @TeamId
                        UNION
                        SELECT DISTINCT email FROM professionals WHERE NOT EXISTS (SELECT 1 FROM professionals WHERE team_id = @TeamId)
                        """,
                        signaal,
                        transaction,
                        cancellationToken: cancellationToken
                    )
                )
            ).AsList();
        var tekst = s[
            "signaal.mail.tekst",
            signaal.Omschrijving,
            signaal.WijkNaam,
            signaal.TeamNaam ?? "–",
            mail.Value.Link("beheer/signalen")
        ].Value;
        var aantal = 0;
        foreach (var adres in aan.Order(StringComparer.Ordinal))
        {
            try
            {
                if (
                    await Outbox.EnqueueAsync(
                        connection,
                        transaction,
                        new OutboxBericht(
                            $"wijk-signaal:{id}:{adres.ToLowerInvariant()}",
                            adres,
                            s["signaal.mail.onderwerp", signaal.Omschrijving],
                            tekst
                        ),
                        cancellationToken
                    )
                )
                {
                    aantal++;
                }
            }
            catch (ArgumentException e)
            {
                logger.LogWarning(e, "Alert {Id}: no mail to an unusable address", id);
            }
        }
        return aantal;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Aan)
        {
            return;
        }
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(Math.Max(0, options.Value.EersteRondeSeconden)), stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(Math.Max(1, options.Value.RondeMinuten)));
        do
        {
            try
            {
                var resultaat = await RondeAsync(stoppingToken);
                if (resultaat.Nieuw > 0)
                {
                    logger.LogInformation("Signalen: {Nieuw} new alert(s), {Mails} mail(s) queued", resultaat.Nieuw, resultaat.Mails);
                }
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                logger.LogWarning(e, "Signalen round failed; trying again next round");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
