using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Npgsql;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Features.Beheer.Accounts;

namespace Wijkmeldingen.Web.Features.Beheer;

/// <summary>/beheer/wachtwoord/{id}?token=...: the link in an invitation, or with <c>vergeten=1</c> the
/// link of a "forgot password" mail. Sets the password with Identity's reset token, which is bound to
/// the account's security stamp, so it works once; a "forgot password" token has its own provider and
/// a lifespan in minutes.</summary>
public sealed class WachtwoordModel(
    UserManager<Medewerker> users,
    WachtwoordVergeten vergeten,
    NpgsqlDataSource dataSource,
    IOptions<BeheerOptions> opties,
    IStringLocalizer<Wijkmeldingen.Web.BeheerTekst> b
) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "token")]
    public string? Token { get; set; }

    /// <summary>"1" in a "forgot password" link (the query string, and the form's hidden field).</summary>
    [BindProperty(SupportsGet = true, Name = "vergeten")]
    public string? VergetenWaarde { get; set; }

    public bool Vergeten => VergetenWaarde is "1" or "true";

    [BindProperty]
    public string? Nieuw { get; set; }

    [BindProperty]
    public string? Herhaal { get; set; }

    public string? Fout { get; private set; }

    public int MinimumLengte => opties.Value.WachtwoordMinimumLengte;

    [TempData]
    public string? Bericht { get; set; }

    public IActionResult OnGet() => string.IsNullOrEmpty(Token) ? NotFound() : Page();

    public async Task<IActionResult> OnPostAsync(Guid id)
    {
        if (string.IsNullOrEmpty(Token) || await users.FindByIdAsync(id.ToString()) is not { } medewerker)
        {
            return NotFound();
        }
        if (Nieuw != Herhaal)
        {
            Fout = b["wachtwoord.ongelijk"];
            return Page();
        }
        var token = Token;
        if (Vergeten)
        {
            if (!await vergeten.GeldigAsync(medewerker, Token))
            {
                Fout = b["wachtwoord.ongeldig"];
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return Page();
            }
            // Valid: set the password through the ordinary reset, which checks it and renews the stamp.
            token = await users.GeneratePasswordResetTokenAsync(medewerker);
        }
        var result = await users.ResetPasswordAsync(medewerker, token, Nieuw ?? "");
        if (!result.Succeeded)
        {
            Fout = result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.InvalidToken))
                ? b["wachtwoord.ongeldig"]
                : b["wachtwoord.tekort", MinimumLengte];
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        medewerker.EmailBevestigd = true;
        await users.UpdateAsync(medewerker);
        if (Vergeten)
        {
            await using var connection = await dataSource.OpenConnectionAsync(HttpContext.RequestAborted);
            await Audit.SchrijfAsync(
                connection,
                null,
                new Actor(medewerker.Id, medewerker.Naam),
                "wachtwoord-hersteld",
                null,
                null,
                new { medewerker.Id },
                HttpContext.RequestAborted
            );
        }
        Bericht = b["wachtwoord.klaar"];
        return Redirect("/beheer/inloggen");
    }
}
