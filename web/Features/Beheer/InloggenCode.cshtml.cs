using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Wijkmeldingen.Web.Features.Beheer.Accounts;

namespace Wijkmeldingen.Web.Features.Beheer;

/// <summary>/beheer/inloggen/code: the second step for accounts with an authenticator app. Wrong
/// codes count towards the lockout like wrong passwords.</summary>
public sealed class InloggenCodeModel(SignInManager<Medewerker> signIn, IStringLocalizer<Wijkmeldingen.Web.BeheerTekst> b) : PageModel
{
    [BindProperty]
    public string? Code { get; set; }

    [BindProperty(SupportsGet = true, Name = "terug")]
    public string? Terug { get; set; }

    public string? Fout { get; private set; }

    public async Task<IActionResult> OnGetAsync() =>
        await signIn.GetTwoFactorAuthenticationUserAsync() is null ? Redirect("/beheer/inloggen") : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        if (await signIn.GetTwoFactorAuthenticationUserAsync() is null)
        {
            return Redirect("/beheer/inloggen");
        }
        var code = (Code ?? "").Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        var result = await signIn.TwoFactorAuthenticatorSignInAsync(code, isPersistent: false, rememberClient: false);
        if (result.Succeeded)
        {
            return LocalRedirect(Url.IsLocalUrl(Terug) && Terug!.StartsWith("/beheer", StringComparison.Ordinal) ? Terug : "/beheer");
        }
        Fout = result.IsLockedOut ? b["inloggen.geblokkeerd.kort"] : b["tweestaps.fout"];
        return Page();
    }
}
