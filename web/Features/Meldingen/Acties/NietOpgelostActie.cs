using Dapper;
using Microsoft.Extensions.Localization;
using Npgsql;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Meldingen.Acties;

/// <summary>Staff decide on a resident's "Nog niet opgelost" (anyone may send one for a closed
/// public report; it never reopens by itself). Accept: the report is reopened through the usual status
/// flow (history entry, mails, audit) and every open request of the report is closed with it. Reject:
/// with a reason, which the public tracking page shows (the resident is anonymous). Both audited.</summary>
public sealed class NietOpgelostActie(NpgsqlDataSource dataSource, StatusActie status, IStringLocalizer<Wijkmeldingen.Web.BeheerTekst> b)
{
    /// <summary>What the forms give: the request, and the message (accept, optional) or reason (reject).</summary>
    public sealed record Invoer(long Id, long VerzoekId, string? Tekst);

    public async Task AccepterenAsync(Invoer invoer, Actor door, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invoer);
        ArgumentNullException.ThrowIfNull(door);
        var bericht = string.IsNullOrWhiteSpace(invoer.Tekst) ? null : invoer.Tekst.Trim();
        if (bericht is { Length: > 2000 })
        {
            throw new GeweigerdException(b["actie.fout.berichtlang"]);
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var rij = await Actie.VergrendelAsync(connection, transaction, invoer.Id, cancellationToken);
        await AfsluitenAsync(connection, transaction, invoer, "geaccepteerd", null, door, cancellationToken);
        if (!Levenscyclus.Mag(rij.Status, "heropend") || rij.Status == "heropend")
        {
            throw new GeweigerdException(b["actie.fout.overgang"]);
        }
        await status.WijzigenAsync(connection, transaction, rij, "heropend", bericht, null, door, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task AfwijzenAsync(Invoer invoer, Actor door, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invoer);
        ArgumentNullException.ThrowIfNull(door);
        var reden = invoer.Tekst?.Trim();
        if (string.IsNullOrEmpty(reden) || reden.Length > 2000)
        {
            throw new GeweigerdException(b["nietopgelost.fout.reden"]);
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await Actie.VergrendelAsync(connection, transaction, invoer.Id, cancellationToken);
        await AfsluitenAsync(connection, transaction, invoer, "afgewezen", reden, door, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task AfsluitenAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        Invoer invoer,
        string uitkomst,
        string? reden,
        Actor door,
        CancellationToken cancellationToken
    )
    {
        // Accepting reopens the report, which answers every open request of it; a rejection is one request.
        var gesloten = (
            await connection.QueryAsync<long>(
                new CommandDefinition(
                    """
                    UPDATE melding_heropenverzoek SET status = @uitkomst, reden = @reden, behandeld_door = @naam, behandeld_op = now()
                    WHERE melding_id = @Id AND status = 'open'
                      AND (id = @VerzoekId OR (@uitkomst = 'geaccepteerd'
                           AND EXISTS (SELECT 1 FROM melding_heropenverzoek h WHERE h.id = @VerzoekId AND h.status = 'open')))
                    RETURNING id
                    """,
                    new
                    {
                        invoer.Id,
                        invoer.VerzoekId,
                        uitkomst,
                        reden,
                        naam = door.Naam,
                    },
                    transaction,
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();
        if (!gesloten.Contains(invoer.VerzoekId))
        {
            throw new GeweigerdException(b["nietopgelost.fout.verzoek"]);
        }
        await Audit.SchrijfAsync(
            connection,
            transaction,
            door,
            $"nietopgelost-{uitkomst}",
            invoer.Id,
            new { verzoeken = gesloten, status = "open" },
            new
            {
                verzoeken = gesloten,
                status = uitkomst,
                reden,
            },
            cancellationToken
        );
    }
}
