using Dapper;
using MimeKit;
using Npgsql;

namespace Wijkmeldingen.Web.Mail;

/// <summary>A mail to queue. <see cref="Sleutel"/> is the idempotency key, e.g.
/// <c>melding-ontvangen:123</c>: a second message with the same key is ignored. <see cref="MeldingId"/> is the
/// report the mail is about, if any: the staff report page lists a report's mails by it.</summary>
public sealed record OutboxBericht(string Sleutel, string Aan, string Onderwerp, string Tekst, string? Html = null, long? MeldingId = null);

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
            INSERT INTO mail_outbox (sleutel, aan, onderwerp, tekst, html, melding_id)
            VALUES (@Sleutel, @Aan, @Onderwerp, @Tekst, @Html, @MeldingId)
            ON CONFLICT (gemeente_code, sleutel) DO NOTHING
            """;
        var rows = await connection.ExecuteAsync(new CommandDefinition(sql, bericht, transaction, cancellationToken: cancellationToken));
        return rows == 1;
    }

    /// <summary>An address as staff lists show it: the first character of the mailbox and the domain
    /// (<c>j…@example.nl</c>), enough to tell the melder's mail from a team's without showing who.</summary>
    public static string Gemaskeerd(string adres)
    {
        ArgumentNullException.ThrowIfNull(adres);
        var at = adres.LastIndexOf('@');
        if (at <= 0 || at == adres.Length - 1)
        {
            return "…";
        }
        return string.Concat(adres.AsSpan(0, 1), "…", adres.AsSpan(at));
    }
}
