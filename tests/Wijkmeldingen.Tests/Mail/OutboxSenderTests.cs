using Dapper;
using MimeKit;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Mail;

namespace Wijkmeldingen.Tests.Mail;

/// <summary>Sending: the right mail arrives once, nothing is lost while the SMTP server is down,
/// several senders never send a row twice, and sent mail is deleted after the retention period.</summary>
public sealed class OutboxSenderTests : MailTest
{
    [Fact]
    public async Task Queued_mail_is_sent_once_with_its_address_subject_and_Dutch_text()
    {
        using var smtp = TestSmtpServer.Start();
        var sender = CreateSender(smtp.Port);
        const string tekst =
            "Beste mevrouw Öztürk,\n\nWe hebben uw melding over het café aan de Binnenweg ontvangen.\n"
            + "Volg haar op http://127.0.0.1:5080/volgen/ABCD-EFGH-JKMN-PQRS.\n\n"
            + "Met vriendelijke groet,\nGemeente Heemstede – team Openbare Ruimte";
        const string html = "<p>Beste mevrouw Öztürk,</p><p>We hebben uw melding over het café ontvangen.</p>";
        var queued = await EnqueueAsync(
            new OutboxBericht(
                "melding-ontvangen:123",
                "Ayşe Öztürk <ayse@example.nl>",
                "Uw melding over het café is ontvangen – één stap verder",
                tekst,
                html
            )
        );

        var sent = await sender.VerzendOpenstaandeAsync(CancellationToken.None);
        await MakeDueAsync();
        var sentAgain = await sender.VerzendOpenstaandeAsync(CancellationToken.None);

        Assert.True(queued);
        Assert.Equal(1, sent);
        Assert.Equal(0, sentAgain);
        var mail = Assert.Single(smtp.Messages);
        var aan = Assert.Single(mail.To.Mailboxes);
        Assert.Equal(("Ayşe Öztürk", "ayse@example.nl"), (aan.Name, aan.Address));
        var van = Assert.Single(mail.From.Mailboxes);
        Assert.Equal(("Wijkmeldingen Heemstede", "noreply@heemstede.nl"), (van.Name, van.Address));
        Assert.Equal("Uw melding over het café is ontvangen – één stap verder", mail.Subject);
        Assert.Equal(tekst, (mail.TextBody ?? "").ReplaceLineEndings("\n"));
        Assert.Equal(html, (mail.HtmlBody ?? "").ReplaceLineEndings("\n"));
        Assert.IsType<MultipartAlternative>(mail.Body);
        Assert.Equal("utf-8", mail.BodyParts.OfType<TextPart>().Single(p => p.IsPlain).ContentType.Charset, ignoreCase: true);
        var row = await RowAsync("melding-ontvangen:123");
        Assert.NotNull(row.VerzondenOp);
        Assert.Equal(1, row.Pogingen);
    }

    [Fact]
    public async Task Plain_text_mail_has_no_html_part()
    {
        using var smtp = TestSmtpServer.Start();
        var sender = CreateSender(smtp.Port);
        await EnqueueAsync(new OutboxBericht("status:5", "melder@example.nl", "Status gewijzigd", "Uw melding is afgehandeld."));

        await sender.VerzendOpenstaandeAsync(CancellationToken.None);

        var mail = Assert.Single(smtp.Messages);
        var part = Assert.IsType<TextPart>(mail.Body);
        Assert.True(part.IsPlain);
        Assert.Equal("Uw melding is afgehandeld.", (mail.TextBody ?? "").TrimEnd());
    }

    [Fact]
    public async Task Mail_survives_an_smtp_server_that_is_down_and_is_sent_exactly_once_when_it_is_back()
    {
        var port = TestSmtpServer.FreePort();
        var sender = CreateSender(port);
        await EnqueueAsync(new OutboxBericht("melding-ontvangen:9", "melder@example.nl", "Ontvangen", "Uw melding is ontvangen."));

        var sentWhileDown = await sender.VerzendOpenstaandeAsync(CancellationToken.None);
        var afterFailure = await RowAsync("melding-ontvangen:9");

        Assert.Equal(0, sentWhileDown);
        Assert.Null(afterFailure.VerzondenOp);
        Assert.Equal(1, afterFailure.Pogingen);
        Assert.False(string.IsNullOrWhiteSpace(afterFailure.LaatsteFout));
        Assert.DoesNotContain(" at ", afterFailure.LaatsteFout, StringComparison.Ordinal);
        Assert.True(afterFailure.LaterDue, "a failed mail waits for its backoff");
        Assert.False(afterFailure.GivenUp);

        using var smtp = TestSmtpServer.Start(port);
        var sentBeforeDue = await sender.VerzendOpenstaandeAsync(CancellationToken.None);
        await MakeDueAsync();
        var sentWhenUp = await sender.VerzendOpenstaandeAsync(CancellationToken.None);
        await MakeDueAsync();
        var sentAfterwards = await sender.VerzendOpenstaandeAsync(CancellationToken.None);

        Assert.Equal(0, sentBeforeDue);
        Assert.Equal(1, sentWhenUp);
        Assert.Equal(0, sentAfterwards);
        Assert.Equal("Ontvangen", Assert.Single(smtp.Messages).Subject);
        var afterSending = await RowAsync("melding-ontvangen:9");
        Assert.NotNull(afterSending.VerzondenOp);
        Assert.Equal(2, afterSending.Pogingen);
    }

    [Fact]
    public async Task Smtp_server_going_down_mid_stream_and_coming_back_loses_nothing_and_sends_nothing_twice()
    {
        // The fault benchmark of issue #9: mail keeps being queued while the SMTP server is up, then
        // down for several passes, then up again (a new server process on the same port), with two
        // senders working at once.
        const int Aantal = 40;
        var port = TestSmtpServer.FreePort();
        var first = CreateSender(port, ("Mail:BatchGrootte", "4"));
        var second = CreateSender(port, ("Mail:BatchGrootte", "4"));
        var ontvangen = new List<MimeMessage>();
        for (var i = 1; i <= Aantal / 2; i++)
        {
            await EnqueueAsync(new OutboxBericht($"melding-ontvangen:{i}", $"melder{i}@example.nl", $"Melding {i}", "Tekst"));
        }

        var sentBeforeOutage = 0;
        using (var smtp = TestSmtpServer.Start(port))
        {
            sentBeforeOutage = (
                await Task.WhenAll(
                    first.VerzendOpenstaandeAsync(CancellationToken.None),
                    second.VerzendOpenstaandeAsync(CancellationToken.None)
                )
            ).Sum();
            ontvangen.AddRange(smtp.Messages);
        }
        var sentWhileDown = 0;
        for (var i = Aantal / 2 + 1; i <= Aantal; i++)
        {
            await EnqueueAsync(new OutboxBericht($"melding-ontvangen:{i}", $"melder{i}@example.nl", $"Melding {i}", "Tekst"));
        }
        for (var pass = 0; pass < 4; pass++)
        {
            await MakeDueAsync();
            sentWhileDown += (
                await Task.WhenAll(
                    first.VerzendOpenstaandeAsync(CancellationToken.None),
                    second.VerzendOpenstaandeAsync(CancellationToken.None)
                )
            ).Sum();
        }
        await using (var connection = await DataSource.OpenConnectionAsync())
        {
            Assert.Equal(
                Aantal - sentBeforeOutage,
                await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM mail_outbox WHERE verzonden_op IS NULL")
            );
            // The senders did try (and recorded why it failed) rather than skip the rows.
            Assert.True(
                await connection.ExecuteScalarAsync<long>(
                    "SELECT count(*) FROM mail_outbox WHERE verzonden_op IS NULL AND pogingen > 0 AND laatste_fout IS NOT NULL"
                ) >= 8
            );
        }

        var sentWhenBack = 0;
        using (var smtp = TestSmtpServer.Start(port))
        {
            for (var pass = 0; pass < 30; pass++)
            {
                await MakeDueAsync();
                var sent = (
                    await Task.WhenAll(
                        first.VerzendOpenstaandeAsync(CancellationToken.None),
                        second.VerzendOpenstaandeAsync(CancellationToken.None)
                    )
                ).Sum();
                sentWhenBack += sent;
                if (sent == 0 && pass > 0)
                {
                    break;
                }
            }
            ontvangen.AddRange(smtp.Messages);
        }

        Assert.Equal(8, sentBeforeOutage);
        Assert.Equal(0, sentWhileDown);
        Assert.Equal(Aantal - sentBeforeOutage, sentWhenBack);
        Assert.Equal(
            Enumerable.Range(1, Aantal).Select(i => $"Melding {i}").Order(StringComparer.Ordinal),
            ontvangen.Select(m => m.Subject).Order(StringComparer.Ordinal)
        );
        Assert.Equal(Aantal, ontvangen.Select(m => m.MessageId).Distinct().Count());
        await using (var connection = await DataSource.OpenConnectionAsync())
        {
            Assert.Equal(
                Aantal,
                await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM mail_outbox WHERE verzonden_op IS NOT NULL")
            );
        }
    }

    [Fact]
    public async Task Gives_up_after_the_maximum_attempts_and_keeps_the_row_with_its_error_for_staff()
    {
        var port = TestSmtpServer.FreePort();
        var sender = CreateSender(port, ("Mail:MaxPogingen", "2"));
        await EnqueueAsync(new OutboxBericht("melding-ontvangen:10", "melder@example.nl", "Ontvangen", "Tekst"));

        await sender.VerzendOpenstaandeAsync(CancellationToken.None);
        var afterFirst = await RowAsync("melding-ontvangen:10");
        await MakeDueAsync();
        await sender.VerzendOpenstaandeAsync(CancellationToken.None);
        var afterSecond = await RowAsync("melding-ontvangen:10");
        using var smtp = TestSmtpServer.Start(port);
        await MakeDueAsync();
        var sentAfterGivingUp = await sender.VerzendOpenstaandeAsync(CancellationToken.None);

        Assert.False(afterFirst.GivenUp);
        Assert.True(afterSecond.GivenUp);
        Assert.Equal(2, afterSecond.Pogingen);
        Assert.NotNull(afterSecond.LaatsteFout);
        Assert.Equal(0, sentAfterGivingUp);
        Assert.Empty(smtp.Messages);
        var row = await RowAsync("melding-ontvangen:10");
        Assert.Null(row.VerzondenOp);
        Assert.Equal(afterSecond.LaatsteFout, row.LaatsteFout);
    }

    [Fact]
    public async Task Two_senders_at_once_send_every_mail_exactly_once()
    {
        using var smtp = TestSmtpServer.Start();
        var first = CreateSender(smtp.Port, ("Mail:BatchGrootte", "3"));
        var second = CreateSender(smtp.Port, ("Mail:BatchGrootte", "3"));
        for (var i = 1; i <= 30; i++)
        {
            await EnqueueAsync(new OutboxBericht($"melding-ontvangen:{i}", $"melder{i}@example.nl", $"Melding {i}", "Tekst"));
        }

        var sent = await Task.WhenAll(DrainAsync(first), DrainAsync(second));

        Assert.Equal(30, sent.Sum());
        var subjects = smtp.Messages.Select(m => m.Subject).ToList();
        Assert.Equal(30, subjects.Count);
        Assert.Equal(
            Enumerable.Range(1, 30).Select(i => $"Melding {i}").Order(StringComparer.Ordinal),
            subjects.Order(StringComparer.Ordinal)
        );
        await using var connection = await DataSource.OpenConnectionAsync();
        Assert.Equal(
            30,
            await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM mail_outbox WHERE verzonden_op IS NOT NULL AND pogingen = 1")
        );

        static async Task<int> DrainAsync(OutboxSender sender)
        {
            var total = 0;
            int sent;
            while ((sent = await sender.VerzendOpenstaandeAsync(CancellationToken.None)) > 0)
            {
                total += sent;
            }
            return total;
        }
    }

    [Fact]
    public async Task A_pass_skips_rows_another_process_is_claiming_instead_of_waiting_or_taking_them()
    {
        using var smtp = TestSmtpServer.Start();
        var sender = CreateSender(smtp.Port);
        for (var i = 1; i <= 5; i++)
        {
            await EnqueueAsync(new OutboxBericht($"melding-ontvangen:{i}", "melder@example.nl", $"Melding {i}", "Tekst"));
        }
        await using var otherProcess = await DataSource.OpenConnectionAsync();
        await using var claim = await otherProcess.BeginTransactionAsync();
        await otherProcess.ExecuteAsync(
            "SELECT id FROM mail_outbox WHERE sleutel IN ('melding-ontvangen:1', 'melding-ontvangen:2') FOR UPDATE",
            transaction: claim
        );

        // Only a safety net so a sender that waits for the lock fails instead of hanging the run.
        using var safety = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var sentWhileLocked = await sender.VerzendOpenstaandeAsync(safety.Token);
        var subjectsWhileLocked = smtp.Messages.Select(m => m.Subject).Order(StringComparer.Ordinal).ToList();
        await claim.RollbackAsync();
        var sentAfterwards = await sender.VerzendOpenstaandeAsync(CancellationToken.None);

        Assert.Equal(3, sentWhileLocked);
        Assert.Equal(["Melding 3", "Melding 4", "Melding 5"], subjectsWhileLocked);
        Assert.Equal(2, sentAfterwards);
        Assert.Equal(5, smtp.Messages.Count);
    }

    [Fact]
    public async Task Retention_deletes_old_sent_mail_but_keeps_unsent_mail()
    {
        var sender = CreateSender(TestSmtpServer.FreePort(), ("Mail:BewaarVerzondenDagen", "10"));
        await using var connection = await DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(
            """
            INSERT INTO mail_outbox
                (sleutel, aan, onderwerp, tekst, aangemaakt_op, verzonden_op, volgende_poging_op, pogingen, laatste_fout) VALUES
                ('verzonden-11-dagen', 'a@example.nl', 'x', 'x',
                 now() - interval '11 days', now() - interval '11 days', now() - interval '11 days', 1, NULL),
                ('verzonden-9-dagen',  'b@example.nl', 'x', 'x',
                 now() - interval '9 days',  now() - interval '9 days',  now() - interval '9 days',  1, NULL),
                ('opgegeven-90-dagen', 'c@example.nl', 'x', 'x',
                 now() - interval '90 days', NULL, 'infinity', 10, 'SocketException: Connection refused'),
                ('wacht-40-dagen',     'd@example.nl', 'x', 'x',
                 now() - interval '40 days', NULL, now() + interval '1 hour', 3, 'SMTP 451: try again')
            """
        );

        var deleted = await sender.RuimOpAsync(CancellationToken.None);

        Assert.Equal(1, deleted);
        Assert.Equal(
            ["opgegeven-90-dagen", "verzonden-9-dagen", "wacht-40-dagen"],
            await connection.QueryAsync<string>("SELECT sleutel FROM mail_outbox ORDER BY sleutel")
        );
    }
}
