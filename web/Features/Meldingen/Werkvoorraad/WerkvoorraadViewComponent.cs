using Dapper;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Meldingen.Werkvoorraad;

/// <summary>The workload on the back-office start page (<c>@await Component.InvokeAsync("Werkvoorraad")</c>):
/// new, overdue, mine and my team's open reports, each a count that links to the triage list with
/// the same filter. The count is <c>MeldingenZoeken.TelAsync</c>, the list's own count, so
/// the number on the start page is the number the list then shows. Renders list items (the start
/// page puts the open alerts beside them); nothing for roles without triage.</summary>
public sealed class WerkvoorraadViewComponent(NpgsqlDataSource dataSource) : ViewComponent
{
    public sealed record Tegel(string Sleutel, int Aantal, string Link);

    public async Task<IViewComponentResult> InvokeAsync()
    {
        if (!(UserClaimsPrincipal.IsInRole(Rollen.Wijkprofessional) || UserClaimsPrincipal.IsInRole(Rollen.Beheerder)))
        {
            return Content("");
        }
        var ik = Actor.Van(UserClaimsPrincipal).Id;
        var token = HttpContext.RequestAborted;
        await using var connection = await dataSource.OpenConnectionAsync(token);
        var team = await connection.QuerySingleOrDefaultAsync<short?>(
            new CommandDefinition("SELECT team_id FROM medewerker WHERE id = @ik", new { ik }, cancellationToken: token)
        );
        var filters = new List<(string Sleutel, MeldingFilter Filter)>
        {
            ("nieuw", new MeldingFilter { Status = "gemeld" }),
            ("telaat", new MeldingFilter { Status = "te-laat" }),
            ("mijn", new MeldingFilter { Status = "open", Toegewezen = "ik" }),
        };
        if (team is { } t)
        {
            filters.Add(("team", new MeldingFilter { Status = "open", Toegewezen = $"team:{t}" }));
        }
        var tegels = new List<Tegel>();
        foreach (var (sleutel, filter) in filters)
        {
            var aantal = await MeldingenZoeken.TelAsync(connection, filter, ik, token);
            tegels.Add(new Tegel(sleutel, aantal, "/beheer/meldingen" + filter.AlsQuery()));
        }
        return View("/Features/Meldingen/Werkvoorraad/_Werkvoorraad.cshtml", tegels);
    }
}
