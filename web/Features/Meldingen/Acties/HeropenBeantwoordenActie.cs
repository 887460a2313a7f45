using Dapper;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Npgsql;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Mail;

namespace Wijkmeldingen.Web.Features.Meldingen.Acties;

/// <summary>Answers a melder's "niet tevreden" answer without reopening: the answer goes to the
/// melder by mail (and shows on the tracking page) and the request is closed.</summary>
public sealed class HeropenBeantwoordenActie(
    NpgsqlDataSource dataSource,
    IOptions<MailOptions> mail,
    IStringLocalizer<Wijkmeldingen.Web.BeheerTekst> b
)
{
    /// <summary>What the form gives.</summary>
    public sealed record Invoer(long Id, long BeoordelingId, string? Antwoord);

    public async Task UitvoerenAsync(Invoer invoer, Actor door, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invoer);
        var (id, beoordelingId, antwoord) = invoer;
        ArgumentNullException.ThrowIfNull(door);
        antwoord = antwoord?.Trim();
        if (string.IsNullOrEmpty(antwoord) || antwoord.Length > 2000)
        {
            throw new GeweigerdException(b["heropen.fout.antwoord"]);
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var rij = await Actie.VergrendelAsync(connection, transaction, id, cancellationToken);
        await Actie.HeropenVerzoekAfsluitenAsync(
            connection,
            transaction,
            id,
            beoordelingId,
            "beantwoord",
            antwoord,
            door,
            b,
            cancellationToken
        );
        var email = await connection.QuerySingleOrDefaultAsync<string?>(
            new CommandDefinition(
                "SELECT email FROM melder_contact WHERE melding_id = @id AND email IS NOT NULL",
                new { id },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        if (email is not null)
        {
            await Outbox.EnqueueAsync(
                connection,
                transaction,
                new OutboxBericht(
                    Sleutel: $"heropen-antwoord:{beoordelingId}",
                    Aan: email,
                    Onderwerp: b["mail.heropen.onderwerp", rij.Volgcode],
                    Tekst: b["mail.heropen.tekst", rij.Rubriek, rij.Volgcode, antwoord, mail.Value.Link($"melding/{rij.Volgcode}")],
                    MeldingId: rij.Id
                ),
                cancellationToken
            );
        }
        await transaction.CommitAsync(cancellationToken);
    }
}
