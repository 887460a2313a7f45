using System.Globalization;
using System.Text;
using Dapper;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Npgsql;
using Wijkmeldingen.Web.Data;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Mail;

namespace Wijkmeldingen.Web.Features.Kaart;

/// <summary>
/// "Follow my buurt": subscriptions with double opt-in, and the daily or weekly digest of new public
/// reports in the area, queued through the outbox. Each digest advances the subscription's watermark
/// in the same transaction as its mail, with an idempotency key, so it is sent once.
/// </summary>
public sealed class BuurtDigest(
    NpgsqlDataSource dataSource,
    IOptions<MailOptions> mail,
    IOptions<PubliekOptions> kaart,
    IOptions<KaartOptions> kaartOpties,
    IStringLocalizer<Tekst> t,
    TimeProvider klok,
    IDataProtectionProvider dataProtection,
    ILogger<BuurtDigest> logger
) : BackgroundService
{
    /// <summary>Retention: subscriptions nobody confirmed within a week are deleted.</summary>
    public static readonly OpschoonRegel OnbevestigdeAbonnementen = new(
        "onbevestigde abonnementen",
        (connection, cancellationToken) =>
            connection.ExecuteAsync(
                new CommandDefinition(
                    "DELETE FROM abonnement WHERE bevestigd_op IS NULL AND aangemaakt_op < now() - interval '7 days'",
                    cancellationToken: cancellationToken
                )
            ),
        new Bewaartermijn("abonnementen", 7)
    );

    public const string Verlopen = "abonnementen-verlopen";

    /// <summary>Retention of confirmed subscriptions (Kaart:AbonnementMaanden, on the portal's clock):
    /// Kaart:AbonnementHerinneringDagen before the end a mail with a renewal link (once per term), at the
    /// end the subscription and its address are deleted unless renewed. 0 months: no term.</summary>
    public OpschoonRegel VerlopenAbonnementen()
    {
        var maanden = kaartOpties.Value.AbonnementMaanden;
        var dagen = kaartOpties.Value.AbonnementHerinneringDagen;
        return new OpschoonRegel(
            "verlopen abonnementen",
            async (connection, cancellationToken) =>
            {
                if (maanden == 0)
                {
                    return 0;
                }
                var nu = klok.GetUtcNow();
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                var verwijderd = await connection.ExecuteAsync(
                    new CommandDefinition(
                        """
                        DELETE FROM abonnement
                        WHERE bevestigd_op IS NOT NULL AND coalesce(verlengd_op, bevestigd_op) + make_interval(months => @maanden) <= @nu
                        """,
                        new { maanden, nu },
                        transaction,
                        cancellationToken: cancellationToken
                    )
                );
                var teHerinneren = await connection.QueryAsync<(long Id, string Email, string GebiedNaam, DateTime Einde)>(
                    new CommandDefinition(
                        """
                        SELECT id, email, gebied_naam, coalesce(verlengd_op, bevestigd_op) + make_interval(months => @maanden)
                        FROM abonnement
                        WHERE bevestigd_op IS NOT NULL
                          AND coalesce(verlengd_op, bevestigd_op) + make_interval(months => @maanden) - make_interval(days => @dagen) <= @nu
                          AND (herinnerd_op IS NULL OR herinnerd_op < coalesce(verlengd_op, bevestigd_op))
                        ORDER BY id LIMIT 500
                        FOR UPDATE SKIP LOCKED
                        """,
                        new
                        {
                            maanden,
                            dagen,
                            nu,
                        },
                        transaction,
                        cancellationToken: cancellationToken
                    )
                );
                var nl = CultureInfo.GetCultureInfo("nl-NL");
                foreach (var a in teHerinneren)
                {
                    var einde = Tijd.Datum(new DateTimeOffset(DateTime.SpecifyKind(a.Einde, DateTimeKind.Utc))).ToString(nl);
                    await Outbox.EnqueueAsync(
                        connection,
                        transaction,
                        new OutboxBericht(
                            $"abonnement-verlengen:{a.Id}:{a.Einde.Ticks.ToString(CultureInfo.InvariantCulture)}",
                            a.Email,
                            t["volgen.mail.verlengen.onderwerp", a.GebiedNaam],
                            t["volgen.mail.verlengen.tekst", a.GebiedNaam, einde, VerlengLink(a.Id), OpzegLink(a.Id)]
                        ),
                        cancellationToken
                    );
                    await connection.ExecuteAsync(
                        new CommandDefinition(
                            "UPDATE abonnement SET herinnerd_op = @nu WHERE id = @Id",
                            new { a.Id, nu },
                            transaction,
                            cancellationToken: cancellationToken
                        )
                    );
                }
                await transaction.CommitAsync(cancellationToken);
                return verwijderd;
            },
            new Bewaartermijn(Verlopen, maanden, TermijnEenheid.Maanden)
        );
    }

    private readonly IDataProtector verlengBeveiliging = dataProtection.CreateProtector("Wijkmeldingen.Abonnement.Verlengen");

    public string VerlengLink(long id) =>
        mail.Value.Link($"kaart/volgen/verlengen/{verlengBeveiliging.Protect(id.ToString(CultureInfo.InvariantCulture))}");

    /// <summary>Renews the subscription of a renewal link from now on (the portal's clock); false when
    /// the link is not valid or the subscription is gone.</summary>
    public async Task<bool> VerlengAsync(string token, CancellationToken cancellationToken)
    {
        long id;
        try
        {
            id = long.Parse(verlengBeveiliging.Unprotect(token), CultureInfo.InvariantCulture);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return false;
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(
                new CommandDefinition(
                    "UPDATE abonnement SET verlengd_op = @nu, herinnerd_op = NULL WHERE id = @id AND bevestigd_op IS NOT NULL",
                    new { id, nu = klok.GetUtcNow() },
                    cancellationToken: cancellationToken
                )
            ) == 1;
    }

    // Unsubscribe links carry the subscription id protected by ASP.NET Core Data Protection, so every
    // message can carry one without the database keeping a token it could leak.
    private readonly IDataProtector opzegBeveiliging = dataProtection.CreateProtector("Wijkmeldingen.Abonnement.Opzeggen");

    public string OpzegLink(long id) =>
        mail.Value.Link($"kaart/volgen/opzeggen/{opzegBeveiliging.Protect(id.ToString(CultureInfo.InvariantCulture))}");

    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);

    /// <summary>A buurt, or a circle around a point (WGS84) with a radius in metres; Naam is for e-mails.</summary>
    public sealed record Gebied(string? BuurtCode, double? Lon, double? Lat, int? StraalMeters, string Naam);

    private sealed record Abonnement(long Id, string Email, string GebiedNaam, string Frequentie, DateTime GezienTot);

    private sealed record Nieuw(string Volgcode, string Rubriek, string StatusNaam, string BuurtNaam, DateTime AangemaaktOp);

    public async Task AanmeldenAsync(string email, Gebied gebied, string frequentie, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(gebied);
        var sleutel = Sleutels.Nieuw();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var id = await connection.QuerySingleAsync<long>(
            new CommandDefinition(
                """
                INSERT INTO abonnement (email, buurt_code, punt, straal_m, gebied_naam, frequentie, sleutel_hash)
                VALUES (@email, @BuurtCode,
                        CASE WHEN @Lon::float8 IS NULL THEN NULL ELSE ST_Transform(ST_SetSRID(ST_MakePoint(@Lon, @Lat), 4326), 28992) END,
                        @StraalMeters, @Naam, @frequentie, @hash)
                RETURNING id
                """,
                new
                {
                    email,
                    gebied.BuurtCode,
                    gebied.Lon,
                    gebied.Lat,
                    gebied.StraalMeters,
                    gebied.Naam,
                    frequentie,
                    hash = Sleutels.Hash(sleutel),
                },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        var opties = mail.Value;
        await Outbox.EnqueueAsync(
            connection,
            transaction,
            new OutboxBericht(
                $"abonnement-bevestigen:{id}",
                email,
                t["volgen.mail.bevestig.onderwerp", gebied.Naam],
                t[
                    "volgen.mail.bevestig.tekst",
                    gebied.Naam,
                    t[$"volgen.{frequentie}"].Value.ToLowerInvariant(),
                    opties.Link($"kaart/volgen/bevestigen/{sleutel}"),
                    OpzegLink(id)
                ]
            ),
            cancellationToken
        );
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Confirms the subscription whose link token this is; false when there is none.</summary>
    public async Task<bool> BevestigAsync(string sleutel, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // The digest covers reports from the moment of confirmation on.
        var rijen = await connection.ExecuteAsync(
            new CommandDefinition(
                """
                UPDATE abonnement SET bevestigd_op = coalesce(bevestigd_op, now()),
                                      gezien_tot = CASE WHEN bevestigd_op IS NULL THEN now() ELSE gezien_tot END
                WHERE sleutel_hash = @hash
                """,
                new { hash = Sleutels.Hash(sleutel) },
                cancellationToken: cancellationToken
            )
        );
        return rijen == 1;
    }

    /// <summary>Deletes the subscription (and so the address) of an unsubscribe link; false when the
    /// link is not valid or the subscription is already gone.</summary>
    public async Task<bool> OpzeggenAsync(string token, CancellationToken cancellationToken)
    {
        long id;
        try
        {
            id = long.Parse(opzegBeveiliging.Unprotect(token), CultureInfo.InvariantCulture);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return false;
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(
                new CommandDefinition("DELETE FROM abonnement WHERE id = @id", new { id }, cancellationToken: cancellationToken)
            ) == 1;
    }

    /// <summary>One pass: every confirmed subscription that is due gets the new public reports of its
    /// area since its watermark (if there are any). Returns the number of digests queued.</summary>
    public async Task<int> EenRondeAsync(CancellationToken cancellationToken)
    {
        var nu = klok.GetUtcNow();
        // Reports younger than a minute wait for the next round: a transaction that filed one just
        // now might not be visible yet, and the watermark must never skip it.
        var tot = nu.AddMinutes(-1);
        var verstuurd = 0;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        while (true)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var abonnement = await connection.QuerySingleOrDefaultAsync<Abonnement>(
                new CommandDefinition(
                    """
                    SELECT id, email, gebied_naam AS gebiednaam, frequentie, gezien_tot AS gezientot
                    FROM abonnement
                    WHERE bevestigd_op IS NOT NULL
                      AND coalesce(laatst_verzonden_op, bevestigd_op)
                          + CASE frequentie WHEN 'dagelijks' THEN interval '1 day' ELSE interval '7 days' END <= @nu
                      AND gezien_tot < @tot
                    ORDER BY id
                    LIMIT 1
                    FOR UPDATE SKIP LOCKED
                    """,
                    new { nu, tot },
                    transaction,
                    cancellationToken: cancellationToken
                )
            );
            if (abonnement is null)
            {
                break;
            }
            var nieuw = (
                await connection.QueryAsync<Nieuw>(
                    new CommandDefinition(
                        """
                        SELECT m.volgcode, r.naam AS rubriek, s.naam AS statusnaam, b.naam AS buurtnaam, m.aangemaakt_op AS aangemaaktop
                        FROM abonnement a
                        JOIN melding m ON m.aangemaakt_op >= a.gezien_tot AND m.aangemaakt_op < @tot
                        JOIN rubriek r ON r.id = m.rubriek_id
                        JOIN meldingstatus s ON s.code = m.status
                        JOIN buurt b ON b.code = m.buurt_code
                        WHERE a.id = @id
                          AND r.openbaarheid <> 'verborgen'
                          AND m.status <> 'ingetrokken'
                          AND (m.buurt_code = a.buurt_code
                               OR (a.punt IS NOT NULL AND ST_DWithin(publiek_punt(m.locatie, r.openbaarheid, @raster), a.punt, a.straal_m)))
                        ORDER BY m.aangemaakt_op
                        LIMIT 200
                        """,
                        new
                        {
                            id = abonnement.Id,
                            tot,
                            raster = (double)kaart.Value.PubliekRasterMeters,
                        },
                        transaction,
                        cancellationToken: cancellationToken
                    )
                )
            ).AsList();

            if (nieuw.Count > 0)
            {
                var sleutel = $"digest:{abonnement.Id}:{abonnement.GezienTot.Ticks.ToString(CultureInfo.InvariantCulture)}";
                await Outbox.EnqueueAsync(
                    connection,
                    transaction,
                    new OutboxBericht(
                        sleutel,
                        abonnement.Email,
                        t["volgen.mail.digest.onderwerp", nieuw.Count, abonnement.GebiedNaam],
                        Tekst(abonnement, nieuw)
                    ),
                    cancellationToken
                );
                verstuurd++;
            }
            await connection.ExecuteAsync(
                new CommandDefinition(
                    "UPDATE abonnement SET gezien_tot = @tot, laatst_verzonden_op = @nu WHERE id = @id",
                    new
                    {
                        id = abonnement.Id,
                        tot,
                        nu,
                    },
                    transaction,
                    cancellationToken: cancellationToken
                )
            );
            await transaction.CommitAsync(cancellationToken);
        }
        return verstuurd;
    }

    private string Tekst(Abonnement abonnement, IReadOnlyList<Nieuw> nieuw)
    {
        var opties = mail.Value;
        var nl = CultureInfo.GetCultureInfo("nl-NL");
        var tekst = new StringBuilder();
        tekst.AppendLine(t["volgen.mail.digest.kop", nieuw.Count, abonnement.GebiedNaam]).AppendLine();
        foreach (var m in nieuw)
        {
            tekst
                .Append("- ")
                .Append(m.Rubriek)
                .Append(", ")
                .Append(m.BuurtNaam)
                .Append(", ")
                .Append(Tijd.Datum(DateTime.SpecifyKind(m.AangemaaktOp, DateTimeKind.Utc)).ToString(nl))
                .Append(" (")
                .Append(m.StatusNaam.ToLowerInvariant())
                .AppendLine(")")
                .Append("  ")
                .AppendLine(opties.Link($"melding/{m.Volgcode}"));
        }
        tekst.AppendLine().AppendLine(t["volgen.mail.digest.voet"]).AppendLine(OpzegLink(abonnement.Id));
        return tekst.ToString();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                var aantal = await EenRondeAsync(stoppingToken);
                if (aantal > 0)
                {
                    logger.LogInformation("Queued {Aantal} buurt digests", aantal);
                }
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                logger.LogWarning(e, "Buurt digest round failed; trying again next round");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
