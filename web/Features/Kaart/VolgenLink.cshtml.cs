using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Wijkmeldingen.Web.Features.Kaart;

/// <summary>The two links in subscription e-mails: confirm (double opt-in) and one-click unsubscribe.</summary>
[IgnoreAntiforgeryToken]
public sealed class VolgenLinkModel(BuurtDigest digest) : PageModel
{
    public string Actie { get; private set; } = "";
    public bool Gelukt { get; private set; }

    public async Task<IActionResult> OnGetAsync(string actie, string sleutel, CancellationToken cancellationToken)
    {
        if (actie is not ("bevestigen" or "opzeggen") || string.IsNullOrEmpty(sleutel) || sleutel.Length > 400)
        {
            return NotFound();
        }
        Actie = actie;
        Gelukt =
            actie == "bevestigen"
                ? await digest.BevestigAsync(sleutel, cancellationToken)
                : await digest.OpzeggenAsync(sleutel, cancellationToken);
        Response.Headers["X-Robots-Tag"] = "noindex";
        if (!Gelukt)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
        }
        return Page();
    }
}
