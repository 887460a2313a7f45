using System.Globalization;
using Dapper;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Npgsql;
using Wijkmeldingen.Web.Data;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Mail;

namespace Wijkmeldingen.Web.Features.Wandelingen;

/// <summary>
/// Signing up for a walk, cancelling, the waitlist and the e-mails around them. Capacity holds
/// under concurrency because every change takes the walk's row lock first (SELECT ... FOR UPDATE):
/// sign-ups for one walk are serialised, those for different walks are not.
/// </summary>
public sealed class Aanmeldingen(
    NpgsqlDataSource dataSource,
    IOptions<MailOptions> mail,
    IOptions<WandelingenOptions> options,
    IStringLocalizer<Tekst> t,
    TimeProvider klok,
    ILogger<Aanmeldingen> logger
) : BackgroundService
{
    /// <summary>Retention: walk participants (names, addresses) are deleted
    /// <see cref="WandelingenOptions.BewaarDeelnemersDagen"/> days after their walk ended.</summary>
    public static OpschoonRegel DeelnemersOpschonen(WandelingenOptions opties)
    {
        ArgumentNullException.ThrowIfNull(opties);
        var dagen = opties.BewaarDeelnemersDagen;
        return new OpschoonRegel(
            "wandeldeelnemers",
            (connection, cancellationToken) =>
                connection.ExecuteAsync(
                    new CommandDefinition(
                        """
                        DELETE FROM wandeling_aanmelding a USING wandeling w
                        WHERE a.wandeling_id = w.id
                          AND w.begint_op + make_interval(mins => w.duur_minuten) < now() - make_interval(days => @dagen)
                        """,
                        new { dagen },
                        cancellationToken: cancellationToken
                    )
                ),
            new Bewaartermijn("wandeldeelnemers", dagen)
        );
    }

    /// <summary>Retention: sign-ups whose confirmation link was not used within
    /// <see cref="WandelingenOptions.BevestigenUren"/> hours expire (they never held a place).</summary>
    public static OpschoonRegel OnbevestigdOpschonen(WandelingenOptions opties)
    {
        ArgumentNullException.ThrowIfNull(opties);
        var uren = opties.BevestigenUren;
        return new OpschoonRegel("wandeling-onbevestigd", (connection, cancellationToken) =>
            connection.ExecuteAsync(
                new CommandDefinition(
                    "DELETE FROM wandeling_aanmelding WHERE soort = 'onbevestigd' AND aangemeld_op < now() - make_interval(hours => @uren)",
                    new { uren },
                    cancellationToken: cancellationToken
                )
            )
        );
    }

    public enum Uitkomst
    {
        Deelnemer,
        Wachtlijst,
        AlAangemeld,
        Gesloten,
        Onbekend,

        /// <summary>Asked for: the confirmation link is on its way; no place is held yet.</summary>
        Bevestigen,

        /// <summary>The confirmation link came too late; the sign-up is gone.</summary>
        Verlopen,
    }

    public sealed record Resultaat(Uitkomst Uitkomst, string? Sleutel = null, string? Code = null);

    private sealed record Slot(long Id, string Titel, string Status, DateTime BegintOp, int Capaciteit);

    private sealed record Aanmelding(long Id, long WandelingId, string Naam, string Email, int AantalPersonen, string Soort);

    private sealed record Aanvraag(
        long Id,
        long WandelingId,
        string Naam,
        string Email,
        int AantalPersonen,
        string Soort,
        DateTime AangemeldOp
    );

    /// <summary>Asks for a place: stores an unconfirmed sign-up and mails its confirmation link to the
    /// address given, so only its owner can make it count. A new request for the same address replaces
    /// an unconfirmed one (the old link stops working); a confirmed one is <see cref="Uitkomst.AlAangemeld"/>.</summary>
    public async Task<Resultaat> AanmeldenAsync(
        long wandelingId,
        string naam,
        string email,
        int personen,
        CancellationToken cancellationToken
    )
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var wandeling = await VergrendelAsync(connection, transaction, wandelingId, cancellationToken);
        if (wandeling is null)
        {
            return new Resultaat(Uitkomst.Onbekend);
        }
        if (!Open(wandeling))
        {
            return new Resultaat(Uitkomst.Gesloten);
        }
        var bestaand = await connection.QuerySingleOrDefaultAsync<string?>(
            new CommandDefinition(
                "SELECT soort FROM wandeling_aanmelding WHERE wandeling_id = @wandelingId AND lower(email) = lower(@email)",
                new { wandelingId, email },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        if (bestaand is not null and not "onbevestigd")
        {
            return new Resultaat(Uitkomst.AlAangemeld);
        }
        await connection.ExecuteAsync(
            new CommandDefinition(
                """
                DELETE FROM wandeling_aanmelding
                WHERE wandeling_id = @wandelingId AND lower(email) = lower(@email) AND soort = 'onbevestigd'
                """,
                new { wandelingId, email },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        var sleutel = Sleutels.Nieuw();
        var id = await InvoegenAsync(connection, transaction, wandelingId, naam, email, personen, sleutel, cancellationToken);
        var opties = mail.Value;
        await Outbox.EnqueueAsync(
            connection,
            transaction,
            new OutboxBericht(
                $"wandeling-bevestigen:{id}",
                email,
                t["wandeling.mail.bevestigen.onderwerp", wandeling.Titel],
                t[
                    "wandeling.mail.bevestigen.tekst",
                    naam,
                    wandeling.Titel,
                    Moment(wandeling.BegintOp),
                    personen,
                    opties.Link($"wijkwandelingen/aanmelding/{sleutel}"),
                    options.Value.BevestigenUren
                ]
            ),
            cancellationToken
        );
        await transaction.CommitAsync(cancellationToken);
        return new Resultaat(Uitkomst.Bevestigen, sleutel);
    }

    /// <summary>Confirms the sign-up behind the link: it now takes a place while places are left and
    /// nobody waits, else joins the waitlist, and gets its check-in code. Serialised per walk by the
    /// walk's row lock, so two confirmations for the last place cannot both get it. Confirming twice
    /// answers what the first did.</summary>
    public async Task<Resultaat> BevestigenAsync(string sleutel, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var hash = Sleutels.Hash(sleutel);
        var wandelingId = await connection.QuerySingleOrDefaultAsync<long?>(
            new CommandDefinition(
                "SELECT wandeling_id FROM wandeling_aanmelding WHERE sleutel_hash = @hash",
                new { hash },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        if (
            wandelingId is null
            || await VergrendelAsync(connection, transaction, wandelingId.Value, cancellationToken) is not { } wandeling
        )
        {
            return new Resultaat(Uitkomst.Onbekend);
        }
        // Read again under the walk's lock: a parallel confirmation or cancellation may have come first.
        var aanvraag = await connection.QuerySingleOrDefaultAsync<Aanvraag>(
            new CommandDefinition(
                """
                SELECT id, wandeling_id AS wandelingid, naam, email, aantal_personen AS aantalpersonen, soort, aangemeld_op AS aangemeldop
                FROM wandeling_aanmelding WHERE sleutel_hash = @hash
                """,
                new { hash },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        if (aanvraag is null)
        {
            return new Resultaat(Uitkomst.Onbekend);
        }
        if (aanvraag.Soort != "onbevestigd")
        {
            return await BestaandAsync(connection, transaction, aanvraag.Id, sleutel, cancellationToken);
        }
        var verlopen = aanvraag.AangemeldOp.AddHours(options.Value.BevestigenUren) < klok.GetUtcNow().UtcDateTime;
        if (verlopen || !Open(wandeling))
        {
            await connection.ExecuteAsync(
                new CommandDefinition(
                    "DELETE FROM wandeling_aanmelding WHERE id = @Id",
                    new { aanvraag.Id },
                    transaction,
                    cancellationToken: cancellationToken
                )
            );
            await transaction.CommitAsync(cancellationToken);
            return new Resultaat(verlopen ? Uitkomst.Verlopen : Uitkomst.Gesloten);
        }
        var (soort, code) = await PlaatsenAsync(
            connection,
            transaction,
            wandeling,
            aanvraag.Id,
            aanvraag.AantalPersonen,
            cancellationToken
        );
        await Outbox.EnqueueAsync(
            connection,
            transaction,
            Bevestiging(aanvraag.Id, wandeling, aanvraag.Naam, aanvraag.Email, aanvraag.AantalPersonen, soort, sleutel, code),
            cancellationToken
        );
        await transaction.CommitAsync(cancellationToken);
        return new Resultaat(soort == "deelnemer" ? Uitkomst.Deelnemer : Uitkomst.Wachtlijst, sleutel, code);
    }

    /// <summary>A confirmed sign-up straight away, in the caller's transaction, which the caller
    /// commits, without any mail: only for the demo seed, whose addresses (example.invalid) cannot
    /// receive a confirmation link. Residents always go through <see cref="AanmeldenAsync(long, string, string, int, CancellationToken)"/>
    /// and <see cref="BevestigenAsync"/>.</summary>
    public async Task<Resultaat> DemoAanmeldenAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        long wandelingId,
        string naam,
        string email,
        int personen,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(connection);
        var wandeling = await VergrendelAsync(connection, transaction, wandelingId, cancellationToken);
        if (wandeling is null)
        {
            return new Resultaat(Uitkomst.Onbekend);
        }
        if (!Open(wandeling))
        {
            return new Resultaat(Uitkomst.Gesloten);
        }
        if (
            await connection.ExecuteScalarAsync<bool>(
                new CommandDefinition(
                    "SELECT EXISTS (SELECT 1 FROM wandeling_aanmelding WHERE wandeling_id = @wandelingId AND lower(email) = lower(@email))",
                    new { wandelingId, email },
                    transaction,
                    cancellationToken: cancellationToken
                )
            )
        )
        {
            return new Resultaat(Uitkomst.AlAangemeld);
        }
        var sleutel = Sleutels.Nieuw();
        var id = await InvoegenAsync(connection, transaction, wandelingId, naam, email, personen, sleutel, cancellationToken);
        var (soort, code) = await PlaatsenAsync(connection, transaction, wandeling, id, personen, cancellationToken);
        return new Resultaat(soort == "deelnemer" ? Uitkomst.Deelnemer : Uitkomst.Wachtlijst, sleutel, code);
    }

    /// <summary>A sign-up as its owner sees it on the personal page behind the link, or null.</summary>
    public sealed record Persoonlijk(
        long WandelingId,
        string Titel,
        DateTime BegintOp,
        string StartpuntNaam,
        string Naam,
        int AantalPersonen,
        string Soort,
        string? Code,
        bool Aanwezig
    )
    {
        public DateTimeOffset Begin => new(DateTime.SpecifyKind(BegintOp, DateTimeKind.Utc));
    }

    public async Task<Persoonlijk?> PersoonlijkAsync(string sleutel, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<Persoonlijk>(
            new CommandDefinition(
                """
                SELECT w.id AS wandelingid, w.titel, w.begint_op AS begintop, w.startpunt_naam AS startpuntnaam, a.naam,
                       a.aantal_personen AS aantalpersonen, a.soort, a.code, a.aanwezig_op IS NOT NULL AS aanwezig
                FROM wandeling_aanmelding a JOIN wandeling w ON w.id = a.wandeling_id
                WHERE a.sleutel_hash = @hash
                """,
                new { hash = Sleutels.Hash(sleutel) },
                cancellationToken: cancellationToken
            )
        );
    }

    private bool Open(Slot wandeling) => wandeling.Status == "gepubliceerd" && wandeling.BegintOp > klok.GetUtcNow().UtcDateTime;

    private static async Task<long> InvoegenAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        long wandelingId,
        string naam,
        string email,
        int personen,
        string sleutel,
        CancellationToken cancellationToken
    ) =>
        await connection.QuerySingleAsync<long>(
            new CommandDefinition(
                """
                INSERT INTO wandeling_aanmelding (wandeling_id, naam, email, aantal_personen, soort, sleutel_hash)
                VALUES (@wandelingId, @naam, @email, @personen, 'onbevestigd', @hash) RETURNING id
                """,
                new
                {
                    wandelingId,
                    naam,
                    email,
                    personen,
                    hash = Sleutels.Hash(sleutel),
                },
                transaction,
                cancellationToken: cancellationToken
            )
        );

    /// <summary>The sign-up rule, under the walk's lock: a participant while places are left and
    /// nobody waits, else the waitlist; places and waiting go in order of confirmation.</summary>
    private static async Task<(string Soort, string Code)> PlaatsenAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        Slot wandeling,
        long id,
        int personen,
        CancellationToken cancellationToken
    )
    {
        var bezet = await BezetAsync(connection, transaction, wandeling.Id, cancellationToken);
        var wachtenden = await connection.ExecuteScalarAsync<long>(
            new CommandDefinition(
                "SELECT count(*) FROM wandeling_aanmelding WHERE wandeling_id = @Id AND soort = 'wachtlijst'",
                new { wandeling.Id },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        // Nobody jumps the waitlist: when people wait, a newcomer waits too.
        var soort = wachtenden == 0 && bezet + personen <= wandeling.Capaciteit ? "deelnemer" : "wachtlijst";
        string code;
        do
        {
            code = Incheckcode.Nieuw();
        } while (
            await connection.ExecuteScalarAsync<bool>(
                new CommandDefinition(
                    "SELECT EXISTS (SELECT 1 FROM wandeling_aanmelding WHERE wandeling_id = @Id AND code = @code)",
                    new { wandeling.Id, code },
                    transaction,
                    cancellationToken: cancellationToken
                )
            )
        );
        await connection.ExecuteAsync(
            new CommandDefinition(
                "UPDATE wandeling_aanmelding SET soort = @soort, code = @code, aangemeld_op = clock_timestamp() WHERE id = @id",
                new
                {
                    soort,
                    code,
                    id,
                },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        return (soort, code);
    }

    private static async Task<Resultaat> BestaandAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        long id,
        string sleutel,
        CancellationToken cancellationToken
    )
    {
        var (soort, code) = await connection.QuerySingleAsync<(string, string?)>(
            new CommandDefinition(
                "SELECT soort, code FROM wandeling_aanmelding WHERE id = @id",
                new { id },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        return new Resultaat(soort == "deelnemer" ? Uitkomst.Deelnemer : Uitkomst.Wachtlijst, sleutel, code);
    }

    /// <summary>The sign-up behind a cancel link, or null; for the confirmation page.</summary>
    public async Task<(long WandelingId, string Titel, DateTime BegintOp, string Soort)?> ZoekAsync(
        string sleutel,
        CancellationToken cancellationToken
    )
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<(long, string, DateTime, string)?>(
            new CommandDefinition(
                """
                SELECT w.id, w.titel, w.begint_op, a.soort
                FROM wandeling_aanmelding a JOIN wandeling w ON w.id = a.wandeling_id
                WHERE a.sleutel_hash = @hash
                """,
                new { hash = Sleutels.Hash(sleutel) },
                cancellationToken: cancellationToken
            )
        );
    }

    /// <summary>Cancels the sign-up behind the link (deleting the person's data) and fills freed
    /// places from the waitlist, in order, telling each promoted person. False when the link is not
    /// (or no longer) valid: a link works once.</summary>
    public async Task<bool> AfmeldenAsync(string sleutel, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var wandelingId = await connection.QuerySingleOrDefaultAsync<long?>(
            new CommandDefinition(
                "SELECT wandeling_id FROM wandeling_aanmelding WHERE sleutel_hash = @hash",
                new { hash = Sleutels.Hash(sleutel) },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        if (
            wandelingId is null
            || await VergrendelAsync(connection, transaction, wandelingId.Value, cancellationToken) is not { } wandeling
        )
        {
            return false;
        }
        var verwijderd = await connection.ExecuteAsync(
            new CommandDefinition(
                "DELETE FROM wandeling_aanmelding WHERE sleutel_hash = @hash",
                new { hash = Sleutels.Hash(sleutel) },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        if (verwijderd == 0)
        {
            return false;
        }
        if (wandeling.Status == "gepubliceerd" && wandeling.BegintOp > klok.GetUtcNow().UtcDateTime)
        {
            await VulAanVanWachtlijstAsync(connection, transaction, wandeling, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Promotes waiting sign-ups in order while the first in line fits in the free places.</summary>
    public async Task VulAanVanWachtlijstAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        long wandelingId,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (await VergrendelAsync(connection, transaction, wandelingId, cancellationToken) is { } wandeling)
        {
            await VulAanVanWachtlijstAsync(connection, transaction, wandeling, cancellationToken);
        }
    }

    private async Task VulAanVanWachtlijstAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        Slot wandeling,
        CancellationToken cancellationToken
    )
    {
        var bezet = await BezetAsync(connection, transaction, wandeling.Id, cancellationToken);
        var wachtenden = await connection.QueryAsync<Aanmelding>(
            new CommandDefinition(
                """
                SELECT id, wandeling_id AS wandelingid, naam, email, aantal_personen AS aantalpersonen, soort
                FROM wandeling_aanmelding WHERE wandeling_id = @Id AND soort = 'wachtlijst' ORDER BY aangemeld_op, id
                """,
                new { wandeling.Id },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        foreach (var wachtende in wachtenden)
        {
            if (bezet + wachtende.AantalPersonen > wandeling.Capaciteit)
            {
                break;
            }
            await connection.ExecuteAsync(
                new CommandDefinition(
                    "UPDATE wandeling_aanmelding SET soort = 'deelnemer' WHERE id = @Id",
                    new { wachtende.Id },
                    transaction,
                    cancellationToken: cancellationToken
                )
            );
            bezet += wachtende.AantalPersonen;
            await Outbox.EnqueueAsync(
                connection,
                transaction,
                new OutboxBericht(
                    $"wandeling-doorgeschoven:{wachtende.Id}",
                    wachtende.Email,
                    t["wandeling.mail.doorgeschoven.onderwerp", wandeling.Titel],
                    t[
                        "wandeling.mail.doorgeschoven.tekst",
                        wachtende.Naam,
                        wandeling.Titel,
                        Moment(wandeling.BegintOp),
                        mail.Value.Link($"wijkwandelingen/{wandeling.Id}")
                    ]
                ),
                cancellationToken
            );
        }
    }

    /// <summary>Tells every confirmed sign-up (participants and waitlist) that the walk changed or was
    /// cancelled; called by the organiser's pages in the same transaction as the change.</summary>
    public async Task MeldWijzigingAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        long wandelingId,
        bool geannuleerd,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(connection);
        var wandeling = await VergrendelAsync(connection, transaction, wandelingId, cancellationToken);
        if (wandeling is null)
        {
            return;
        }
        var moment = klok.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var aanmeldingen = await connection.QueryAsync<Aanmelding>(
            new CommandDefinition(
                """
                SELECT id, wandeling_id AS wandelingid, naam, email, aantal_personen AS aantalpersonen, soort
                    FROM wandeling_aanmelding WHERE wandeling_id = @wandelingId AND soort IN ('deelnemer', 'wachtlijst')
                """,
                new { wandelingId },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        foreach (var a in aanmeldingen)
        {
            var soort = geannuleerd ? "geannuleerd" : "gewijzigd";
            await Outbox.EnqueueAsync(
                connection,
                transaction,
                new OutboxBericht(
                    $"wandeling-{soort}:{a.Id}:{moment}",
                    a.Email,
                    t[$"wandeling.mail.{soort}.onderwerp", wandeling.Titel],
                    t[
                        $"wandeling.mail.{soort}.tekst",
                        a.Naam,
                        wandeling.Titel,
                        Moment(wandeling.BegintOp),
                        mail.Value.Link($"wijkwandelingen/{wandeling.Id}")
                    ]
                ),
                cancellationToken
            );
        }
    }

    /// <summary>Queues the day-before reminder for every participant of walks starting within the
    /// reminder window, once per sign-up. Returns how many were queued.</summary>
    public async Task<int> HerinnerAsync(CancellationToken cancellationToken)
    {
        var nu = klok.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var te = (
            await connection.QueryAsync<(
                long Id,
                string Naam,
                string Email,
                long WandelingId,
                string Titel,
                DateTime BegintOp,
                string StartpuntNaam
            )>(
                new CommandDefinition(
                    """
                    SELECT a.id, a.naam, a.email, w.id, w.titel, w.begint_op, w.startpunt_naam
                    FROM wandeling_aanmelding a JOIN wandeling w ON w.id = a.wandeling_id
                    WHERE a.soort = 'deelnemer' AND a.herinnerd_op IS NULL AND w.status = 'gepubliceerd'
                      AND w.begint_op > @nu AND w.begint_op <= @nu + make_interval(hours => @uren)
                    FOR UPDATE OF a SKIP LOCKED
                    """,
                    new { nu, uren = options.Value.HerinneringUrenVooraf },
                    transaction,
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();
        foreach (var a in te)
        {
            await Outbox.EnqueueAsync(
                connection,
                transaction,
                new OutboxBericht(
                    $"wandeling-herinnering:{a.Id}",
                    a.Email,
                    t["wandeling.mail.herinnering.onderwerp", a.Titel],
                    t[
                        "wandeling.mail.herinnering.tekst",
                        a.Naam,
                        a.Titel,
                        Moment(a.BegintOp),
                        a.StartpuntNaam,
                        mail.Value.Link($"wijkwandelingen/{a.WandelingId}")
                    ]
                ),
                cancellationToken
            );
            await connection.ExecuteAsync(
                new CommandDefinition(
                    "UPDATE wandeling_aanmelding SET herinnerd_op = @nu WHERE id = @Id",
                    new { nu, a.Id },
                    transaction,
                    cancellationToken: cancellationToken
                )
            );
        }
        await transaction.CommitAsync(cancellationToken);
        return te.Count;
    }

    /// <summary>The walk as an iCalendar file (RFC 5545), for the confirmation mail's calendar link.</summary>
    public static string Agenda(Wandelingen.Wandeling w, string url, GemeenteProfiel gemeente)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(gemeente);
        var calendar = new Ical.Net.Calendar { ProductId = $"-//Gemeente {gemeente.Naam}//Wijkmeldingen//NL" };
        calendar.AddProperty("X-WR-CALNAME", $"Wijkwandelingen {gemeente.Naam}");
        calendar.Events.Add(
            new CalendarEvent
            {
                Uid = $"wandeling-{w.Id.ToString(CultureInfo.InvariantCulture)}@wijkmeldingen.{gemeente.Domein}",
                Summary = w.Titel,
                Description = $"{w.Omschrijving}\n\n{url}".Trim(),
                Location = $"{w.StartpuntNaam}, {gemeente.Naam}",
                DtStart = new CalDateTime(w.Begin.UtcDateTime, "UTC"),
                DtEnd = new CalDateTime(w.Einde.UtcDateTime, "UTC"),
                GeographicLocation = new GeographicLocation(w.StartLat, w.StartLon),
                Url = new Uri(url),
                Status = w.Status == "geannuleerd" ? "CANCELLED" : "CONFIRMED",
            }
        );
        return new CalendarSerializer().SerializeToString(calendar) ?? "";
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(10));
        do
        {
            try
            {
                var aantal = await HerinnerAsync(stoppingToken);
                if (aantal > 0)
                {
                    logger.LogInformation("Queued {Aantal} walk reminders", aantal);
                }
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                logger.LogWarning(e, "Walk reminder round failed; trying again next round");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private OutboxBericht Bevestiging(
        long id,
        Slot wandeling,
        string naam,
        string email,
        int personen,
        string soort,
        string sleutel,
        string code
    )
    {
        var opties = mail.Value;
        var tekstSleutel = soort == "deelnemer" ? "wandeling.mail.aangemeld" : "wandeling.mail.wachtlijst";
        return new OutboxBericht(
            $"wandeling-aanmelding:{id}",
            email,
            t[$"{tekstSleutel}.onderwerp", wandeling.Titel],
            t[
                $"{tekstSleutel}.tekst",
                naam,
                wandeling.Titel,
                Moment(wandeling.BegintOp),
                personen,
                opties.Link($"wijkwandelingen/{wandeling.Id}"),
                opties.Link($"wijkwandelingen/{wandeling.Id}/agenda.ics"),
                opties.Link($"wijkwandelingen/afmelden/{sleutel}"),
                code,
                opties.Link($"wijkwandelingen/aanmelding/{sleutel}")
            ]
        );
    }

    private static string Moment(DateTime utc) => Tijd.DatumTijd(new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)));

    private static async Task<Slot?> VergrendelAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        long id,
        CancellationToken cancellationToken
    ) =>
        await connection.QuerySingleOrDefaultAsync<Slot>(
            new CommandDefinition(
                "SELECT id, titel, status, begint_op AS begintop, capaciteit FROM wandeling WHERE id = @id FOR UPDATE",
                new { id },
                transaction,
                cancellationToken: cancellationToken
            )
        );

    private static async Task<int> BezetAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        long id,
        CancellationToken cancellationToken
    ) =>
        await connection.ExecuteScalarAsync<int>(
            new CommandDefinition(
                "SELECT coalesce(sum(aantal_personen), 0)::int FROM wandeling_aanmelding WHERE wandeling_id = @id AND soort = 'deelnemer'",
                new { id },
                transaction,
                cancellationToken: cancellationToken
            )
        );
}
