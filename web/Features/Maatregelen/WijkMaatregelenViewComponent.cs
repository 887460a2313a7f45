using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Maatregelen;

/// <summary>The measures section of the public wijk page (/wijken/{code}). The wijk picture invokes it
/// by name (<c>Component.InvokeAsync("WijkMaatregelen", …)</c>), so neither feature imports the other.</summary>
public sealed class WijkMaatregelenViewComponent(Maatregelen maatregelen, IOptions<PubliekOptions> publiek) : ViewComponent
{
    public sealed record Model(string WijkCode, IReadOnlyList<Maatregelen.Publiek> Lijst, int Drempel, int BufferMeters);

    public async Task<IViewComponentResult> InvokeAsync(string wijkcode)
    {
        var lijst = await maatregelen.VanWijkAsync(wijkcode, publiek.Value.PubliekRasterMeters, HttpContext.RequestAborted);
        return View(
            "/Features/Maatregelen/_WijkMaatregelen.cshtml",
            new Model(wijkcode, lijst, maatregelen.Drempel, maatregelen.BufferMeters)
        );
    }
}
