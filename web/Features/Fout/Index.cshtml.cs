using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Wijkmeldingen.Web.Features.Fout;

/// <summary>The one error page: a plain Dutch explanation, never a stack trace.</summary>
[IgnoreAntiforgeryToken]
[ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
public sealed class IndexModel : PageModel
{
    public string Titel { get; private set; } = "";
    public string Uitleg { get; private set; } = "";

    public void OnGet(int? code) => Vul(code);

    public void OnPost(int? code) => Vul(code);

    private void Vul(int? code)
    {
        // Re-executed by the exception handler the status is already set (500, or 503 for a database outage).
        var status = code ?? (Response.StatusCode >= 400 ? Response.StatusCode : StatusCodes.Status500InternalServerError);
        (Titel, Uitleg) = status switch
        {
            404 => ("Pagina niet gevonden", "De pagina die u zoekt bestaat niet (meer). Controleer het adres."),
            400 => ("Verzoek niet begrepen", "Er ging iets mis met uw verzoek. Probeer het opnieuw."),
            429 => ("Even geduld", "U heeft veel verzoeken kort na elkaar gedaan. Probeer het over een minuut opnieuw."),
            503 => ("Tijdelijk niet beschikbaar", "Wijkmeldingen is tijdelijk niet bereikbaar. Probeer het over enkele minuten opnieuw. Bij spoed of gevaar: bel 112."),
            _ => ("Er ging iets mis", "Er ging aan onze kant iets mis. Probeer het later opnieuw. Bij spoed of gevaar: bel 112."),
        };
        // Keep the original status for a re-executed error (exception handler or status code page).
        if (HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>() is null && code is not null)
        {
            Response.StatusCode = status;
        }
    }
}
