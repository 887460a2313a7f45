using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Wijkmeldingen.Web.Features.Beheer.Accounts;

namespace Wijkmeldingen.Web.Features.Beheer;

/// <summary>/beheer/wachtwoord/{id}?token=...: the link in an invitation. Sets the password with
/// Identity's reset token, which is bound to the account's security stamp, so it works once.</summary>
public sealed class WachtwoordModel(
    UserManager<Medewerker> users,
    IOptions<BeheerOptions> opties,
    IStringLocalizer<Wijkmeldingen.Web.BeheerTekst> b
) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "token")]
    public string? Token { get; set; }

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
        var result = await users.ResetPasswordAsync(medewerker, Token, Nieuw ?? "");
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
        Bericht = b["wachtwoord.klaar"];
        return Redirect("/beheer/inloggen");
    }
}
