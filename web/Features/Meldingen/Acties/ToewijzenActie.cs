using Dapper;
using Microsoft.Extensions.Localization;
using Npgsql;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Meldingen.Acties;

/// <summary>Assigns the report to a staff member ("{guid}"), a team ("team:{id}") or nobody ("").</summary>
public sealed class ToewijzenActie(NpgsqlDataSource dataSource, IStringLocalizer<Wijkmeldingen.Web.BeheerTekst> b)
{
    /// <summary>What the form gives.</summary>
    public sealed record Invoer(long Id, string? Aan);

    public async Task UitvoerenAsync(Invoer invoer, Actor door, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invoer);
        var (id, aan) = invoer;
        ArgumentNullException.ThrowIfNull(door);
        if (!Lees(aan, out var medewerker, out var team))
        {
            throw new GeweigerdException(b["actie.fout.toewijzen"]);
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var rij = await Actie.VergrendelAsync(connection, transaction, id, cancellationToken);
        await WijzigenAsync(connection, transaction, rij, medewerker, team, door, null, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Reads "{guid}", "team:{id}" or "" (nobody); false when it is none of these.</summary>
    internal static bool Lees(string? aan, out Guid? medewerker, out short? team)
    {
        medewerker = Guid.TryParse(aan, out var m) ? m : null;
        team = aan is not null && aan.StartsWith("team:", StringComparison.Ordinal) && short.TryParse(aan[5..], out var t) ? t : null;
        return string.IsNullOrEmpty(aan) || medewerker is not null || team is not null;
    }

    /// <summary>The assignment itself, in the caller's transaction on a locked row; <paramref name="reden"/>
    /// (a bulk action's reason) goes into the audit row.</summary>
    internal async Task WijzigenAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        Actie.Rij rij,
        Guid? medewerker,
        short? team,
        Actor door,
        string? reden,
        CancellationToken cancellationToken
    )
    {
        var id = rij.Id;
        // Assigning a person keeps the team (if any); assigning a team frees the person.
        var nieuwTeam = team ?? (medewerker is null ? null : rij.TeamId);
        try
        {
            await connection.ExecuteAsync(
                new CommandDefinition(
                    "UPDATE melding SET toegewezen_aan = @medewerker, team_id = @nieuwTeam, gewijzigd_op = now() WHERE id = @id",
                    new
                    {
                        id,
                        medewerker,
                        nieuwTeam,
                    },
                    transaction,
                    cancellationToken: cancellationToken
                )
            );
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            throw new GeweigerdException(b["actie.fout.toewijzen"]);
        }
        await Audit.SchrijfAsync(
            connection,
            transaction,
            door,
            "toewijzen",
            id,
            new { team = rij.TeamId, medewerker = rij.ToegewezenAan },
            reden is null
                ? new { team = nieuwTeam, medewerker }
                : new
                {
                    team = nieuwTeam,
                    medewerker,
                    reden,
                    bulk = true,
                },
            cancellationToken
        );
    }
}
