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
        var (email, taal, rubriek) = await connection.QuerySingleOrDefaultAsync<(string? Email, string? Taal, string? Rubriek)>(
            new CommandDefinition(
                """
                SELECT c.email, m.taal, in_taal(r.naam, r.naam_en, m.taal) AS rubriek
                FROM melder_contact c JOIN melding m ON m.id = c.melding_id JOIN rubriek r ON r.id = m.rubriek_id
                WHERE c.melding_id = @id AND c.email IS NOT NULL
                """,
                new { id },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        if (email is not null)
        {
            // In the language the melder filed in.
            using var melderTaal = Taal.In(taal);
            await Outbox.EnqueueAsync(
                connection,
                transaction,
                new OutboxBericht(
                    Sleutel: $"heropen-antwoord:{beoordelingId}",
                    Aan: email,
                    Onderwerp: b["mail.heropen.onderwerp", rij.Volgcode],
                    Tekst: b[
                        "mail.heropen.tekst",
                        rubriek ?? rij.Rubriek,
                        rij.Volgcode,
                        antwoord,
                        mail.Value.Link($"melding/{rij.Volgcode}")
                    ],
                    MeldingId: rij.Id
                ),
                cancellationToken
            );
        }
        await transaction.CommitAsync(cancellationToken);
    }
}
