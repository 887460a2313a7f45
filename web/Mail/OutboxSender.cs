using Dapper;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;
using MimeKit;
using Npgsql;
using Polly;
using Polly.Registry;
using Wijkmeldingen.Web.Data;

namespace Wijkmeldingen.Web.Mail;

/// <summary>
/// Sends the mail queued in <c>mail_outbox</c>, every <see cref="MailOptions.PollIntervalSeconden"/>,
/// and deletes sent rows after <see cref="MailOptions.BewaarVerzondenDagen"/>.
/// </summary>
/// <remarks>
/// <para>A pass claims a batch of due rows in one short transaction (<c>FOR UPDATE SKIP LOCKED</c>,
/// so several web processes never claim the same row) by pushing their due time
/// <see cref="Claimduur"/> ahead and counting the attempt. It then sends each row and records the
/// outcome with a statement of its own. No transaction stays open while talking to SMTP, and a
/// pass stops sending after half the claim time, so a row is only ever sent by the one process
/// whose claim has not expired.</para>
/// <para>At most once, except for one window: when the process dies (or is stopped, or loses the
/// database) after the SMTP server accepted a message but before <c>verzonden_op</c> is written,
/// the row becomes due again when its claim expires and is sent a second time. Both copies carry
/// the same Message-Id. A row with <c>verzonden_op</c> set is never claimed again.</para>
/// </remarks>
public sealed partial class OutboxSender(
    NpgsqlDataSource dataSource,
    IOptions<MailOptions> options,
    ResiliencePipelineProvider<string> pipelines,
    WijkMetrics metrics,
    ILogger<OutboxSender> logger
) : BackgroundService
{
    /// <summary>How long a claimed row is reserved for the process that claimed it.</summary>
    public static readonly TimeSpan Claimduur = TimeSpan.FromMinutes(10);

    private static readonly TimeSpan SmtpTimeout = TimeSpan.FromSeconds(30);
    private const int MaxFoutLengte = 500;

    private readonly ResiliencePipeline smtpPipeline = pipelines.GetPipeline(SmtpResilience.PipelineName);
    private readonly ResiliencePipeline databasePipeline = pipelines.GetPipeline(DatabaseResilience.PipelineName);

    /// <summary>Retry backoff after the given number of failed attempts: 1, 2, 4, ... minutes,
    /// at most an hour. With the default 10 attempts the sender keeps trying for about four hours.</summary>
    public static TimeSpan Wachttijd(int pogingen) => TimeSpan.FromMinutes(Math.Min(60, Math.Pow(2, Math.Clamp(pogingen, 1, 10) - 1)));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Verzenden)
        {
            logger.LogInformation("Mail:Verzenden is false: mail stays in the outbox");
            return;
        }
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.PollIntervalSeconden));
        try
        {
            do
            {
                try
                {
                    await VerzendOpenstaandeAsync(stoppingToken);
                    await RuimOpAsync(stoppingToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    // An unhandled exception would stop the host; the next tick tries again.
                    logger.LogError(exception, "Mail outbox pass failed");
                }
            } while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>One pass: claim up to <see cref="MailOptions.BatchGrootte"/> due rows, send them,
    /// record each outcome.</summary>
    /// <returns>The number of messages sent.</returns>
    public async Task<int> VerzendOpenstaandeAsync(CancellationToken cancellationToken)
    {
        var instellingen = options.Value;
        var batch = await ClaimAsync(instellingen, cancellationToken);
        if (batch.Count == 0)
        {
            return 0;
        }

        // Stop well before the claim expires: after that another process may take these rows.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Claimduur / 2);
        using var client = new SmtpClient { Timeout = (int)SmtpTimeout.TotalMilliseconds };
        Exception? serverOnbereikbaar = null;
        var verzonden = 0;
        try
        {
            for (var i = 0; i < batch.Count; i++)
            {
                if (deadline.IsCancellationRequested)
                {
                    await GeefVrijAsync(batch.Skip(i).Select(rij => rij.Id).ToArray());
                    break;
                }
                var rij = batch[i];
                if (serverOnbereikbaar is not null)
                {
                    // No point in trying every row against a server that is down.
                    await MarkeerMisluktAsync(rij, serverOnbereikbaar, instellingen, opgeven: false);
                    continue;
                }

                MimeMessage bericht;
                try
                {
                    bericht = MaakBericht(rij, instellingen);
                }
                catch (ParseException exception)
                {
                    await MarkeerMisluktAsync(rij, exception, instellingen, opgeven: true);
                    continue;
                }

                try
                {
                    await smtpPipeline.ExecuteAsync(
                        async token => await VerstuurAsync(client, bericht, instellingen, token),
                        deadline.Token
                    );
                }
                catch (OperationCanceledException) when (deadline.IsCancellationRequested)
                {
                    // Interrupted mid-send: the server may or may not have it. Leave the row
                    // claimed; it is retried when the claim expires (the documented window).
                    await GeefVrijAsync(batch.Skip(i + 1).Select(r => r.Id).ToArray());
                    break;
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    if (!client.IsConnected && SmtpResilience.IsTransient(exception))
                    {
                        serverOnbereikbaar = exception;
                    }
                    await MarkeerMisluktAsync(rij, exception, instellingen, opgeven: IsPermanent(exception));
                    continue;
                }

                await MarkeerVerzondenAsync(rij);
                verzonden++;
            }
        }
        finally
        {
            await VerbreekAsync(client);
        }
        return verzonden;
    }

    /// <summary>Deletes sent rows older than <see cref="MailOptions.BewaarVerzondenDagen"/>; unsent
    /// rows are kept whatever their age.</summary>
    /// <returns>The number of rows deleted.</returns>
    public async Task<int> RuimOpAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        const string sql = """
            DELETE FROM mail_outbox
            WHERE verzonden_op < now() - @Dagen * interval '1 day'
            """;
        var verwijderd = await connection.ExecuteAsync(
            new CommandDefinition(sql, new { Dagen = options.Value.BewaarVerzondenDagen }, cancellationToken: cancellationToken)
        );
        if (verwijderd > 0)
        {
            logger.LogInformation("Deleted {Count} sent mails older than {Days} days", verwijderd, options.Value.BewaarVerzondenDagen);
        }
        return verwijderd;
    }

    private async Task<List<OutboxRij>> ClaimAsync(MailOptions instellingen, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        const string sql = """
            -- Materialized: the batch is chosen once. Joined back by the whole key (V81): on id alone the
            -- planner rescanned the subquery per row, and SKIP LOCKED then gave every rescan other rows.
            WITH te_verzenden AS MATERIALIZED (
                SELECT gemeente_code, id FROM mail_outbox
                WHERE verzonden_op IS NULL AND volgende_poging_op <= now() AND pogingen < @MaxPogingen
                ORDER BY volgende_poging_op
                LIMIT @BatchGrootte
                FOR UPDATE SKIP LOCKED
            )
            UPDATE mail_outbox m
            SET pogingen = m.pogingen + 1,
                volgende_poging_op = now() + @ClaimSeconden * interval '1 second'
            FROM te_verzenden
            WHERE m.gemeente_code = te_verzenden.gemeente_code AND m.id = te_verzenden.id
            RETURNING m.id, m.aan, m.onderwerp, m.tekst, m.html, m.pogingen, m.aangemaakt_op
            """;
        var rijen = await connection.QueryAsync<OutboxRij>(
            new CommandDefinition(
                sql,
                new
                {
                    ClaimSeconden = (int)Claimduur.TotalSeconds,
                    instellingen.MaxPogingen,
                    instellingen.BatchGrootte,
                },
                cancellationToken: cancellationToken
            )
        );
        return [.. rijen.OrderBy(rij => rij.Id)];
    }

    private async Task MarkeerVerzondenAsync(OutboxRij rij)
    {
        // Not cancellable: the server has the message, this must be written down. The database
        // pipeline rides out a short outage; the statement is safe to repeat.
        const string sql = """
            UPDATE mail_outbox SET verzonden_op = now()
            WHERE id = @Id AND verzonden_op IS NULL
            """;
        try
        {
            await databasePipeline.ExecuteAsync(
                async token =>
                {
                    await using var connection = await dataSource.OpenConnectionAsync(token);
                    await connection.ExecuteAsync(new CommandDefinition(sql, new { rij.Id }, cancellationToken: token));
                },
                CancellationToken.None
            );
        }
        catch (Exception exception) when (DatabaseResilience.IsTransient(exception))
        {
            logger.LogError(
                exception,
                "Mail {Id} was sent but could not be marked as sent; it will be sent again when its claim expires",
                rij.Id
            );
        }
    }

    private async Task MarkeerMisluktAsync(OutboxRij rij, Exception fout, MailOptions instellingen, bool opgeven)
    {
        var beschrijving = Beschrijf(fout);
        // An SMTP refusal often quotes the recipient ("<jan@example.nl>: Recipient address rejected");
        // the address stays in laatste_fout for staff, never in the log.
        var voorLog = ZonderAdressen(beschrijving);
        opgeven |= rij.Pogingen >= instellingen.MaxPogingen;
        metrics.MailNietVerzonden(opgeven);
        if (opgeven)
        {
            logger.LogError("Mail {Id} not sent after {Attempts} attempts, giving up: {Error}", rij.Id, rij.Pogingen, voorLog);
        }
        else
        {
            logger.LogWarning(
                "Mail {Id} not sent (attempt {Attempt}), retrying in {Delay}: {Error}",
                rij.Id,
                rij.Pogingen,
                Wachttijd(rij.Pogingen),
                voorLog
            );
        }
        const string sql = """
            UPDATE mail_outbox
            SET laatste_fout = @Fout,
                volgende_poging_op = CASE WHEN @Opgeven THEN 'infinity'::timestamptz
                                          ELSE now() + @WachtSeconden * interval '1 second' END
            WHERE id = @Id AND verzonden_op IS NULL
            """;
        await databasePipeline.ExecuteAsync(
            async token =>
            {
                await using var connection = await dataSource.OpenConnectionAsync(token);
                await connection.ExecuteAsync(
                    new CommandDefinition(
                        sql,
                        new
                        {
                            rij.Id,
                            Fout = beschrijving,
                            Opgeven = opgeven,
                            WachtSeconden = (int)Wachttijd(rij.Pogingen).TotalSeconds,
                        },
                        cancellationToken: token
                    )
                );
            },
            CancellationToken.None
        );
    }

    /// <summary>Hands back claimed rows that were not tried in this pass, uncounted and due now.</summary>
    private async Task GeefVrijAsync(long[] ids)
    {
        if (ids.Length == 0)
        {
            return;
        }
        const string sql = """
            UPDATE mail_outbox SET pogingen = pogingen - 1, volgende_poging_op = now()
            WHERE id = ANY(@Ids) AND verzonden_op IS NULL
            """;
        await using var connection = await dataSource.OpenConnectionAsync(CancellationToken.None);
        await connection.ExecuteAsync(sql, new { Ids = ids });
    }

    private static async Task VerstuurAsync(
        SmtpClient client,
        MimeMessage bericht,
        MailOptions instellingen,
        CancellationToken cancellationToken
    )
    {
        try
        {
            if (!client.IsConnected)
            {
                await client.ConnectAsync(instellingen.SmtpHost, instellingen.SmtpPort, instellingen.Beveiliging, cancellationToken);
                if (!string.IsNullOrEmpty(instellingen.Gebruikersnaam))
                {
                    await client.AuthenticateAsync(instellingen.Gebruikersnaam, instellingen.Wachtwoord ?? "", cancellationToken);
                }
            }
            await client.SendAsync(bericht, cancellationToken);
        }
        catch (Exception exception) when (exception is not SmtpCommandException)
        {
            // The connection is in an unknown state: start the next try on a fresh one.
            await VerbreekAsync(client);
            throw;
        }
    }

    private static async Task VerbreekAsync(SmtpClient client)
    {
        if (!client.IsConnected)
        {
            return;
        }
        try
        {
            await client.DisconnectAsync(quit: true, CancellationToken.None);
        }
        catch (Exception exception)
            when (exception is IOException or SmtpProtocolException or System.Net.Sockets.SocketException or TimeoutException)
        {
            // Already broken; nothing left to close politely.
        }
    }

    /// <summary>UTF-8 plain text, with the HTML as alternative when there is one.</summary>
    private static MimeMessage MaakBericht(OutboxRij rij, MailOptions instellingen)
    {
        var afzender = MailboxAddress.Parse(instellingen.Afzender);
        var bericht = new MimeMessage();
        bericht.From.Add(afzender);
        bericht.To.Add(MailboxAddress.Parse(rij.Aan));
        bericht.Subject = rij.Onderwerp;
        // Stable per row, so a copy sent again in the duplicate window is recognisable as the same mail.
        bericht.MessageId = $"outbox.{rij.Id}.{new DateTimeOffset(rij.AangemaaktOp).ToUnixTimeMilliseconds()}@{afzender.Domain}";
        bericht.Body = new BodyBuilder { TextBody = rij.Tekst, HtmlBody = rij.Html }.ToMessageBody();
        return bericht;
    }

    /// <summary>A refusal that will not change by trying again: the recipient does not exist.</summary>
    private static bool IsPermanent(Exception exception) =>
        exception is SmtpCommandException { ErrorCode: SmtpErrorCode.RecipientNotAccepted } command && (int)command.StatusCode >= 500;

    /// <summary>What staff see in laatste_fout: type and message, no stack trace.</summary>
    private static string Beschrijf(Exception exception)
    {
        var tekst = exception is SmtpCommandException command
            ? $"SMTP {(int)command.StatusCode}: {command.Message}"
            : $"{exception.GetType().Name}: {exception.Message}";
        return tekst.Length <= MaxFoutLengte ? tekst : tekst[..MaxFoutLengte];
    }

    /// <summary>The text with every e-mail address replaced by <c>[adres]</c> (for logs).</summary>
    public static string ZonderAdressen(string tekst) => EmailPatroon().Replace(tekst, "[adres]");

    [System.Text.RegularExpressions.GeneratedRegex(@"[^\s<>""'(),;:]+@[^\s<>""'(),;:]+")]
    private static partial System.Text.RegularExpressions.Regex EmailPatroon();

    private sealed record OutboxRij(long Id, string Aan, string Onderwerp, string Tekst, string? Html, int Pogingen, DateTime AangemaaktOp);
}
