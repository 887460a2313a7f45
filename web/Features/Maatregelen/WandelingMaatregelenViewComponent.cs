using Microsoft.AspNetCore.Mvc;

namespace Wijkmeldingen.Web.Features.Maatregelen;

/// <summary>The measures that came from a walk, on its public report (/wijkwandelingen/{id}/verslag):
/// linked to the walk or to one of its public findings. The walk's page invokes it by name
/// (<c>Component.InvokeAsync("WandelingMaatregelen", …)</c>), so neither feature imports the other.</summary>
public sealed class WandelingMaatregelenViewComponent(Maatregelen maatregelen) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(long wandelingId)
    {
        var lijst = await maatregelen.VanWandelingAsync(wandelingId, HttpContext.RequestAborted);
        return View("/Features/Maatregelen/_WandelingMaatregelen.cshtml", lijst);
    }
}
