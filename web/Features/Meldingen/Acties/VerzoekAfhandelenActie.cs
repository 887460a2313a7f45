using Dapper;
using Microsoft.Extensions.Localization;
using Npgsql;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Meldingen.Acties;

/// <summary>Marks a melder's request (e.g. remove personal data) as dealt with.</summary>
public sealed class VerzoekAfhandelenActie(NpgsqlDataSource dataSource, IStringLocalizer<Wijkmeldingen.Web.BeheerTekst> b)
{
    /// <summary>What the form gives.</summary>
    public sealed record Invoer(long Id, long VerzoekId);

    public async Task UitvoerenAsync(Invoer invoer, Actor door, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invoer);
        var (id, verzoekId) = invoer;
        ArgumentNullException.ThrowIfNull(door);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var soort = await connection.QuerySingleOrDefaultAsync<string>(
            new CommandDefinition(
                """
                UPDATE melding_verzoek SET afgehandeld_op = now()
                    WHERE id = @verzoekId AND melding_id = @id AND afgehandeld_op IS NULL
                    RETURNING soort
                """,
                new { id, verzoekId },
                transaction,
                cancellationToken: cancellationToken
            )
        ) ?? throw new GeweigerdException(b["actie.fout.verzoek"]);
        await Audit.SchrijfAsync(
            connection,
            transaction,
            door,
            "verzoek-afgehandeld",
            id,
            new { verzoek = verzoekId, soort },
            null,
            cancellationToken
        );
        await transaction.CommitAsync(cancellationToken);
    }
}
