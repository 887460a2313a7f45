using Dapper;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Npgsql;
using Wijkmeldingen.Web.Mail;

namespace Wijkmeldingen.Web.Domein;

/// <summary>
/// The erasure of a melder's data at their request (AVG art. 17, "Persoonsgegevens laten verwijderen"
/// on the private follow-up page). What is erased is what the retention rule erases after years
/// (<see cref="Bewaartermijnen.AnonimiseerAsync"/>: contact details, the melder's text, additions,
/// photos, answers, staff questions, the free texts in the audit trail; the place moved to a point in
/// the buurt), so the report stays in the statistics without anything that leads to the melder.
/// <para><b>What blocks an automatic erasure</b> (<see cref="BlokkadeAsync"/>): the report is still being
/// handled (not closed: gemeld, in behandeling, doorgezet, heropend), or a "Nog niet opgelost" request on
/// it is waiting for staff. Staff then need the text to finish the work, and the request waits on the
/// report page until a member of staff confirms the erasure there (or marks it dealt with otherwise).
/// A closed report with nothing pending is erased at once. Either way the melder gets a confirmation
/// mail in their own language, queued before the address goes (the outbox keeps the sent mail for
/// Mail:BewaarVerzondenDagen), and an audit row says who erased (a staff name, or "melder" when it ran at once).</para>
/// </summary>
public sealed class PersoonsgegevensWissen(IStringLocalizer<Tekst> t, IOptions<MailOptions> mail, TimeProvider klok)
{
    public const string AuditActie = "persoonsgegevens-gewist";

    /// <summary>Why the erasure must wait for staff, as a resource key (<c>wissen.blokkade.*</c>), or null.</summary>
    public static Task<string?> BlokkadeAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction,
        long meldingId,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(connection);
        return connection.QuerySingleOrDefaultAsync<string?>(
            new CommandDefinition(
                """
                SELECT CASE
                         WHEN NOT s.gesloten THEN 'wissen.blokkade.lopend'
                         WHEN EXISTS (SELECT 1 FROM melding_heropenverzoek h WHERE h.melding_id = m.id AND h.status = 'open')
                           THEN 'wissen.blokkade.heropen'
                       END
                FROM melding m JOIN meldingstatus s ON s.code = m.status
                WHERE m.id = @meldingId
                """,
                new { meldingId },
                transaction,
                cancellationToken: cancellationToken
            )
        );
    }

    /// <summary>Erases the melder's data of one report in the caller's transaction and answers every open
    /// erasure request of it. <paramref name="door"/> is the staff member who confirmed, null when
    /// nothing blocked it. Returns false when the report was erased already (nothing to do).</summary>
    public async Task<bool> UitvoerenAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        long meldingId,
        Actor? door,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(connection);
        var rij = await connection.QuerySingleOrDefaultAsync<(string Volgcode, string Taal, string? Email)?>(
            new CommandDefinition(
                """
                SELECT m.volgcode, m.taal, c.email
                FROM melding m LEFT JOIN melder_contact c ON c.melding_id = m.id
                WHERE m.id = @meldingId AND m.geanonimiseerd_op IS NULL
                FOR UPDATE OF m
                """,
                new { meldingId },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        if (rij is not { } melding)
        {
            return false;
        }
        if (melding.Email is { } email && !string.IsNullOrWhiteSpace(email))
        {
            using (Taal.In(melding.Taal))
            {
                await Outbox.EnqueueAsync(
                    connection,
                    transaction,
                    // Without a MeldingId on purpose: the erasure below deletes the report's mails,
                    // and this confirmation must still go out.
                    new OutboxBericht(
                        Sleutel: $"persoonsgegevens-gewist:{meldingId}",
                        Aan: email,
                        Onderwerp: t["mail.gewist.onderwerp", melding.Volgcode],
                        Tekst: t["mail.gewist.tekst", melding.Volgcode, mail.Value.Link($"melding/{melding.Volgcode}")]
                    ),
                    cancellationToken
                );
            }
        }
        var verzoeken = (
            await connection.QueryAsync<long>(
                new CommandDefinition(
                    """
                    UPDATE melding_verzoek SET afgehandeld_op = coalesce(afgehandeld_op, now()), gewist_op = now(), gewist_door = @door
                    WHERE melding_id = @meldingId AND afgehandeld_op IS NULL
                    RETURNING id
                    """,
                    new { meldingId, door = door?.Naam ?? "automatisch" },
                    transaction,
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();
        await Bewaartermijnen.AnonimiseerAsync(connection, transaction, [meldingId], klok.GetUtcNow(), cancellationToken);
        // Staff questions and their answers go now, not at the next clean-up round.
        await connection.ExecuteAsync(
            new CommandDefinition(
                "DELETE FROM melding_vraag WHERE melding_id = @meldingId",
                new { meldingId },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        var na = new
        {
            verzoeken,
            automatisch = door is null,
            bevestigd = melding.Email is not null,
        };
        // Staff who confirmed, or else the melder whose request it carried out.
        await (
            door is null
                ? Audit.SchrijfVanBewonerAsync(connection, transaction, Audit.Melder, AuditActie, meldingId, null, na, cancellationToken)
                : Audit.SchrijfAsync(connection, transaction, door, AuditActie, meldingId, null, na, cancellationToken)
        );
        return true;
    }
}
