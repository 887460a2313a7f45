using Dapper;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Npgsql;
using Wijkmeldingen.Web.Data;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Mail;

namespace Wijkmeldingen.Web.Features.Meldingen;

/// <summary>What staff do with a report. Each action is one transaction that locks the report row,
/// checks it, changes it and writes its audit row (who, when, what, before/after); mail to the
/// melder and followers is queued in the same transaction through the outbox.</summary>
public sealed class MeldingActies(
    NpgsqlDataSource dataSource,
    IOptions<MailOptions> mail,
    MeldingMails meldingMails,
    IStringLocalizer<Wijkmeldingen.Web.BeheerTekst> b,
    IOptions<TevredenheidOptions> opties
)
{
    /// <summary>A refusal to show next to the form, in Dutch.</summary>
    public sealed class GeweigerdException(string bericht) : Exception(bericht);

    private sealed record Rij(
        long Id,
        string Volgcode,
        string Status,
        short RubriekId,
        string Rubriek,
        short? TeamId,
        Guid? ToegewezenAan,
        string? Partner,
        long? HoofdmeldingId,
        string BuurtCode,
        string WijkCode,
        double Lat,
        double Lon
    );

    private static async Task<Rij> VergrendelAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        long id,
        CancellationToken cancellationToken
    ) =>
        await connection.QuerySingleOrDefaultAsync<Rij>(
            new CommandDefinition(
                """
                SELECT m.id, m.volgcode, m.status, m.rubriek_id AS rubriekid, r.naam AS rubriek, m.team_id AS teamid,
                       m.toegewezen_aan AS toegewezenaan, m.partner, m.hoofdmelding_id AS hoofdmeldingid,
                       m.buurt_code AS buurtcode, m.wijk_code AS wijkcode,
                       ST_Y(ST_Transform(m.locatie, 4326)) AS lat, ST_X(ST_Transform(m.locatie, 4326)) AS lon
                FROM melding m JOIN rubriek r ON r.id = m.rubriek_id
                WHERE m.id = @id
                FOR UPDATE OF m
                """,
                new { id },
                transaction,
                cancellationToken: cancellationToken
            )
        ) ?? throw new KeyNotFoundException($"melding {id}");

    /// <summary>Moves the report along its life cycle (or keeps the status) with an optional message
    /// for the melder: stored in melding_historie (the tracking page shows it) and e-mailed to the
    /// melder and the followers.</summary>
    public async Task StatusAsync(
        long id,
        string verwacht,
        string naar,
        string? bericht,
        string? partner,
        Actor door,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(door);
        bericht = string.IsNullOrWhiteSpace(bericht) ? null : bericht.Trim();
        if (bericht is { Length: > 2000 })
        {
            throw new GeweigerdException(b["actie.fout.berichtlang"]);
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var rij = await VergrendelAsync(connection, transaction, id, cancellationToken);
        if (rij.Status != verwacht)
        {
            throw new GeweigerdException(b["actie.fout.verouderd"]);
        }
        if (!Levenscyclus.Mag(rij.Status, naar))
        {
            throw new GeweigerdException(b["actie.fout.overgang"]);
        }
        if (naar == rij.Status && bericht is null)
        {
            throw new GeweigerdException(b["actie.fout.niets"]);
        }
        if (naar == "doorgezet" && !Levenscyclus.Partners.Contains(partner))
        {
            throw new GeweigerdException(b["actie.fout.partner"]);
        }
        await StatusWijzigenAsync(connection, transaction, rij, naar, bericht, partner, door, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The status change itself, in the caller's transaction on a locked, checked row. A move
    /// to 'afgehandeld' opens a satisfaction episode: the melder's mail carries the one-click links.</summary>
    private async Task StatusWijzigenAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        Rij rij,
        string naar,
        string? bericht,
        string? partner,
        Actor door,
        CancellationToken cancellationToken
    )
    {
        var id = rij.Id;
        var nieuwePartner = naar == "doorgezet" ? partner : rij.Partner;
        await connection.ExecuteAsync(
            new CommandDefinition(
                "UPDATE melding SET status = @naar, partner = @nieuwePartner, gewijzigd_op = now() WHERE id = @id",
                new
                {
                    id,
                    naar,
                    nieuwePartner,
                },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        var historieId = await connection.QuerySingleAsync<long>(
            new CommandDefinition(
                """
                INSERT INTO melding_historie (melding_id, van_status, naar_status, door, bericht)
                VALUES (@id, @van, @naar, @door, @bericht)
                RETURNING id
                """,
                new
                {
                    id,
                    van = rij.Status,
                    naar,
                    door = door.Naam,
                    bericht,
                },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        string? tevredenheid = null;
        if (naar == "afgehandeld" && rij.Status != "afgehandeld")
        {
            var sleutel = Sleutels.Nieuw();
            var dagen = Math.Max(1, opties.Value.TevredenheidDagen);
            await connection.ExecuteAsync(
                new CommandDefinition(
                    """
                    INSERT INTO melding_beoordeling (melding_id, historie_id, sleutel_hash, geldig_tot)
                    VALUES (@id, @historieId, @hash, now() + make_interval(days => @dagen))
                    """,
                    new
                    {
                        id,
                        historieId,
                        hash = Sleutels.Hash(sleutel),
                        dagen,
                    },
                    transaction,
                    cancellationToken: cancellationToken
                )
            );
            string Link(string keuze) => mail.Value.Link($"melding/{rij.Volgcode}/beoordelen?t={sleutel}&keuze={keuze}");
            tevredenheid = b["mail.tevredenheid", Link("tevreden"), Link("niet-tevreden"), dagen];
        }
        if (bericht is not null || tevredenheid is not null)
        {
            await BerichtMailsAsync(connection, transaction, rij, historieId, naar, bericht, tevredenheid, cancellationToken);
        }
        await Audit.SchrijfAsync(
            connection,
            transaction,
            door,
            "status",
            id,
            new { status = rij.Status, partner = rij.Partner },
            new
            {
                status = naar,
                partner = nieuwePartner,
                bericht,
            },
            cancellationToken
        );
    }

    /// <summary>Mail about a status change: the message to the melder and the followers; when the
    /// report was just handled, the melder's mail also holds the satisfaction links
    /// (<paramref name="tevredenheid"/>) and is sent even without a message.</summary>
    private async Task BerichtMailsAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        Rij rij,
        long historieId,
        string status,
        string? bericht,
        string? tevredenheid,
        CancellationToken cancellationToken
    )
    {
        var statusNaam = await connection.QuerySingleAsync<string>(
            new CommandDefinition(
                "SELECT naam FROM meldingstatus WHERE code = @status",
                new { status },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        var ontvangers = await connection.QueryAsync<(string Sleutel, string Email)>(
            new CommandDefinition(
                """
                SELECT 'melder' AS sleutel, email FROM melder_contact WHERE melding_id = @Id AND email IS NOT NULL
                UNION ALL
                SELECT 'volger:' || id, email FROM melding_volger WHERE melding_id = @Id
                """,
                new { rij.Id },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        var link = mail.Value.Link($"melding/{rij.Volgcode}");
        foreach (var (sleutel, email) in ontvangers.OrderBy(o => o.Sleutel == "melder" ? 0 : 1).DistinctBy(o => o.Email.ToUpperInvariant()))
        {
            string tekst;
            if (sleutel == "melder" && tevredenheid is not null)
            {
                tekst = b["mail.afgehandeld.tekst", rij.Rubriek, rij.Volgcode, bericht is null ? "" : bericht + "\n\n", tevredenheid, link];
            }
            else if (bericht is not null)
            {
                tekst = b["mail.bericht.tekst", rij.Rubriek, rij.Volgcode, statusNaam, bericht, link];
            }
            else
            {
                continue;
            }
            await Outbox.EnqueueAsync(
                connection,
                transaction,
                new OutboxBericht(
                    Sleutel: $"melding-bericht:{historieId}:{sleutel}",
                    Aan: email,
                    Onderwerp: b["mail.bericht.onderwerp", rij.Volgcode],
                    Tekst: tekst
                ),
                cancellationToken
            );
        }
    }

    /// <summary>Accepts a melder's "niet tevreden" answer: the report is reopened through the usual
    /// status flow (history, mail, audit) and the request is closed.</summary>
    public async Task HeropenAccepterenAsync(long id, long beoordelingId, string? bericht, Actor door, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(door);
        bericht = string.IsNullOrWhiteSpace(bericht) ? null : bericht.Trim();
        if (bericht is { Length: > 2000 })
        {
            throw new GeweigerdException(b["actie.fout.berichtlang"]);
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var rij = await VergrendelAsync(connection, transaction, id, cancellationToken);
        await HeropenVerzoekAfsluitenAsync(connection, transaction, id, beoordelingId, "geaccepteerd", null, door, cancellationToken);
        if (!Levenscyclus.Mag(rij.Status, "heropend") || rij.Status == "heropend")
        {
            throw new GeweigerdException(b["actie.fout.overgang"]);
        }
        await StatusWijzigenAsync(connection, transaction, rij, "heropend", bericht, null, door, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Answers a melder's "niet tevreden" answer without reopening: the answer goes to the
    /// melder by mail (and shows on the tracking page) and the request is closed.</summary>
    public async Task HeropenBeantwoordenAsync(
        long id,
        long beoordelingId,
        string? antwoord,
        Actor door,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(door);
        antwoord = antwoord?.Trim();
        if (string.IsNullOrEmpty(antwoord) || antwoord.Length > 2000)
        {
            throw new GeweigerdException(b["heropen.fout.antwoord"]);
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var rij = await VergrendelAsync(connection, transaction, id, cancellationToken);
        await HeropenVerzoekAfsluitenAsync(connection, transaction, id, beoordelingId, "beantwoord", antwoord, door, cancellationToken);
        var email = await connection.QuerySingleOrDefaultAsync<string?>(
            new CommandDefinition(
                "SELECT email FROM melder_contact WHERE melding_id = @id AND email IS NOT NULL",
                new { id },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        if (email is not null)
        {
            await Outbox.EnqueueAsync(
                connection,
                transaction,
                new OutboxBericht(
                    Sleutel: $"heropen-antwoord:{beoordelingId}",
                    Aan: email,
                    Onderwerp: b["mail.heropen.onderwerp", rij.Volgcode],
                    Tekst: b["mail.heropen.tekst", rij.Rubriek, rij.Volgcode, antwoord, mail.Value.Link($"melding/{rij.Volgcode}")]
                ),
                cancellationToken
            );
        }
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task HeropenVerzoekAfsluitenAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        long id,
        long beoordelingId,
        string uitkomst,
        string? antwoord,
        Actor door,
        CancellationToken cancellationToken
    )
    {
        var gewijzigd = await connection.ExecuteAsync(
            new CommandDefinition(
                """
                UPDATE melding_beoordeling SET verzoek_status = @uitkomst, antwoord = @antwoord,
                    behandeld_door = @naam, behandeld_op = now()
                WHERE id = @beoordelingId AND melding_id = @id AND verzoek_status = 'open'
                """,
                new
                {
                    id,
                    beoordelingId,
                    uitkomst,
                    antwoord,
                    naam = door.Naam,
                },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        if (gewijzigd == 0)
        {
            throw new GeweigerdException(b["heropen.fout.verzoek"]);
        }
        await Audit.SchrijfAsync(
            connection,
            transaction,
            door,
            $"heropenverzoek-{uitkomst}",
            id,
            new { beoordeling = beoordelingId, verzoek = "open" },
            new
            {
                beoordeling = beoordelingId,
                verzoek = uitkomst,
                antwoord,
            },
            cancellationToken
        );
    }

    /// <summary>Assigns the report to a staff member ("{guid}"), a team ("team:{id}") or nobody ("").</summary>
    public async Task ToewijzenAsync(long id, string? aan, Actor door, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(door);
        Guid? medewerker = Guid.TryParse(aan, out var m) ? m : null;
        short? team =
            aan is not null && aan.StartsWith("team:", StringComparison.Ordinal) && short.TryParse(aan[5..], out var t) ? t : null;
        if (!string.IsNullOrEmpty(aan) && medewerker is null && team is null)
        {
            throw new GeweigerdException(b["actie.fout.toewijzen"]);
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var rij = await VergrendelAsync(connection, transaction, id, cancellationToken);
        // Assigning a person keeps the team (if any); assigning a team frees the person.
        var nieuwTeam = team ?? (medewerker is null ? null : rij.TeamId);
        try
        {
            await connection.ExecuteAsync(
                new CommandDefinition(
                    "UPDATE melding SET toegewezen_aan = @medewerker, team_id = @nieuwTeam, gewijzigd_op = now() WHERE id = @id",
                    new
                    {
                        id,
                        medewerker,
                        nieuwTeam,
                    },
                    transaction,
                    cancellationToken: cancellationToken
                )
            );
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            throw new GeweigerdException(b["actie.fout.toewijzen"]);
        }
        await Audit.SchrijfAsync(
            connection,
            transaction,
            door,
            "toewijzen",
            id,
            new { team = rij.TeamId, medewerker = rij.ToegewezenAan },
            new { team = nieuwTeam, medewerker },
            cancellationToken
        );
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>An internal note: staff only, never on the tracking page or in mail.</summary>
    public async Task NotitieAsync(long id, string? tekst, Actor door, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(door);
        if (string.IsNullOrWhiteSpace(tekst) || tekst.Length > 5000)
        {
            throw new GeweigerdException(b["actie.fout.notitie"]);
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await VergrendelAsync(connection, transaction, id, cancellationToken);
        await connection.ExecuteAsync(
            new CommandDefinition(
                "INSERT INTO melding_notitie (melding_id, medewerker_id, door, tekst) VALUES (@id, @medewerker, @naam, @tekst)",
                new
                {
                    id,
                    medewerker = door.Id,
                    naam = door.Naam,
                    tekst = tekst.Trim(),
                },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        await Audit.SchrijfAsync(connection, transaction, door, "notitie", id, null, new { tekst = tekst.Trim() }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Marks the report as a duplicate of the main report with tracking code <paramref name="hoofdCode"/>:
    /// the duplicate's melder and followers follow the main report from now on (each gets the usual
    /// follow mail with an unsubscribe link), and the duplicate is closed with a message saying so.</summary>
    public async Task DubbelAsync(long id, string? hoofdCode, Actor door, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(door);
        var code = Volgcode.Normaliseer(hoofdCode);
        if (code is null)
        {
            throw new GeweigerdException(b["actie.fout.hoofd"]);
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var rij = await VergrendelAsync(connection, transaction, id, cancellationToken);
        // Point at the root: a main report that is itself a duplicate hands over to its own main report.
        var hoofd = await connection.QuerySingleOrDefaultAsync<(long Id, string Volgcode, string Rubriek)?>(
            new CommandDefinition(
                """
                WITH RECURSIVE keten AS (
                    SELECT id, hoofdmelding_id, 1 AS diepte FROM melding WHERE volgcode = @code
                    UNION ALL
                    SELECT m.id, m.hoofdmelding_id, k.diepte + 1 FROM melding m JOIN keten k ON m.id = k.hoofdmelding_id WHERE k.diepte < 20
                )
                SELECT m.id, m.volgcode, r.naam FROM keten k JOIN melding m ON m.id = k.id JOIN rubriek r ON r.id = m.rubriek_id
                WHERE k.hoofdmelding_id IS NULL
                """,
                new { code },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        if (hoofd is not { } h || h.Id == id)
        {
            throw new GeweigerdException(b["actie.fout.hoofd"]);
        }
        if (rij.HoofdmeldingId is not null)
        {
            throw new GeweigerdException(b["actie.fout.aldubbel"]);
        }
        var volgers = await connection.QueryAsync<string>(
            new CommandDefinition(
                """
                SELECT email FROM melder_contact WHERE melding_id = @id AND email IS NOT NULL
                UNION
                SELECT email FROM melding_volger WHERE melding_id = @id
                """,
                new { id },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        var overgezet = new List<string>();
        foreach (var email in volgers)
        {
            var sleutel = Sleutels.Nieuw();
            var volgerId = await connection.QuerySingleOrDefaultAsync<long?>(
                new CommandDefinition(
                    """
                    INSERT INTO melding_volger (melding_id, email, sleutel_hash) VALUES (@hoofd, @email, @hash)
                    ON CONFLICT (melding_id, email) DO NOTHING
                    RETURNING id
                    """,
                    new
                    {
                        hoofd = h.Id,
                        email,
                        hash = Sleutels.Hash(sleutel),
                    },
                    transaction,
                    cancellationToken: cancellationToken
                )
            );
            if (volgerId is { } nieuw)
            {
                await meldingMails.VolgenAsync(connection, transaction, nieuw, h.Volgcode, h.Rubriek, email, sleutel, cancellationToken);
                overgezet.Add(email);
            }
        }
        var bericht = b["actie.dubbel.bericht", h.Volgcode].Value;
        var naar = Levenscyclus.Mag(rij.Status, "afgehandeld") ? "afgehandeld" : rij.Status;
        await connection.ExecuteAsync(
            new CommandDefinition(
                "UPDATE melding SET hoofdmelding_id = @hoofd, status = @naar, gewijzigd_op = now() WHERE id = @id",
                new
                {
                    id,
                    hoofd = h.Id,
                    naar,
                },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        await connection.ExecuteAsync(
            new CommandDefinition(
                """
                INSERT INTO melding_historie (melding_id, van_status, naar_status, door, bericht)
                    VALUES (@id, @van, @naar, @door, @bericht)
                """,
                new
                {
                    id,
                    van = rij.Status,
                    naar,
                    door = door.Naam,
                    bericht,
                },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        await Audit.SchrijfAsync(
            connection,
            transaction,
            door,
            "dubbel",
            id,
            new { status = rij.Status, hoofdmelding = (long?)null },
            new
            {
                status = naar,
                hoofdmelding = h.Id,
                hoofdVolgcode = h.Volgcode,
                volgersOvergezet = overgezet.Count,
            },
            cancellationToken
        );
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Changes the category and/or the place. The database recomputes buurt and wijk and
    /// refuses a point outside the municipality (WK001), which becomes a Dutch message.</summary>
    public async Task AanpassenAsync(
        long id,
        string? rubriekCode,
        double? lat,
        double? lon,
        Actor door,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(door);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var rij = await VergrendelAsync(connection, transaction, id, cancellationToken);
        var rubriekId = await connection.QuerySingleOrDefaultAsync<short?>(
            new CommandDefinition(
                "SELECT id FROM rubriek WHERE code = @rubriekCode",
                new { rubriekCode },
                transaction,
                cancellationToken: cancellationToken
            )
        ) ?? throw new GeweigerdException(b["actie.fout.rubriek"]);
        var plekGewijzigd =
            lat is not null && lon is not null && (Math.Abs(lat.Value - rij.Lat) > 1e-7 || Math.Abs(lon.Value - rij.Lon) > 1e-7);
        if (rubriekId == rij.RubriekId && !plekGewijzigd)
        {
            throw new GeweigerdException(b["actie.fout.niets"]);
        }
        (string Buurt, string Wijk) nieuw;
        try
        {
            nieuw = await connection.QuerySingleAsync<(string, string)>(
                new CommandDefinition(
                    plekGewijzigd
                        ? """
                        UPDATE melding SET rubriek_id = @rubriekId, gewijzigd_op = now(),
                               locatie = ST_Transform(ST_SetSRID(ST_MakePoint(@lon, @lat), 4326), 28992)
                        WHERE id = @id RETURNING buurt_code, wijk_code
                        """
                        : "UPDATE melding SET rubriek_id = @rubriekId, gewijzigd_op = now() WHERE id = @id RETURNING buurt_code, wijk_code",
                    new
                    {
                        id,
                        rubriekId,
                        lat,
                        lon,
                    },
                    transaction,
                    cancellationToken: cancellationToken
                )
            );
        }
        catch (PostgresException e) when (e.IsBuitenGemeente())
        {
            throw new GeweigerdException(b["actie.fout.buiten"]);
        }
        await Audit.SchrijfAsync(
            connection,
            transaction,
            door,
            "aanpassen",
            id,
            new
            {
                rubriek = rij.RubriekId,
                lat = rij.Lat,
                lon = rij.Lon,
                buurt = rij.BuurtCode,
                wijk = rij.WijkCode,
            },
            new
            {
                rubriek = rubriekId,
                lat = plekGewijzigd ? lat : rij.Lat,
                lon = plekGewijzigd ? lon : rij.Lon,
                buurt = nieuw.Buurt,
                wijk = nieuw.Wijk,
            },
            cancellationToken
        );
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The melder's contact details, for a member of staff who asked for them: every view
    /// is written to the audit trail.</summary>
    public async Task<MeldingDetail.Contact?> ContactAsync(long id, Actor door, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(door);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var contact = await connection.QuerySingleOrDefaultAsync<MeldingDetail.Contact>(
            new CommandDefinition(
                "SELECT email, naam, telefoon FROM melder_contact WHERE melding_id = @id",
                new { id },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        await Audit.SchrijfAsync(
            connection,
            transaction,
            door,
            "contact-bekeken",
            id,
            null,
            new { aanwezig = contact is not null },
            cancellationToken
        );
        await transaction.CommitAsync(cancellationToken);
        return contact;
    }

    /// <summary>Marks a melder's request (e.g. remove personal data) as dealt with.</summary>
    public async Task VerzoekAfhandelenAsync(long id, long verzoekId, Actor door, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(door);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var soort = await connection.QuerySingleOrDefaultAsync<string>(
            new CommandDefinition(
                """
                UPDATE melding_verzoek SET afgehandeld_op = now()
                    WHERE id = @verzoekId AND melding_id = @id AND afgehandeld_op IS NULL
                    RETURNING soort
                """,
                new { id, verzoekId },
                transaction,
                cancellationToken: cancellationToken
            )
        ) ?? throw new GeweigerdException(b["actie.fout.verzoek"]);
        await Audit.SchrijfAsync(
            connection,
            transaction,
            door,
            "verzoek-afgehandeld",
            id,
            new { verzoek = verzoekId, soort },
            null,
            cancellationToken
        );
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The moderation actions on /beheer/meldingen/{id}.</summary>
    public static readonly string[] Moderaties =
    [
        "tekst-verbergen",
        "tekst-tonen",
        "tekst-redigeren",
        "tekst-herstellen",
        "foto-verbergen",
        "foto-tonen",
    ];

    public const string Verwijderd = "[verwijderd]";

    /// <summary>Moderation: hide or show the text publicly, redact a passage of the public text
    /// (replaced by "[verwijderd]"; the original stays for staff) or undo the redactions, hide or show
    /// a photo. A reason is required and goes, with before and after, to the audit trail only.</summary>
    public async Task ModererenAsync(
        long id,
        string? soort,
        string? passage,
        long? fotoId,
        string? reden,
        Actor door,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(door);
        reden = reden?.Trim();
        if (!Moderaties.Contains(soort))
        {
            throw new GeweigerdException(b["moderatie.fout.soort"]);
        }
        if (string.IsNullOrEmpty(reden) || reden.Length > 1000)
        {
            throw new GeweigerdException(b["moderatie.fout.reden"]);
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await VergrendelAsync(connection, transaction, id, cancellationToken);
        var tekst = await connection.QuerySingleAsync<(string Omschrijving, string? Publiek, bool Verborgen)>(
            new CommandDefinition(
                "SELECT omschrijving, omschrijving_publiek AS publiek, omschrijving_verborgen AS verborgen FROM melding WHERE id = @id",
                new { id },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        object voor,
            na;
        switch (soort)
        {
            case "tekst-verbergen" or "tekst-tonen":
                var verbergen = soort == "tekst-verbergen";
                if (tekst.Verborgen == verbergen)
                {
                    throw new GeweigerdException(b["actie.fout.niets"]);
                }
                await connection.ExecuteAsync(
                    new CommandDefinition(
                        "UPDATE melding SET omschrijving_verborgen = @verbergen WHERE id = @id",
                        new { id, verbergen },
                        transaction,
                        cancellationToken: cancellationToken
                    )
                );
                (voor, na) = (new { verborgen = tekst.Verborgen }, new { verborgen = verbergen, reden });
                break;
            case "tekst-redigeren":
                var huidig = tekst.Publiek ?? tekst.Omschrijving;
                if (string.IsNullOrEmpty(passage) || passage == Verwijderd || !huidig.Contains(passage, StringComparison.Ordinal))
                {
                    throw new GeweigerdException(b["moderatie.fout.passage"]);
                }
                var nieuw = huidig.Replace(passage, Verwijderd, StringComparison.Ordinal);
                await connection.ExecuteAsync(
                    new CommandDefinition(
                        "UPDATE melding SET omschrijving_publiek = @nieuw WHERE id = @id",
                        new { id, nieuw },
                        transaction,
                        cancellationToken: cancellationToken
                    )
                );
                // The removed passage itself is not copied into the audit: it may be the personal data.
                (voor, na) = (
                    new { redactie = tekst.Publiek is not null },
                    new
                    {
                        redactie = true,
                        tekens = passage.Length,
                        reden,
                    }
                );
                break;
            case "tekst-herstellen":
                if (tekst.Publiek is null)
                {
                    throw new GeweigerdException(b["actie.fout.niets"]);
                }
                await connection.ExecuteAsync(
                    new CommandDefinition(
                        "UPDATE melding SET omschrijving_publiek = NULL WHERE id = @id",
                        new { id },
                        transaction,
                        cancellationToken: cancellationToken
                    )
                );
                (voor, na) = (new { redactie = true }, new { redactie = false, reden });
                break;
            default:
                var verbergFoto = soort == "foto-verbergen";
                var gewijzigd = await connection.ExecuteAsync(
                    new CommandDefinition(
                        """
                        UPDATE melding_foto SET verborgen = @verbergFoto
                            WHERE id = @fotoId AND melding_id = @id AND verborgen <> @verbergFoto
                        """,
                        new
                        {
                            id,
                            fotoId,
                            verbergFoto,
                        },
                        transaction,
                        cancellationToken: cancellationToken
                    )
                );
                if (gewijzigd == 0)
                {
                    throw new GeweigerdException(b["moderatie.fout.foto"]);
                }
                (voor, na) = (
                    new { foto = fotoId, verborgen = !verbergFoto },
                    new
                    {
                        foto = fotoId,
                        verborgen = verbergFoto,
                        reden,
                    }
                );
                break;
        }
        await Audit.SchrijfAsync(connection, transaction, door, $"moderatie-{soort}", id, voor, na, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Staff opened the report: what the melder added before now is no longer "new".</summary>
    public async Task<DateTime?> BekekenAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<DateTime?>(
            new CommandDefinition(
                """
                UPDATE melding n SET bekeken_op = now() FROM melding o
                WHERE n.id = @id AND o.id = n.id
                RETURNING o.bekeken_op
                """,
                new { id },
                cancellationToken: cancellationToken
            )
        );
    }
}
