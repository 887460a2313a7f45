using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Npgsql;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Melding;

/// <summary>/mijn-meldingen: the melder asks for a link to their own reports. Whatever the address,
/// a valid one gets the same answer (see <see cref="MijnMeldingen"/>); an invalid one a Dutch message
/// with the input kept (400); too many requests from one client 429.</summary>
public sealed class MijnMeldingenModel(NpgsqlDataSource dataSource, MijnMeldingen mijnMeldingen, IStringLocalizer<Tekst> t) : PageModel
{
    [BindProperty]
    public string? Email { get; set; }

    [TempData]
    public bool Verstuurd { get; set; }

    public string? Fout { get; private set; }

    public int GeldigUren => mijnMeldingen.GeldigUren;

    public void OnGet() => Response.Headers.CacheControl = "no-store";

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Response.Headers.CacheControl = "no-store";
        var email = Email?.Trim() ?? "";
        if (!EmailAdres.IsGeldig(email))
        {
            Fout = t[email.Length == 0 ? "mijn.fout.leeg" : "mijn.fout.ongeldig"];
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        if (!mijnMeldingen.Toegestaan(HttpContext))
        {
            Fout = t["mijn.fout.teveel"];
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            return Page();
        }
        await mijnMeldingen.AanvragenAsync(dataSource, email, cancellationToken);
        Verstuurd = true;
        return RedirectToPage();
    }
}
