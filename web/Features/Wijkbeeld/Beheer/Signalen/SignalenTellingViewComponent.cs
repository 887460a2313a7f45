using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Wijkbeeld.Beheer.Signalen;

/// <summary>The open alerts as one count of the start page's workload
/// (<c>@await Component.InvokeAsync("SignalenTelling")</c>), linking to /beheer/signalen, which lists
/// the same alerts; a list item, nothing for roles without triage.</summary>
public sealed class SignalenTellingViewComponent(NpgsqlDataSource dataSource) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync()
    {
        if (!(UserClaimsPrincipal.IsInRole(Rollen.Wijkprofessional) || UserClaimsPrincipal.IsInRole(Rollen.Beheerder)))
        {
            return Content("");
        }
        await using var connection = await dataSource.OpenConnectionAsync(HttpContext.RequestAborted);
        var aantal = await SignalenLijst.TelOpenAsync(connection, UserClaimsPrincipal, HttpContext.RequestAborted);
        return View("/Features/Wijkbeeld/Beheer/Signalen/_SignalenTelling.cshtml", aantal);
    }
}
