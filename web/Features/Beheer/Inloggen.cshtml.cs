using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Wijkmeldingen.Web.Features.Beheer.Accounts;

namespace Wijkmeldingen.Web.Features.Beheer;

/// <summary>/beheer/inloggen: staff sign in with e-mail and password; repeated failures lock the
/// account for a while (Identity's lockout).</summary>
public sealed class InloggenModel(
    SignInManager<Medewerker> signIn,
    IOptions<BeheerOptions> opties,
    IStringLocalizer<Wijkmeldingen.Web.BeheerTekst> b,
    ILogger<InloggenModel> logger
) : PageModel
{
    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public string? Wachtwoord { get; set; }

    [BindProperty(SupportsGet = true, Name = "terug")]
    public string? Terug { get; set; }

    public string? Fout { get; private set; }

    [TempData]
    public string? Bericht { get; set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        if (string.IsNullOrWhiteSpace(Email) || string.IsNullOrEmpty(Wachtwoord))
        {
            Fout = b["inloggen.leeg"];
            return Page();
        }
        var result = await signIn.PasswordSignInAsync(Email.Trim(), Wachtwoord, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            return LocalRedirect(Url.IsLocalUrl(Terug) && Terug!.StartsWith("/beheer", StringComparison.Ordinal) ? Terug : "/beheer");
        }
        if (result.RequiresTwoFactor)
        {
            return Redirect("/beheer/inloggen/code" + (Terug is { Length: > 0 } ? "?terug=" + Uri.EscapeDataString(Terug) : ""));
        }
        if (result.IsLockedOut)
        {
            logger.LogWarning("Staff sign-in refused: account locked out");
            Fout = b["inloggen.geblokkeerd", opties.Value.LockoutMinuten];
        }
        else
        {
            logger.LogInformation("Staff sign-in failed");
            Fout = b["inloggen.onjuist"];
        }
        return Page();
    }
}
