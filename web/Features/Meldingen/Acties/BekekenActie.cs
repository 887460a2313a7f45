using Dapper;
using Npgsql;

namespace Wijkmeldingen.Web.Features.Meldingen.Acties;

/// <summary>Staff opened the report: what the melder added before now is no longer "new".</summary>
public sealed class BekekenActie(NpgsqlDataSource dataSource)
{
    public async Task<DateTime?> UitvoerenAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<DateTime?>(
            new CommandDefinition(
                """
                UPDATE melding n SET bekeken_op = now() FROM melding o
                WHERE n.id = @id AND o.id = n.id
                RETURNING o.bekeken_op
                """,
                new { id },
                cancellationToken: cancellationToken
            )
        );
    }
}
