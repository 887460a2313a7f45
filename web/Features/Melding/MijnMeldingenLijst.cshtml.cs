using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Npgsql;

namespace Wijkmeldingen.Web.Features.Melding;

/// <summary>/mijn-meldingen/{sleutel}: the melder's reports of the last 12 months with their status,
/// reached only through the link in the mail. GET stores nothing (mail scanners follow links). An
/// unknown link is 404, an expired or replaced one 410, both with a way to ask for a new link. The
/// token is in the URL: the page is not cached, not indexed and sends no referrer.</summary>
public sealed class MijnMeldingenLijstModel(NpgsqlDataSource dataSource) : PageModel
{
    public MijnMeldingen.Staat Toestand { get; private set; }
    public IReadOnlyList<MijnMeldingen.Regel> Meldingen { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string sleutel, CancellationToken cancellationToken)
    {
        (Toestand, Meldingen) = await MijnMeldingen.LijstAsync(dataSource, sleutel, cancellationToken);
        Response.Headers.CacheControl = "no-store";
        Response.Headers["X-Robots-Tag"] = "noindex";
        Response.Headers["Referrer-Policy"] = "no-referrer";
        Response.StatusCode = Toestand switch
        {
            MijnMeldingen.Staat.Onbekend => StatusCodes.Status404NotFound,
            MijnMeldingen.Staat.Verlopen => StatusCodes.Status410Gone,
            _ => StatusCodes.Status200OK,
        };
        return Page();
    }
}
