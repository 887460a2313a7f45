using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Npgsql;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Wandelingen;

/// <summary>/wijkwandelingen/{id}/verslag: the public report once a published walk is over — the
/// organiser's summary, photos (stored without metadata), how many people attended (checked in, not
/// signed up) and the findings: the public reports filed on the walk, at their public place, with
/// where they stand. Before the walk is over (or for a concept or cancelled walk) there is none.</summary>
public sealed class NaverslagModel(NpgsqlDataSource dataSource, IOptions<PubliekOptions> kaart, TimeProvider klok) : PageModel
{
    public Wandelingen.Wandeling Wandeling { get; private set; } = null!;
    public WandelingPunten.Verslag Cijfers { get; private set; } = null!;
    public string Samenvatting { get; private set; } = "";
    public IReadOnlyList<WandelingFotos.Foto> Fotos { get; private set; } = [];
    public IReadOnlyList<WandelingPunten.Punt> Bevindingen { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (
            await Wandelingen.LaadAsync(connection, id, cancellationToken) is not { } wandeling
            || wandeling.Status != "gepubliceerd"
            || wandeling.Einde > klok.GetUtcNow()
        )
        {
            return NotFound();
        }
        Wandeling = wandeling;
        Cijfers = await WandelingPunten.VerslagAsync(connection, id, cancellationToken);
        Samenvatting = await WandelingPunten.SamenvattingAsync(connection, id, cancellationToken);
        Fotos = await WandelingFotos.LijstAsync(connection, id, cancellationToken);
        Bevindingen = (await WandelingPunten.PubliekAsync(connection, id, true, kaart.Value.PubliekRasterMeters, cancellationToken))
            .Where(p => p.Soort == "waarneming")
            .ToList();
        return Page();
    }
}
