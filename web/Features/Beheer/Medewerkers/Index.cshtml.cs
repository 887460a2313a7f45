using Dapper;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Npgsql;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Features.Beheer.Accounts;

namespace Wijkmeldingen.Web.Features.Beheer.Medewerkers;

/// <summary>/beheer/medewerkers (beheerder): the staff accounts and inviting someone new.</summary>
public sealed class IndexModel(NpgsqlDataSource dataSource, MedewerkerAccounts accounts, IStringLocalizer<Wijkmeldingen.Web.BeheerTekst> b)
    : PageModel
{
    public sealed class Rij
    {
        public Guid Id { get; init; }
        public string Naam { get; init; } = "";
        public string Email { get; init; } = "";
        public string[] Rollen { get; init; } = [];
        public bool HeeftWachtwoord { get; init; }
        public DateTime? LockoutTot { get; init; }
        public bool Actief { get; init; }
    }

    public IReadOnlyList<Rij> Medewerkers { get; private set; } = [];

    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public string? Naam { get; set; }

    [BindProperty]
    public List<string> Rollen { get; set; } = [];

    public Dictionary<string, string> Fouten { get; } = [];

    [TempData]
    public string? Bericht { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LaadAsync(cancellationToken);

    public async Task<IActionResult> OnPostUitnodigenAsync(CancellationToken cancellationToken)
    {
        var email = Email?.Trim() ?? "";
        if (!EmailAdres.IsGeldig(email))
        {
            Fouten["email"] = b["medewerkers.fout.email"];
        }
        if (string.IsNullOrWhiteSpace(Naam) || Naam.Length > 200)
        {
            Fouten["naam"] = b["medewerkers.fout.naam"];
        }
        var rollen = Rollen.Where(Domein.Rollen.Alle.Contains).Distinct().ToList();
        if (rollen.Count == 0)
        {
            Fouten["rol"] = b["medewerkers.fout.rol"];
        }
        if (Fouten.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            await LaadAsync(cancellationToken);
            return Page();
        }
        await accounts.UitnodigenAsync(email, Naam!, rollen, Actor.Van(User), mailen: true, cancellationToken);
        Bericht = b["medewerkers.uitnodigen.ok", email];
        return RedirectToPage();
    }

    private async Task LaadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rijen = await connection.QueryAsync<Rij>(
            new CommandDefinition(
                """
                SELECT m.id, m.naam, m.email,
                       coalesce(array_agg(mr.rol ORDER BY mr.rol) FILTER (WHERE mr.rol IS NOT NULL), '{}'::text[]) AS rollen,
                       m.wachtwoord_hash IS NOT NULL AS heeftwachtwoord, m.lockout_tot AS lockouttot, m.actief
                FROM medewerker m
                LEFT JOIN medewerker_rol mr ON mr.medewerker_id = m.id
                GROUP BY m.gemeente_code, m.id
                ORDER BY m.naam
                """,
                cancellationToken: cancellationToken
            )
        );
        Medewerkers = rijen.AsList();
    }
}
