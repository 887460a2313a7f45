using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Wijkmeldingen.Web.Features.Wandelingen;

/// <summary>/wijkwandelingen/afmelden/{sleutel}: the personal cancel link. GET asks (mail scanners
/// follow links), POST cancels; the link works once and only for its owner's sign-up.</summary>
public sealed class AfmeldenModel(Aanmeldingen aanmeldingen) : PageModel
{
    public string Titel { get; private set; } = "";
    public DateTime BegintOp { get; private set; }
    public bool Afgemeld { get; private set; }

    public async Task<IActionResult> OnGetAsync(string sleutel, CancellationToken cancellationToken)
    {
        // A blank key (/afmelden/%20 binds as null) is no key.
        if (string.IsNullOrWhiteSpace(sleutel) || await aanmeldingen.ZoekAsync(sleutel, cancellationToken) is not { } aanmelding)
        {
            return NotFound();
        }
        (Titel, BegintOp) = (aanmelding.Titel, aanmelding.BegintOp);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string sleutel, CancellationToken cancellationToken)
    {
        if (
            string.IsNullOrWhiteSpace(sleutel)
            || await aanmeldingen.ZoekAsync(sleutel, cancellationToken) is not { } aanmelding
            || !await aanmeldingen.AfmeldenAsync(sleutel, cancellationToken)
        )
        {
            return NotFound();
        }
        (Titel, BegintOp, Afgemeld) = (aanmelding.Titel, aanmelding.BegintOp, true);
        return Page();
    }
}
