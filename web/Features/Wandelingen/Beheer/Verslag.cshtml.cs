using Dapper;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Npgsql;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Wandelingen.Beheer;

/// <summary>/beheer/wandelingen/{id}/verslag: the walk afterwards for staff — route, observations
/// and visited places at their exact place, how many took part, and where each report stands.</summary>
public sealed class VerslagModel(NpgsqlDataSource dataSource, WandelingPlanning planning) : PageModel
{
    public sealed record Rij(
        long Id,
        string Volgcode,
        string Soort,
        string Rubriek,
        string Status,
        string StatusNaam,
        bool Gesloten,
        bool Gevoelig,
        string? Team,
        string BuurtNaam,
        double Lat,
        double Lon,
        string? LaatsteBericht
    );

    public WandelingPlanning.Wandeling Wandeling { get; private set; } = null!;
    public IReadOnlyList<Rij> Meldingen { get; private set; } = [];
    public IReadOnlyList<Rij> Waarnemingen => Meldingen.Where(m => m.Soort == "waarneming").ToList();

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken)
    {
        if (await planning.LaadAsync(id, cancellationToken) is not { } wandeling)
        {
            return NotFound();
        }
        Wandeling = wandeling;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        Meldingen = (
            await connection.QueryAsync<Rij>(
                new CommandDefinition(
                    """
                    SELECT m.id, m.volgcode, CASE WHEN m.wandeling_id = @id THEN 'waarneming' ELSE 'bezoek' END AS soort,
                           in_taal(r.naam, r.naam_en, @taal) AS rubriek, m.status,
                           in_taal(s.naam, s.naam_en, @taal) AS statusnaam, s.gesloten,
                               r.openbaarheid = 'verborgen' AS gevoelig, t.naam AS team, b.naam AS buurtnaam,
                           ST_Y(ST_Transform(m.locatie, 4326)) AS lat, ST_X(ST_Transform(m.locatie, 4326)) AS lon,
                           (SELECT h.bericht FROM melding_historie h
                               WHERE h.melding_id = m.id AND h.bericht IS NOT NULL
                               ORDER BY h.tijdstip DESC, h.id DESC LIMIT 1) AS laatstebericht
                    FROM melding m
                    JOIN rubriek r ON r.id = m.rubriek_id
                    JOIN meldingstatus s ON s.code = m.status
                    JOIN buurt b ON b.code = m.buurt_code
                    LEFT JOIN team t ON t.id = m.team_id
                    WHERE m.wandeling_id = @id OR m.id IN (SELECT melding_id FROM wandeling_melding WHERE wandeling_id = @id)
                    ORDER BY soort DESC, m.aangemaakt_op
                    """,
                    new { id, taal = Taal.Code },
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();
        return Page();
    }
}
