using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Wijkmeldingen.Web.Features.Fout;

/// <summary>The one error page: a plain Dutch explanation, never a stack trace.</summary>
[IgnoreAntiforgeryToken]
[ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
public sealed class IndexModel(IStringLocalizer<Tekst> t) : PageModel
{
    public string Titel { get; private set; } = "";
    public string Uitleg { get; private set; } = "";

    /// <summary>The error came from a back-office page: offer the way back there.</summary>
    public bool UitBeheer { get; private set; }

    public void OnGet(int? code) => Vul(code);

    public void OnPost(int? code) => Vul(code);

    private void Vul(int? code)
    {
        // Re-executed by the exception handler the status is already set (500, or 503 for a database outage).
        // /fout/{code} typed by hand may hold anything: only error statuses are shown as themselves.
        if (code is not (null or (>= 400 and <= 599)))
        {
            code = StatusCodes.Status404NotFound;
        }
        var status = code ?? (Response.StatusCode >= 400 ? Response.StatusCode : StatusCodes.Status500InternalServerError);
        var sleutel = status is 403 or 404 or 400 or 429 or 503
            ? status.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : "500";
        (Titel, Uitleg) = (t[$"fout.{sleutel}.titel"], t[$"fout.{sleutel}.uitleg"]);
        var origineel = HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>()?.OriginalPath;
        UitBeheer = origineel is not null && origineel.StartsWith("/beheer", StringComparison.Ordinal);
        // Keep the original status for a re-executed error (exception handler or status code page).
        if (HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>() is null && code is not null)
        {
            Response.StatusCode = status;
        }
    }
}
