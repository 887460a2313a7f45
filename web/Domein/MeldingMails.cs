using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Npgsql;
using Wijkmeldingen.Web.Mail;

namespace Wijkmeldingen.Web.Domein;

/// <summary>The e-mails around filing a report, queued in the caller's transaction through the
/// outbox, in the language the melder used.</summary>
public sealed class MeldingMails(IOptions<MailOptions> mail, IStringLocalizer<Tekst> t)
{
    public Task OntvangstAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        long id,
        string volgcode,
        string melderSleutel,
        string email,
        string rubriek,
        CancellationToken cancellationToken
    )
    {
        var opties = mail.Value;
        var bericht = new OutboxBericht(
            Sleutel: $"melding-ontvangen:{id}",
            Aan: email,
            Onderwerp: t["mail.ontvangst.onderwerp", volgcode],
            Tekst: t[
                "mail.ontvangst.tekst",
                rubriek,
                volgcode,
                opties.Link($"melding/{volgcode}"),
                opties.Link($"melding/{volgcode}/opvolgen/{melderSleutel}")
            ],
            MeldingId: id
        );
        return Outbox.EnqueueAsync(connection, transaction, bericht, cancellationToken);
    }

    public Task VolgenAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction,
        long meldingId,
        long volgerId,
        string volgcode,
        string rubriek,
        string email,
        string sleutel,
        CancellationToken cancellationToken
    )
    {
        var opties = mail.Value;
        var bericht = new OutboxBericht(
            Sleutel: $"melding-volgen:{volgerId}",
            Aan: email,
            Onderwerp: t["mail.volgen.onderwerp", volgcode],
            Tekst: t[
                "mail.volgen.tekst",
                volgcode,
                rubriek,
                opties.Link($"melding/{volgcode}"),
                opties.Link($"melding/{volgcode}/ontvolgen/{sleutel}")
            ],
            MeldingId: meldingId
        );
        return Outbox.EnqueueAsync(connection, transaction, bericht, cancellationToken);
    }
}
