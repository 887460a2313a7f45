using Dapper;
using Microsoft.Extensions.Localization;
using Npgsql;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Wandelingen.Beheer;

/// <summary>The organiser's side of wijkwandelingen: the list, one walk as the form edits it,
/// saving (capacity never below the people signed up; participants mailed when a published walk
/// moves), publishing, cancelling, and the open reports attached as places to visit.</summary>
public sealed class WandelingPlanning(
    NpgsqlDataSource dataSource,
    Features.Wandelingen.Aanmeldingen aanmeldingen,
    IStringLocalizer<Wijkmeldingen.Web.BeheerTekst> b
)
{
    public sealed record Rij(
        long Id,
        string Titel,
        string WijkNaam,
        DateTime BegintOp,
        int DuurMinuten,
        string Status,
        int Capaciteit,
        int Bezet,
        int Wachtlijst,
        string? Organisator,
        string? OrganisatorNaam,
        int Waarnemingen
    )
    {
        public DateTimeOffset Begin => new(DateTime.SpecifyKind(BegintOp, DateTimeKind.Utc));
    }

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
        string? RouteJson,
        string? RouteGeoJson,
        string Omschrijving,
        string Toegankelijkheid,
        int Capaciteit,
        string Status,
        string? Organisator,
        int Bezet,
        int Wachtlijst,
        int? DeelnemersNaAfloop,
        int Aanwezig,
        string Samenvatting
    )
    {
        public DateTimeOffset Begin => new(DateTime.SpecifyKind(BegintOp, DateTimeKind.Utc));
        public DateTimeOffset Einde => Begin.AddMinutes(DuurMinuten);

        /// <summary>People who attended (checked in): the live count, or the figure frozen when sign-ups were deleted.</summary>
        public int Deelnemers => DeelnemersNaAfloop ?? Aanwezig;
    }

    /// <summary>An open report near the walk, or one attached to it; staff see every category at its exact place.</summary>
    public sealed record Plek(
        long Id,
        string Volgcode,
        string Rubriek,
        string StatusNaam,
        bool Gevoelig,
        string Omschrijving,
        double Lat,
        double Lon,
        bool Gekoppeld
    );

    public sealed record Wijk(string Code, string Naam);

    public sealed record Uitkomst(PlanningFout Fout, long Id = 0, int Bezet = 0);

    public async Task<IReadOnlyList<Rij>> LijstAsync(string? organisator, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (
            await connection.QueryAsync<Rij>(
                new CommandDefinition(
                    """
                    SELECT w.id, w.titel, k.naam AS wijknaam, w.begint_op AS begintop,
                        w.duur_minuten AS duurminuten, w.status, w.capaciteit,
                           coalesce((SELECT sum(a.aantal_personen) FROM wandeling_aanmelding a
                               WHERE a.wandeling_id = w.id AND a.soort = 'deelnemer'), 0)::int AS bezet,
                           (SELECT count(*) FROM wandeling_aanmelding a
                               WHERE a.wandeling_id = w.id AND a.soort = 'wachtlijst')::int AS wachtlijst,
                           w.organisator, m.naam AS organisatornaam,
                           (SELECT count(*) FROM melding x WHERE x.wandeling_id = w.id)::int AS waarnemingen
                    FROM wandeling w
                    JOIN wijk k ON k.code = w.wijk_code
                    LEFT JOIN medewerker m ON m.id::text = w.organisator
                    WHERE @organisator::text IS NULL OR w.organisator = @organisator
                    -- Coming walks first (soonest first), then past ones (latest first).
                    ORDER BY (w.begint_op + make_interval(mins => w.duur_minuten) < now()), 
                             CASE WHEN w.begint_op + make_interval(mins => w.duur_minuten) >= now() THEN w.begint_op END,
                             w.begint_op DESC
                    """,
                    new { organisator },
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();
    }

    private const string SelectWandeling = """
        SELECT w.id, w.titel, w.wijk_code AS wijkcode, k.naam AS wijknaam, w.begint_op AS begintop, w.duur_minuten AS duurminuten,
               w.startpunt_naam AS startpuntnaam,
               ST_Y(ST_Transform(w.startpunt, 4326)) AS startlat, ST_X(ST_Transform(w.startpunt, 4326)) AS startlon,
               (SELECT json_agg(json_build_array(round(ST_Y(p.geom)::numeric, 7), round(ST_X(p.geom)::numeric, 7)) ORDER BY p.path)::text
                FROM ST_DumpPoints(ST_Transform(w.route, 4326)) p) AS routejson,
               ST_AsGeoJSON(ST_Transform(w.route, 4326), 6) AS routegeojson,
               w.omschrijving, w.toegankelijkheid, w.capaciteit, w.status, w.organisator,
               coalesce((SELECT sum(a.aantal_personen) FROM wandeling_aanmelding a
                   WHERE a.wandeling_id = w.id AND a.soort = 'deelnemer'), 0)::int AS bezet,
               (SELECT count(*) FROM wandeling_aanmelding a WHERE a.wandeling_id = w.id AND a.soort = 'wachtlijst')::int AS wachtlijst,
               w.deelnemers_na_afloop AS deelnemersnaafloop,
               coalesce((SELECT sum(coalesce(a.aanwezig_personen, a.aantal_personen)) FROM wandeling_aanmelding a
                   WHERE a.wandeling_id = w.id AND a.aanwezig_op IS NOT NULL), 0)::int AS aanwezig,
               w.samenvatting
        FROM wandeling w
        JOIN wijk k ON k.code = w.wijk_code
        WHERE w.id = @id
        """;

    public async Task<Wandeling?> LaadAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<Wandeling>(
            new CommandDefinition(SelectWandeling, new { id }, cancellationToken: cancellationToken)
        );
    }

    public async Task<IReadOnlyList<Wijk>> WijkenAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (
            await connection.QueryAsync<Wijk>(
                new CommandDefinition("SELECT code, naam FROM wijk ORDER BY naam", cancellationToken: cancellationToken)
            )
        ).AsList();
    }

    /// <summary>Open reports in the walk's wijk (newest first, at most <paramref name="maximum"/>) and
    /// every report already attached, wherever it is and whatever its state.</summary>
    public async Task<IReadOnlyList<Plek>> PlekkenAsync(long id, string wijkCode, int maximum, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (
            await connection.QueryAsync<Plek>(
                new CommandDefinition(
                    """
                    SELECT m.id, m.volgcode, in_taal(r.naam, r.naam_en, @taal) AS rubriek, in_taal(s.naam, s.naam_en, @taal) AS statusnaam,
                           r.openbaarheid = 'verborgen' AS gevoelig,
                           left(m.omschrijving, 120) AS omschrijving,
                           ST_Y(ST_Transform(m.locatie, 4326)) AS lat, ST_X(ST_Transform(m.locatie, 4326)) AS lon,
                           EXISTS (SELECT 1 FROM wandeling_melding wm WHERE wm.wandeling_id = @id AND wm.melding_id = m.id) AS gekoppeld
                    FROM melding m
                    JOIN rubriek r ON r.id = m.rubriek_id
                    JOIN meldingstatus s ON s.code = m.status
                    WHERE m.id IN (SELECT melding_id FROM wandeling_melding WHERE wandeling_id = @id)
                       OR m.id IN (SELECT o.id FROM melding o JOIN meldingstatus os ON os.code = o.status
                                   WHERE o.wijk_code = @wijkCode AND NOT os.gesloten AND o.hoofdmelding_id IS NULL
                                     AND (o.wandeling_id IS NULL OR o.wandeling_id <> @id)
                                   ORDER BY o.aangemaakt_op DESC LIMIT @maximum)
                    ORDER BY gekoppeld DESC, m.aangemaakt_op DESC
                    """,
                    new
                    {
                        id,
                        wijkCode,
                        maximum,
                        taal = Taal.Code,
                    },
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();
    }

    /// <summary>Creates (id null) or changes a walk. A published walk whose time or meeting point
    /// changes mails everyone signed up, in the same transaction; raising the capacity lets the
    /// waitlist move up.</summary>
    public async Task<Uitkomst> OpslaanAsync(long? id, WandelingInvoer invoer, Actor door, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invoer);
        ArgumentNullException.ThrowIfNull(door);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var p = new
        {
            id,
            titel = invoer.Titel!.Trim(),
            wijk = invoer.WijkCode,
            begin = invoer.BeginMoment()!.Value.UtcDateTime,
            duur = invoer.DuurMinuten,
            naam = invoer.StartpuntNaam!.Trim(),
            lat = invoer.LatGetal,
            lon = invoer.LonGetal,
            route = invoer.RouteWkt(),
            omschrijving = invoer.Omschrijving?.Trim() ?? "",
            toegankelijkheid = invoer.Toegankelijkheid?.Trim() ?? "",
            capaciteit = invoer.Capaciteit,
            organisator = door.Id.ToString(),
        };
        if (
            !await connection.ExecuteScalarAsync<bool>(
                new CommandDefinition(
                    """
                    SELECT EXISTS (SELECT 1 FROM buurt
                        WHERE ST_Covers(geom, ST_Transform(ST_SetSRID(ST_MakePoint(@lon, @lat), 4326), 28992)))
                    """,
                    p,
                    transaction,
                    cancellationToken: cancellationToken
                )
            )
        )
        {
            return new Uitkomst(PlanningFout.BuitenGemeente);
        }
        const string Route = "CASE WHEN @route::text IS NULL THEN NULL ELSE ST_Transform(ST_GeomFromText(@route, 4326), 28992) END";
        const string Startpunt = "ST_Transform(ST_SetSRID(ST_MakePoint(@lon, @lat), 4326), 28992)";
        if (id is null)
        {
            var nieuw = await connection.QuerySingleAsync<long>(
                new CommandDefinition(
                    $"""
                    INSERT INTO wandeling (titel, wijk_code, begint_op, duur_minuten,
                        startpunt, startpunt_naam, route, omschrijving, toegankelijkheid, capaciteit, organisator)
                    VALUES (@titel, @wijk, @begin, @duur, {Startpunt}, @naam, {Route},
                        @omschrijving, @toegankelijkheid, @capaciteit, @organisator)
                    RETURNING id
                    """,
                    p,
                    transaction,
                    cancellationToken: cancellationToken
                )
            );
            await Audit.SchrijfAsync(
                connection,
                transaction,
                door,
                "wandeling-aangemaakt",
                null,
                null,
                new
                {
                    wandeling = nieuw,
                    p.titel,
                    p.wijk,
                    p.begin,
                    p.duur,
                    p.naam,
                    p.capaciteit,
                },
                cancellationToken
            );
            await transaction.CommitAsync(cancellationToken);
            return new Uitkomst(PlanningFout.Geen, nieuw);
        }

        // The walk's row lock is the one sign-ups take: no one signs up between the check and the change.
        var voor = await connection.QuerySingleOrDefaultAsync<(
            DateTime BegintOp,
            int Duur,
            string Naam,
            double X,
            double Y,
            int Capaciteit,
            string Status
        )?>(
            new CommandDefinition(
                """
                SELECT begint_op, duur_minuten, startpunt_naam, ST_X(startpunt), ST_Y(startpunt), capaciteit, status
                    FROM wandeling WHERE id = @id FOR UPDATE
                """,
                p,
                transaction,
                cancellationToken: cancellationToken
            )
        );
        if (voor is not { } v)
        {
            return new Uitkomst(PlanningFout.Onbekend);
        }
        var bezet = await connection.ExecuteScalarAsync<int>(
            new CommandDefinition(
                "SELECT coalesce(sum(aantal_personen), 0)::int FROM wandeling_aanmelding WHERE wandeling_id = @id AND soort = 'deelnemer'",
                p,
                transaction,
                cancellationToken: cancellationToken
            )
        );
        if (invoer.Capaciteit < bezet)
        {
            return new Uitkomst(PlanningFout.CapaciteitTeLaag, id.Value, bezet);
        }
        var verplaatst = await connection.QuerySingleAsync<double>(
            new CommandDefinition(
                $"""
                UPDATE wandeling SET titel = @titel, wijk_code = @wijk, begint_op = @begin, duur_minuten = @duur, startpunt = {Startpunt},
                       startpunt_naam = @naam, route = {Route}, omschrijving = @omschrijving, toegankelijkheid = @toegankelijkheid,
                       capaciteit = @capaciteit, gewijzigd_op = now()
                WHERE id = @id
                RETURNING ST_Distance(startpunt, ST_SetSRID(ST_MakePoint(@x, @y), 28992))
                """,
                new
                {
                    p.id,
                    p.titel,
                    p.wijk,
                    p.begin,
                    p.duur,
                    p.naam,
                    p.lat,
                    p.lon,
                    p.route,
                    p.omschrijving,
                    p.toegankelijkheid,
                    p.capaciteit,
                    x = v.X,
                    y = v.Y,
                },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        var tijdOfPlek = Math.Abs((v.BegintOp - p.begin).TotalSeconds) >= 1 || v.Duur != p.duur || v.Naam != p.naam || verplaatst > 1;
        if (v.Status == "gepubliceerd" && tijdOfPlek)
        {
            await aanmeldingen.MeldWijzigingAsync(connection, transaction, id.Value, geannuleerd: false, cancellationToken);
        }
        if (v.Status == "gepubliceerd" && invoer.Capaciteit > v.Capaciteit)
        {
            await aanmeldingen.VulAanVanWachtlijstAsync(connection, transaction, id.Value, cancellationToken);
        }
        await Audit.SchrijfAsync(
            connection,
            transaction,
            door,
            "wandeling-gewijzigd",
            null,
            new
            {
                wandeling = id,
                begin = v.BegintOp,
                duur = v.Duur,
                naam = v.Naam,
                capaciteit = v.Capaciteit,
            },
            new
            {
                wandeling = id,
                p.titel,
                p.begin,
                p.duur,
                p.naam,
                p.capaciteit,
                deelnemersGemaild = v.Status == "gepubliceerd" && tijdOfPlek,
            },
            cancellationToken
        );
        await transaction.CommitAsync(cancellationToken);
        return new Uitkomst(PlanningFout.Geen, id.Value);
    }

    /// <summary>Makes a concept walk public; only walks that have not started.</summary>
    public async Task<PlanningFout> PublicerenAsync(long id, Actor door, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var gewijzigd = await connection.ExecuteAsync(
            new CommandDefinition(
                """
                UPDATE wandeling SET status = 'gepubliceerd', gewijzigd_op = now()
                    WHERE id = @id AND status = 'concept' AND begint_op > now()
                """,
                new { id },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        if (gewijzigd == 0)
        {
            return PlanningFout.Status;
        }
        await Audit.SchrijfAsync(
            connection,
            transaction,
            door,
            "wandeling-gepubliceerd",
            null,
            new { wandeling = id, status = "concept" },
            new { wandeling = id, status = "gepubliceerd" },
            cancellationToken
        );
        await transaction.CommitAsync(cancellationToken);
        return PlanningFout.Geen;
    }

    /// <summary>Cancels a walk that has not ended; everyone signed up is mailed in the same transaction.</summary>
    public async Task<PlanningFout> AnnulerenAsync(long id, Actor door, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var voor = await connection.QuerySingleOrDefaultAsync<string>(
            new CommandDefinition(
                """
                UPDATE wandeling w SET status = 'geannuleerd', gewijzigd_op = now()
                FROM (SELECT id, status FROM wandeling WHERE id = @id FOR UPDATE) oud
                WHERE w.id = oud.id AND oud.status <> 'geannuleerd' AND w.begint_op + make_interval(mins => w.duur_minuten) > now()
                RETURNING oud.status
                """,
                new { id },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        if (voor is null)
        {
            return PlanningFout.Status;
        }
        await aanmeldingen.MeldWijzigingAsync(connection, transaction, id, geannuleerd: true, cancellationToken);
        await Audit.SchrijfAsync(
            connection,
            transaction,
            door,
            "wandeling-geannuleerd",
            null,
            new { wandeling = id, status = voor },
            new { wandeling = id, status = "geannuleerd" },
            cancellationToken
        );
        await transaction.CommitAsync(cancellationToken);
        return PlanningFout.Geen;
    }

    /// <summary>Attaches a report as a place to visit (or detaches it). Only reports that exist.</summary>
    public async Task<bool> KoppelAsync(long id, long meldingId, bool koppelen, Actor door, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var aantal = koppelen
            ? await connection.ExecuteAsync(
                new CommandDefinition(
                    """
                    INSERT INTO wandeling_melding (wandeling_id, melding_id)
                    SELECT w.id, m.id FROM wandeling w, melding m WHERE w.id = @id AND m.id = @meldingId
                    ON CONFLICT DO NOTHING
                    """,
                    new { id, meldingId },
                    transaction,
                    cancellationToken: cancellationToken
                )
            )
            : await connection.ExecuteAsync(
                new CommandDefinition(
                    "DELETE FROM wandeling_melding WHERE wandeling_id = @id AND melding_id = @meldingId",
                    new { id, meldingId },
                    transaction,
                    cancellationToken: cancellationToken
                )
            );
        if (aantal > 0)
        {
            await Audit.SchrijfAsync(
                connection,
                transaction,
                door,
                koppelen ? "wandeling-melding-gekoppeld" : "wandeling-melding-ontkoppeld",
                meldingId,
                null,
                new { wandeling = id },
                cancellationToken
            );
        }
        await transaction.CommitAsync(cancellationToken);
        return aantal > 0;
    }

    public string FoutTekst(PlanningFout fout, int bezet = 0) =>
        fout switch
        {
            PlanningFout.BuitenGemeente => b["wandeling.fout.buitengemeente"],
            PlanningFout.CapaciteitTeLaag => b["wandeling.fout.capaciteit.laag", bezet],
            PlanningFout.AdresOnbekend => b["wandeling.fout.adres"],
            PlanningFout.Status => b["wandeling.fout.status"],
            _ => b["wandeling.fout.onbekend"],
        };
}
