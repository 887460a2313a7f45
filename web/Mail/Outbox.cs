using Dapper;
using MimeKit;
using Npgsql;

namespace Wijkmeldingen.Web.Mail;

/// <summary>A mail to queue. <see cref="Sleutel"/> is the idempotency key, e.g.
/// <c>melding-ontvangen:123</c>: a second message with the same key is ignored.</summary>
public sealed record OutboxBericht(string Sleutel, string Aan, string Onderwerp, string Tekst, string? Html = null);

/// <summary>
/// Queues mail in <c>mail_outbox</c>; <see cref="OutboxSender"/> sends it. Pass the caller's
/// transaction so the mail commits (or rolls back) with the change that caused it.
/// </summary>
public static class Outbox
{
    /// <returns>True when the message was queued, false when one with the same key already was.</returns>
    /// <exception cref="ArgumentException">The key is empty, the address does not parse, or the
    /// subject holds a line break; checked here so a bad message fails its caller, not the sender.</exception>
    public static async Task<bool> EnqueueAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction,
        OutboxBericht bericht,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(bericht);
        ArgumentException.ThrowIfNullOrWhiteSpace(bericht.Sleutel);
        if (!MailboxAddress.TryParse(bericht.Aan, out var aan) || string.IsNullOrEmpty(aan.Domain))
        {
            throw new ArgumentException("Not a valid e-mail address.", nameof(bericht));
        }
        if (bericht.Onderwerp.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            throw new ArgumentException("The subject must be a single line.", nameof(bericht));
        }

        const string sql = """
            INSERT INTO mail_outbox (sleutel, aan, onderwerp, tekst, html)
            VALUES (@Sleutel, @Aan, @Onderwerp, @Tekst, @Html)
            ON CONFLICT (sleutel) DO NOTHING
            """;
        var rows = await connection.ExecuteAsync(new CommandDefinition(sql, bericht, transaction, cancellationToken: cancellationToken));
        return rows == 1;
    }
}
