using Dapper;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Npgsql;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Beheer.Medewerkers;

/// <summary>/beheer/medewerkers/{id} (beheerder): change a staff member's name and roles, deactivate
/// or reactivate the account. Open sessions pick a change up on their next request: the security
/// stamp is checked (and the roles reloaded) on every request, and deactivating renews the stamp,
/// which ends them. Every change is written to the audit trail.
/// A beheerder cannot deactivate themselves or take away their own beheerder role.</summary>
public sealed class BewerkenModel(NpgsqlDataSource dataSource, IStringLocalizer<Wijkmeldingen.Web.BeheerTekst> b) : PageModel
{
    public sealed class Gegevens
    {
        public Guid Id { get; init; }
        public string Naam { get; init; } = "";
        public string Email { get; init; } = "";
        public bool Actief { get; init; }
        public string[] Rollen { get; init; } = [];
        public short? TeamId { get; init; }
        public bool TweestapsActief { get; init; }
    }

    public sealed record TeamKeuze(short Id, string Naam, bool Actief);

    public Gegevens Medewerker { get; private set; } = null!;

    public IReadOnlyList<TeamKeuze> Teams { get; private set; } = [];

    /// <summary>The team (empty: none). Bound as text so a bad value is an error message, not a 400 of the binder.</summary>
    [BindProperty]
    public string? Team { get; set; }

    [BindProperty]
    public string? Naam { get; set; }

    [BindProperty]
    public List<string> Rollen { get; set; } = [];

    public Dictionary<string, string> Fouten { get; } = [];

    [TempData]
    public string? Bericht { get; set; }

    public bool IsZelf(Guid id) => Actor.Van(User).Id == id;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await LaadAsync(id, cancellationToken) is not { } gegevens)
        {
            return NotFound();
        }
        Naam = gegevens.Naam;
        Rollen = [.. gegevens.Rollen];
        Team = gegevens.TeamId?.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Page();
    }

    public async Task<IActionResult> OnPostOpslaanAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await LaadAsync(id, cancellationToken) is not { } voor)
        {
            return NotFound();
        }
        var naam = Naam?.Trim() ?? "";
        var rollen = Rollen.Where(Domein.Rollen.Alle.Contains).Distinct().Order(StringComparer.Ordinal).ToArray();
        if (naam.Length is 0 or > 200)
        {
            Fouten["naam"] = b["medewerkers.fout.naam"];
        }
        short? teamId = null;
        if (!string.IsNullOrEmpty(Team))
        {
            if (
                short.TryParse(Team, System.Globalization.CultureInfo.InvariantCulture, out var t)
                && Teams.FirstOrDefault(k => k.Id == t) is { } team
                && (team.Actief || team.Id == voor.TeamId)
            )
            {
                teamId = t;
            }
            else
            {
                Fouten["team"] = b["medewerkers.fout.team"];
            }
        }
        if (rollen.Length == 0)
        {
            Fouten["rol"] = b["medewerkers.fout.rol"];
        }
        else if (IsZelf(id) && !rollen.Contains(Domein.Rollen.Beheerder))
        {
            Fouten["rol"] = b["medewerkers.fout.zelfbeheerder"];
        }
        if (Fouten.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(
            new CommandDefinition(
                """
                UPDATE medewerker SET naam = @naam, team_id = @teamId, concurrency_stamp = @stempel WHERE id = @id;
                DELETE FROM medewerker_rol WHERE medewerker_id = @id AND rol <> ALL(@rollen);
                INSERT INTO medewerker_rol (medewerker_id, rol) SELECT @id, unnest(@rollen) ON CONFLICT DO NOTHING;
                """,
                new
                {
                    id,
                    naam,
                    rollen,
                    teamId,
                    stempel = Guid.NewGuid().ToString("N"),
                },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        await Audit.SchrijfAsync(
            connection,
            transaction,
            Actor.Van(User),
            "medewerker-gewijzigd",
            null,
            new
            {
                voor.Id,
                voor.Naam,
                rollen = voor.Rollen,
                team = voor.TeamId,
            },
            new
            {
                voor.Id,
                naam,
                rollen,
                team = teamId,
            },
            cancellationToken
        );
        await transaction.CommitAsync(cancellationToken);
        Bericht = b["medewerkers.ok.gewijzigd", naam];
        return Redirect($"/beheer/medewerkers/{id}");
    }

    public Task<IActionResult> OnPostDeactiverenAsync(Guid id, CancellationToken cancellationToken) =>
        ActiefAsync(id, false, cancellationToken);

    public Task<IActionResult> OnPostActiverenAsync(Guid id, CancellationToken cancellationToken) =>
        ActiefAsync(id, true, cancellationToken);

    private async Task<IActionResult> ActiefAsync(Guid id, bool actief, CancellationToken cancellationToken)
    {
        if (await LaadAsync(id, cancellationToken) is not { } voor)
        {
            return NotFound();
        }
        Naam = voor.Naam;
        Rollen = [.. voor.Rollen];
        Team = voor.TeamId?.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!actief && IsZelf(id))
        {
            Fouten["actief"] = b["medewerkers.fout.zelf"];
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        if (voor.Actief != actief)
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            // A new stamp ends every session of a deactivated account on its next request.
            await connection.ExecuteAsync(
                new CommandDefinition(
                    "UPDATE medewerker SET actief = @actief, security_stamp = @stempel, concurrency_stamp = @stempel WHERE id = @id",
                    new
                    {
                        id,
                        actief,
                        stempel = Guid.NewGuid().ToString("N"),
                    },
                    transaction,
                    cancellationToken: cancellationToken
                )
            );
            await Audit.SchrijfAsync(
                connection,
                transaction,
                Actor.Van(User),
                actief ? "medewerker-geactiveerd" : "medewerker-gedeactiveerd",
                null,
                new
                {
                    voor.Id,
                    voor.Email,
                    actief = voor.Actief,
                },
                new
                {
                    voor.Id,
                    voor.Email,
                    actief,
                },
                cancellationToken
            );
            await transaction.CommitAsync(cancellationToken);
        }
        Bericht = b[actief ? "medewerkers.ok.geactiveerd" : "medewerkers.ok.gedeactiveerd", voor.Naam];
        return Redirect($"/beheer/medewerkers/{id}");
    }

    /// <summary>A beheerder switches a staff member's two-step sign-in off (lost phone): the key and
    /// the recovery codes go, the stamp is renewed (open sessions end), and it is audited. The staff
    /// member sets it up anew at their next sign-in (a beheerder must, when it is mandatory).</summary>
    public async Task<IActionResult> OnPostTweestapsResettenAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await LaadAsync(id, cancellationToken) is not { } voor)
        {
            return NotFound();
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var codes = await connection.ExecuteScalarAsync<int>(
            new CommandDefinition(
                """
                UPDATE medewerker SET tweestaps_actief = false, authenticator_sleutel = NULL,
                       security_stamp = @stempel, concurrency_stamp = @stempel WHERE id = @id;
                WITH weg AS (DELETE FROM medewerker_herstelcode WHERE medewerker_id = @id RETURNING 1) SELECT count(*)::int FROM weg;
                """,
                new { id, stempel = Guid.NewGuid().ToString("N") },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        await Audit.SchrijfAsync(
            connection,
            transaction,
            Actor.Van(User),
            "tweestaps-gereset",
            null,
            new
            {
                voor.Id,
                voor.Email,
                tweestaps = voor.TweestapsActief,
                herstelcodes = codes,
            },
            new
            {
                voor.Id,
                voor.Email,
                tweestaps = false,
            },
            cancellationToken
        );
        await transaction.CommitAsync(cancellationToken);
        Bericht = b["medewerkers.ok.tweestapsgereset", voor.Naam];
        return Redirect($"/beheer/medewerkers/{id}");
    }

    private async Task<Gegevens?> LaadAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var gegevens = await connection.QuerySingleOrDefaultAsync<Gegevens>(
            new CommandDefinition(
                """
                SELECT m.id, m.naam, m.email, m.actief, m.team_id AS teamid, m.tweestaps_actief AS tweestapsactief,
                       coalesce(array_agg(mr.rol ORDER BY mr.rol) FILTER (WHERE mr.rol IS NOT NULL), '{}'::text[]) AS rollen
                FROM medewerker m LEFT JOIN medewerker_rol mr ON mr.medewerker_id = m.id
                WHERE m.id = @id
                GROUP BY m.gemeente_code, m.id
                """,
                new { id },
                cancellationToken: cancellationToken
            )
        );
        if (gegevens is not null)
        {
            Medewerker = gegevens;
            Teams = (
                await connection.QueryAsync<TeamKeuze>(
                    new CommandDefinition("SELECT id, naam, actief FROM team ORDER BY naam", cancellationToken: cancellationToken)
                )
            ).AsList();
        }
        return gegevens;
    }
}
