using Dapper;
using Microsoft.AspNetCore.WebUtilities;
using Npgsql;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Meldingen.Werkplek;

/// <summary>A staff member's saved filters on the triage list (V73): the list's selection under a
/// name, applied as a link. The search words are left out on purpose (they may name a resident;
/// a saved filter lives as long as the account). Saving under an existing name replaces it.</summary>
public static class OpgeslagenFilters
{
    public const int NaamMaximum = 60;
    public const int Maximum = 30;

    public sealed record Filter(long Id, string Naam, string Query);

    public enum Uitkomst
    {
        Bewaard,
        NaamOngeldig,
        Leeg,
        TeVeel,
    }

    /// <summary>The selection to save: the filter without search words and page, as the list's query string.</summary>
    public static string Query(MeldingFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var zonder = MeldingFilter.UitQuery(new Microsoft.AspNetCore.Http.QueryCollection(QueryHelpers.ParseQuery(filter.AlsQuery())));
        zonder.Tekst = null;
        return zonder.AlsQuery();
    }

    public static async Task<IReadOnlyList<Filter>> LijstAsync(NpgsqlConnection connection, Guid ik, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return (
            await connection.QueryAsync<Filter>(
                new CommandDefinition(
                    "SELECT id, naam, query FROM medewerker_filter WHERE medewerker_id = @ik ORDER BY lower(naam), id",
                    new { ik },
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();
    }

    public static async Task<Uitkomst> BewaarAsync(
        NpgsqlConnection connection,
        Actor door,
        string? naam,
        MeldingFilter filter,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(door);
        naam = naam?.Trim();
        if (string.IsNullOrEmpty(naam) || naam.Length > NaamMaximum || naam.Any(char.IsControl))
        {
            return Uitkomst.NaamOngeldig;
        }
        var query = Query(filter);
        if (query.Length == 0)
        {
            return Uitkomst.Leeg;
        }
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // One staff member's filters are changed one request at a time (the count check below).
        await connection.ExecuteAsync(
            new CommandDefinition(
                "SELECT 1 FROM medewerker WHERE id = @Id FOR UPDATE",
                new { door.Id },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        var eerder = await connection.QuerySingleOrDefaultAsync<string?>(
            new CommandDefinition(
                "SELECT query FROM medewerker_filter WHERE medewerker_id = @Id AND naam = @naam",
                new { door.Id, naam },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        if (
            eerder is null
            && await connection.ExecuteScalarAsync<int>(
                new CommandDefinition(
                    "SELECT count(*) FROM medewerker_filter WHERE medewerker_id = @Id",
                    new { door.Id },
                    transaction,
                    cancellationToken: cancellationToken
                )
            ) >= Maximum
        )
        {
            return Uitkomst.TeVeel;
        }
        await connection.ExecuteAsync(
            new CommandDefinition(
                """
                INSERT INTO medewerker_filter (medewerker_id, naam, query) VALUES (@Id, @naam, @query)
                ON CONFLICT (gemeente_code, medewerker_id, naam) DO UPDATE SET query = excluded.query, aangemaakt_op = now()
                """,
                new
                {
                    door.Id,
                    naam,
                    query,
                },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        await Audit.SchrijfAsync(
            connection,
            transaction,
            door,
            "filter-bewaard",
            null,
            eerder is null ? null : new { naam, query = eerder },
            new { naam, query },
            cancellationToken
        );
        await transaction.CommitAsync(cancellationToken);
        return Uitkomst.Bewaard;
    }

    /// <summary>Removes one of the staff member's own filters; false when it is not theirs (or gone).</summary>
    public static async Task<bool> VerwijderAsync(NpgsqlConnection connection, Actor door, long id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(door);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var weg = await connection.QuerySingleOrDefaultAsync<Filter?>(
            new CommandDefinition(
                "DELETE FROM medewerker_filter WHERE id = @filter AND medewerker_id = @ik RETURNING id, naam, query",
                new { filter = id, ik = door.Id },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        if (weg is null)
        {
            return false;
        }
        await Audit.SchrijfAsync(
            connection,
            transaction,
            door,
            "filter-verwijderd",
            null,
            new { weg.Naam, weg.Query },
            null,
            cancellationToken
        );
        await transaction.CommitAsync(cancellationToken);
        return true;
    }
}
