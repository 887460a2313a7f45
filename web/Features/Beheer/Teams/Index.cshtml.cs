using Dapper;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Npgsql;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Beheer.Teams;

/// <summary>/beheer/teams (beheerder): each team's mailbox, where urgent reports and the daily digest
/// of overdue ones go (empty: no team mail). Every change is audited. A staff member's team is set on
/// their own page (/beheer/medewerkers/{id}).</summary>
public sealed class IndexModel(NpgsqlDataSource dataSource, IStringLocalizer<Wijkmeldingen.Web.BeheerTekst> b) : PageModel
{
    public sealed record Team(short Id, string Code, string Naam, bool Actief, string? Email, int Medewerkers);

    public IReadOnlyList<Team> Teams { get; private set; } = [];

    /// <summary>The team whose form failed, with what was typed.</summary>
    public short? FoutTeam { get; private set; }
    public string? FoutEmail { get; private set; }
    public string? Fout { get; private set; }

    [TempData]
    public string? Bericht { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => Teams = await LaadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(short id, string? email, CancellationToken cancellationToken)
    {
        Teams = await LaadAsync(cancellationToken);
        if (Teams.FirstOrDefault(t => t.Id == id) is not { } voor)
        {
            return NotFound();
        }
        var nieuw = string.IsNullOrWhiteSpace(email) ? null : email.Trim();
        if (nieuw is not null && !EmailAdres.IsGeldig(nieuw))
        {
            FoutTeam = id;
            FoutEmail = email;
            Fout = b["teams.fout.email"];
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        if (!string.Equals(voor.Email, nieuw, StringComparison.Ordinal))
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await connection.ExecuteAsync(
                new CommandDefinition(
                    "UPDATE team SET email = @nieuw WHERE id = @id",
                    new { id, nieuw },
                    transaction,
                    cancellationToken: cancellationToken
                )
            );
            await Audit.SchrijfAsync(
                connection,
                transaction,
                Actor.Van(User),
                "team-mailbox",
                null,
                new
                {
                    voor.Id,
                    voor.Code,
                    voor.Email,
                },
                new
                {
                    voor.Id,
                    voor.Code,
                    Email = nieuw,
                },
                cancellationToken
            );
            await transaction.CommitAsync(cancellationToken);
        }
        Bericht = b["teams.ok", voor.Naam];
        return RedirectToPage();
    }

    private async Task<IReadOnlyList<Team>> LaadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (
            await connection.QueryAsync<Team>(
                new CommandDefinition(
                    """
                    SELECT t.id, t.code, t.naam, t.actief, t.email,
                           (SELECT count(*)::int FROM medewerker m WHERE m.team_id = t.id AND m.actief) AS medewerkers
                    FROM team t ORDER BY t.naam
                    """,
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();
    }
}
