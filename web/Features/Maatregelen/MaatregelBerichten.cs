using System.Globalization;
using Dapper;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Npgsql;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Mail;

namespace Wijkmeldingen.Web.Features.Maatregelen;

/// <summary>
/// Tells people when a measure starts and when it is done: the melders and followers of its linked
/// reports, and the confirmed subscribers of its buurt (or of a circle that touches it). One round
/// takes one measure at a time (FOR UPDATE SKIP LOCKED), queues the mails through the outbox and
/// marks the measure in the same transaction, so each person is told once, on whichever node.
/// "Started" goes on the measure's start date (local, on the portal's clock) once it is running: a
/// measure set to running with a start date still ahead is announced when that date comes.
/// </summary>
public sealed class MaatregelBerichten(
    NpgsqlDataSource dataSource,
    IOptions<MailOptions> mail,
    IStringLocalizer<Tekst> t,
    IDataProtectionProvider dataProtection,
    TimeProvider klok,
    ILogger<MaatregelBerichten> logger
) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);

    // The unsubscribe link of a buurt subscription ("volg mijn buurt", /kaart/volgen/opzeggen/...):
    // the same Data Protection purpose as the subscription's own mails, so the link works there.
    private readonly IDataProtector opzegBeveiliging = dataProtection.CreateProtector("Wijkmeldingen.Abonnement.Opzeggen");

    private sealed record Te(long Id, string Titel, string WijkCode, string Soort);

    /// <summary>One pass over measures that started or finished and were not announced yet; returns
    /// the number of mails queued.</summary>
    public async Task<int> EenRondeAsync(CancellationToken cancellationToken)
    {
        var verstuurd = 0;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        while (true)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            // 'gestart' once a running measure's start date has come, 'afgerond' when staff set it to done.
            // A measure first seen when already finished gets only the 'afgerond' mail.
            var te = await connection.QuerySingleOrDefaultAsync<Te>(
                new CommandDefinition(
                    """
                    SELECT id, titel, wijk_code AS wijkcode,
                           CASE WHEN status = 'afgerond' THEN 'afgerond' ELSE 'gestart' END AS soort
                    FROM maatregel
                    WHERE (status = 'afgerond' AND klaar_gemeld_op IS NULL)
                       OR (status = 'lopend' AND start_gemeld_op IS NULL AND start_datum <= @vandaag::date)
                    ORDER BY id
                    LIMIT 1
                    FOR UPDATE SKIP LOCKED
                    """,
                    new { vandaag = Tijd.Lokaal(klok.GetUtcNow()).Date },
                    transaction: transaction,
                    cancellationToken: cancellationToken
                )
            );
            if (te is null)
            {
                break;
            }
            var ontvangers = await connection.QueryAsync<(string Email, long? AbonnementId)>(
                new CommandDefinition(
                    """
                    SELECT c.email, NULL::bigint AS abonnementid
                    FROM maatregel_melding mm JOIN melder_contact c ON c.melding_id = mm.melding_id
                    WHERE mm.maatregel_id = @id AND c.email IS NOT NULL
                    UNION ALL
                    SELECT v.email, NULL FROM maatregel_melding mm JOIN melding_volger v ON v.melding_id = mm.melding_id
                    WHERE mm.maatregel_id = @id
                    UNION ALL
                    SELECT a.email, a.id FROM maatregel m JOIN abonnement a
                      ON a.buurt_code = m.buurt_code OR (a.punt IS NOT NULL AND ST_DWithin(a.punt, m.geom, a.straal_m))
                    WHERE m.id = @id AND a.bevestigd_op IS NOT NULL
                    """,
                    new { id = te.Id },
                    transaction,
                    cancellationToken: cancellationToken
                )
            );
            var link = mail.Value.Link($"wijken/{te.WijkCode}#maatregel-{te.Id}");
            foreach (
                var (email, abonnement) in ontvangers
                    .OrderBy(o => o.AbonnementId is null ? 0 : 1)
                    .DistinctBy(o => o.Email.ToUpperInvariant())
            )
            {
                var opzeggen = abonnement is { } a
                    ? "\n\n"
                        + t[
                            "maatregel.mail.opzeggen",
                            mail.Value.Link($"kaart/volgen/opzeggen/{opzegBeveiliging.Protect(a.ToString(CultureInfo.InvariantCulture))}")
                        ]
                    : "";
                await Outbox.EnqueueAsync(
                    connection,
                    transaction,
                    new OutboxBericht(
                        $"maatregel-{te.Soort}:{te.Id}:{email.ToUpperInvariant()}",
                        email,
                        t[$"maatregel.mail.{te.Soort}.onderwerp", te.Titel],
                        t[$"maatregel.mail.{te.Soort}.tekst", te.Titel, link] + opzeggen
                    ),
                    cancellationToken
                );
                verstuurd++;
            }
            await connection.ExecuteAsync(
                new CommandDefinition(
                    te.Soort == "afgerond"
                        ? "UPDATE maatregel SET klaar_gemeld_op = now(), start_gemeld_op = coalesce(start_gemeld_op, now()) WHERE id = @id"
                        : "UPDATE maatregel SET start_gemeld_op = now() WHERE id = @id",
                    new { id = te.Id },
                    transaction,
                    cancellationToken: cancellationToken
                )
            );
            await transaction.CommitAsync(cancellationToken);
        }
        return verstuurd;
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
                    logger.LogInformation("Queued {Aantal} measure mails", aantal);
                }
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                logger.LogWarning(e, "Measure mail round failed; trying again next round");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
