using Dapper;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Mail;

namespace Wijkmeldingen.Tests.Mail;

/// <summary>Queueing: idempotent per key, part of the caller's transaction, bad input refused.</summary>
public sealed class OutboxTests : MailTest
{
    [Fact]
    public async Task Same_key_queued_twice_gives_one_row_and_one_mail()
    {
        using var smtp = TestSmtpServer.Start();
        var sender = CreateSender(smtp.Port);

        var first = await EnqueueAsync(new OutboxBericht("melding-ontvangen:42", "melder@example.nl", "Eerste", "Eerste versie"));
        var second = await EnqueueAsync(new OutboxBericht("melding-ontvangen:42", "melder@example.nl", "Tweede", "Tweede versie"));
        var sent = await sender.VerzendOpenstaandeAsync(CancellationToken.None);
        var afterSending = await EnqueueAsync(new OutboxBericht("melding-ontvangen:42", "melder@example.nl", "Derde", "Derde versie"));
        var sentAgain = await sender.VerzendOpenstaandeAsync(CancellationToken.None);

        Assert.True(first);
        Assert.False(second);
        Assert.False(afterSending);
        Assert.Equal(1, sent);
        Assert.Equal(0, sentAgain);
        await using var connection = await DataSource.OpenConnectionAsync();
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM mail_outbox"));
        Assert.Equal("Eerste", Assert.Single(smtp.Messages).Subject);
    }

    [Fact]
    public async Task Mail_queued_in_a_transaction_that_rolls_back_is_never_sent()
    {
        using var smtp = TestSmtpServer.Start();
        var sender = CreateSender(smtp.Port);
        await using var connection = await DataSource.OpenConnectionAsync();

        await using (var transaction = await connection.BeginTransactionAsync())
        {
            Assert.True(
                await Outbox.EnqueueAsync(
                    connection,
                    transaction,
                    new OutboxBericht("melding-ontvangen:7", "melder@example.nl", "Ontvangen", "Tekst")
                )
            );
            await transaction.RollbackAsync();
        }
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            Assert.True(
                await Outbox.EnqueueAsync(
                    connection,
                    transaction,
                    new OutboxBericht("melding-ontvangen:8", "melder@example.nl", "Ontvangen", "Tekst")
                )
            );
            await transaction.CommitAsync();
        }
        var sent = await sender.VerzendOpenstaandeAsync(CancellationToken.None);

        Assert.Equal(1, sent);
        Assert.Equal(["melding-ontvangen:8"], await connection.QueryAsync<string>("SELECT sleutel FROM mail_outbox"));
        Assert.Single(smtp.Messages);
    }

    [Theory]
    [InlineData("", "melder@example.nl", "Onderwerp")]
    [InlineData("melding-ontvangen:1", "geen adres", "Onderwerp")]
    [InlineData("melding-ontvangen:1", "melder", "Onderwerp")]
    [InlineData("melding-ontvangen:1", "melder@example.nl", "Onderwerp\r\nBcc: iedereen@example.nl")]
    public async Task Refuses_a_message_the_sender_could_never_send(string sleutel, string aan, string onderwerp)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => EnqueueAsync(new OutboxBericht(sleutel, aan, onderwerp, "Tekst")));

        await using var connection = await DataSource.OpenConnectionAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM mail_outbox"));
    }
}
