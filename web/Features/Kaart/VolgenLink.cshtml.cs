using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Wijkmeldingen.Web.Features.Kaart;

/// <summary>The links in subscription e-mails: confirm (double opt-in), one-click unsubscribe, and
/// renew (the reminder before a confirmed subscription's term ends).</summary>
[IgnoreAntiforgeryToken]
public sealed class VolgenLinkModel(BuurtDigest digest) : PageModel
{
    public string Actie { get; private set; } = "";
    public bool Gelukt { get; private set; }

    public async Task<IActionResult> OnGetAsync(string actie, string sleutel, CancellationToken cancellationToken)
    {
        if (actie is not ("bevestigen" or "opzeggen" or "verlengen") || string.IsNullOrEmpty(sleutel) || sleutel.Length > 400)
        {
            return NotFound();
        }
        Actie = actie;
        Gelukt = actie switch
        {
            "bevestigen" => await digest.BevestigAsync(sleutel, cancellationToken),
            "verlengen" => await digest.VerlengAsync(sleutel, cancellationToken),
            _ => await digest.OpzeggenAsync(sleutel, cancellationToken),
        };
        Response.Headers["X-Robots-Tag"] = "noindex";
        if (!Gelukt)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
        }
        return Page();
    }
}
