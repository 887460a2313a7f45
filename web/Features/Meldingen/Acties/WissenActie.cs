using Dapper;
using Microsoft.Extensions.Localization;
using Npgsql;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Meldingen.Acties;

/// <summary>Staff confirm a melder's request to erase their data (AVG art. 17) that had to wait
/// because the report was still being handled: <see cref="PersoonsgegevensWissen"/> erases it, mails
/// the melder and writes the audit row with the staff member's name.</summary>
public sealed class WissenActie(
    NpgsqlDataSource dataSource,
    PersoonsgegevensWissen wissen,
    IStringLocalizer<Wijkmeldingen.Web.BeheerTekst> b
)
{
    /// <summary>What the form gives.</summary>
    public sealed record Invoer(long Id, long VerzoekId);

    public async Task UitvoerenAsync(Invoer invoer, Actor door, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invoer);
        ArgumentNullException.ThrowIfNull(door);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var open = await connection.QuerySingleAsync<bool>(
            new CommandDefinition(
                """
                SELECT EXISTS (SELECT 1 FROM melding_verzoek
                               WHERE id = @VerzoekId AND melding_id = @Id AND afgehandeld_op IS NULL
                                 AND soort = 'persoonsgegevens-verwijderen')
                """,
                invoer,
                transaction,
                cancellationToken: cancellationToken
            )
        );
        if (!open || !await wissen.UitvoerenAsync(connection, transaction, invoer.Id, door, cancellationToken))
        {
            throw new GeweigerdException(b["actie.fout.verzoek"]);
        }
        await transaction.CommitAsync(cancellationToken);
    }
}
