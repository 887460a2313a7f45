using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Wijkbeeld.Beheer.Signalen;

/// <summary>The open alerts of the signed-in staff member's team on the back-office start page
/// (<c>@await Component.InvokeAsync("OpenSignalen")</c>); nothing for roles without triage.</summary>
public sealed class OpenSignalenViewComponent(NpgsqlDataSource dataSource) : ViewComponent
{
    public const int Maximum = 10;

    public async Task<IViewComponentResult> InvokeAsync()
    {
        if (!(UserClaimsPrincipal.IsInRole(Rollen.Wijkprofessional) || UserClaimsPrincipal.IsInRole(Rollen.Beheerder)))
        {
            return Content("");
        }
        await using var connection = await dataSource.OpenConnectionAsync(HttpContext.RequestAborted);
        var open = await SignalenLijst.OpenAsync(connection, UserClaimsPrincipal, Maximum, HttpContext.RequestAborted);
        return View("/Features/Wijkbeeld/Beheer/Signalen/_OpenSignalen.cshtml", open);
    }
}
