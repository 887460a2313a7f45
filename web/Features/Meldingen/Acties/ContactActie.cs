using Dapper;
using Npgsql;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Meldingen.Acties;

/// <summary>The melder's contact details, for a member of staff who asked for them: every view
/// is written to the audit trail.</summary>
public sealed class ContactActie(NpgsqlDataSource dataSource)
{
    public async Task<MeldingDetail.Contact?> UitvoerenAsync(long id, Actor door, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(door);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var contact = await connection.QuerySingleOrDefaultAsync<MeldingDetail.Contact>(
            new CommandDefinition(
                "SELECT email, naam, telefoon FROM melder_contact WHERE melding_id = @id",
                new { id },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        await Audit.SchrijfAsync(
            connection,
            transaction,
            door,
            "contact-bekeken",
            id,
            null,
            new { aanwezig = contact is not null },
            cancellationToken
        );
        await transaction.CommitAsync(cancellationToken);
        return contact;
    }
}
