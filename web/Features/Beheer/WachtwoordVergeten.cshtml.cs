using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Features.Beheer.Accounts;

namespace Wijkmeldingen.Web.Features.Beheer;

/// <summary>/beheer/wachtwoord-vergeten: a staff member asks for a set-password link by e-mail. The
/// answer is the same whether or not the address has an account (and when the per-account limit is
/// reached); too many requests from one client address get a 429.</summary>
public sealed class WachtwoordVergetenModel(
    WachtwoordVergeten vergeten,
    WachtwoordVergetenLimiet limiet,
    IStringLocalizer<Wijkmeldingen.Web.BeheerTekst> b
) : PageModel
{
    [BindProperty]
    public string? Email { get; set; }

    public string? Fout { get; private set; }

    public bool Verstuurd { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var email = Email?.Trim() ?? "";
        if (!EmailAdres.IsGeldig(email))
        {
            Fout = b["vergeten.fout.email"];
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        if (!await limiet.ToegestaanAsync(HttpContext, cancellationToken))
        {
            Fout = b["vergeten.fout.teveel"];
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            return Page();
        }
        await vergeten.AanvragenAsync(email, cancellationToken);
        Verstuurd = true;
        return Page();
    }
}
