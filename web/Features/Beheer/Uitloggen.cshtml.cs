using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Wijkmeldingen.Web.Features.Beheer.Accounts;

namespace Wijkmeldingen.Web.Features.Beheer;

/// <summary>/beheer/uitloggen: POST only signs out (a link cannot sign anyone out).</summary>
public sealed class UitloggenModel(SignInManager<Medewerker> signIn, IStringLocalizer<Wijkmeldingen.Web.BeheerTekst> b) : PageModel
{
    [TempData]
    public string? Bericht { get; set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        await signIn.SignOutAsync();
        Bericht = b["uitloggen.klaar"];
        return Redirect("/beheer/inloggen");
    }
}
