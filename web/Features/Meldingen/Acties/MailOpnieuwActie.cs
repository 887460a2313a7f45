using Dapper;
using Microsoft.Extensions.Localization;
using Npgsql;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Meldingen.Acties;

/// <summary>"Opnieuw versturen" of a mail about the report that the sender gave up on: queues a fresh
/// copy through the outbox (same recipient, subject and text, under the key
/// <c>opnieuw:&lt;id&gt;:&lt;original key&gt;</c>), once. A second click, or a click on another node,
/// finds the key taken and queues nothing. Audited without the address or the text.</summary>
public sealed class MailOpnieuwActie(NpgsqlDataSource dataSource, IStringLocalizer<Wijkmeldingen.Web.BeheerTekst> b)
{
    public sealed record Invoer(long Id, long MailId);

    /// <returns>True when a copy was queued; false when one already was (a double click).</returns>
    public async Task<bool> UitvoerenAsync(Invoer invoer, Actor door, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invoer);
        ArgumentNullException.ThrowIfNull(door);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var rij = await Actie.VergrendelAsync(connection, transaction, invoer.Id, cancellationToken);
        var mail = await connection.QuerySingleOrDefaultAsync<(string Sleutel, bool Verzonden, bool Opgegeven)?>(
            new CommandDefinition(
                """
                SELECT sleutel, verzonden_op IS NOT NULL, volgende_poging_op = 'infinity'
                FROM mail_outbox WHERE id = @MailId AND melding_id = @Id
                """,
                new { invoer.MailId, rij.Id },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        if (mail is not { } m)
        {
            throw new GeweigerdException(b["mails.fout.onbekend"]);
        }
        if (m.Verzonden || !m.Opgegeven)
        {
            throw new GeweigerdException(b["mails.fout.nietmislukt"]);
        }
        var kopie = await connection.QuerySingleOrDefaultAsync<long?>(
            new CommandDefinition(
                """
                INSERT INTO mail_outbox (sleutel, aan, onderwerp, tekst, html, melding_id)
                SELECT @Prefix || id || ':' || sleutel, aan, onderwerp, tekst, html, melding_id
                FROM mail_outbox WHERE id = @MailId
                ON CONFLICT (gemeente_code, sleutel) DO NOTHING
                RETURNING id
                """,
                new { Prefix = MeldingDetail.OpnieuwPrefix, invoer.MailId },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        if (kopie is not { } nieuw)
        {
            return false;
        }
        await Audit.SchrijfAsync(
            connection,
            transaction,
            door,
            "mail-opnieuw",
            rij.Id,
            new
            {
                mail = invoer.MailId,
                soort = MeldingDetail.MailSoort(m.Sleutel),
                staat = "mislukt",
            },
            new { mail = invoer.MailId, kopie = nieuw },
            cancellationToken
        );
        await transaction.CommitAsync(cancellationToken);
        return true;
    }
}
