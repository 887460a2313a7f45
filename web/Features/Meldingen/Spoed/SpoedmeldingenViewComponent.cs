using Dapper;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Meldingen.Spoed;

/// <summary>The open urgent reports of the signed-in staff member's team (all teams for a staff
/// member without one) on the back-office start page (<c>@await Component.InvokeAsync("Spoedmeldingen")</c>);
/// nothing for roles without triage.</summary>
public sealed class SpoedmeldingenViewComponent(NpgsqlDataSource dataSource) : ViewComponent
{
    public const int Maximum = 20;

    public sealed record Rij(long Id, string Volgcode, string Rubriek, string StatusNaam, string? Buurt, DateTime AangemaaktOp);

    public async Task<IViewComponentResult> InvokeAsync()
    {
        if (!(UserClaimsPrincipal.IsInRole(Rollen.Wijkprofessional) || UserClaimsPrincipal.IsInRole(Rollen.Beheerder)))
        {
            return Content("");
        }
        await using var connection = await dataSource.OpenConnectionAsync(HttpContext.RequestAborted);
        var rijen = await connection.QueryAsync<Rij>(
            new CommandDefinition(
                """
                SELECT m.id, m.volgcode, in_taal(r.naam, r.naam_en, @taal) AS rubriek, in_taal(s.naam, s.naam_en, @taal) AS statusnaam,
                       b.naam AS buurt, m.aangemaakt_op
                FROM melding m
                JOIN rubriek r ON r.id = m.rubriek_id AND r.spoed
                JOIN meldingstatus s ON s.code = m.status AND NOT s.gesloten
                LEFT JOIN buurt b ON b.code = m.buurt_code
                WHERE m.team_id IS NOT DISTINCT FROM coalesce((SELECT team_id FROM medewerker WHERE id = @ik), m.team_id)
                ORDER BY m.aangemaakt_op DESC
                LIMIT @Maximum
                """,
                new
                {
                    ik = Actor.Van(UserClaimsPrincipal).Id,
                    Maximum,
                    taal = Taal.Code,
                },
                cancellationToken: HttpContext.RequestAborted
            )
        );
        return View("/Features/Meldingen/Spoed/_Spoedmeldingen.cshtml", rijen.ToList());
    }
}
