using Dapper;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Wijkmeldingen.Web.Data;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Geo;

namespace Wijkmeldingen.Web.Features.Kaart;

/// <summary>/kaart: public reports on the map with the wijk and buurt boundaries, filters that live
/// in the URL, and the same selection as a list for people who do not use the map.</summary>
public sealed class IndexModel(
    LeesDatabase lezen,
    IOptions<KaartOptions> options,
    IOptions<KaartTegelOptions> tegels,
    IOptions<PubliekOptions> publiek,
    TimeProvider klok
) : PageModel
{
    public const int PerPagina = 50;

    public sealed record BuurtRegel(string WijkCode, string WijkNaam, string BuurtCode, string BuurtNaam, int? Inwoners);

    public KaartOptions Kaart => options.Value;
    public KaartTegelOptions Tegels => tegels.Value;
    public PubliekOptions Publiek => publiek.Value;

    public KaartFilter Filter { get; private set; } = KaartFilter.Standaard;

    /// <summary>Themes with only their public categories (sensitive ones are not even offered as a filter).</summary>
    public IReadOnlyList<Rubrieken.Thema> Themas { get; private set; } = [];

    public IReadOnlyList<PubliekeMeldingen.Punt> Lijst { get; private set; } = [];

    public int Pagina { get; private set; } = 1;

    public bool MeerPaginas { get; private set; }

    public IReadOnlyList<BuurtRegel> Buurten { get; private set; } = [];

    public async Task OnGetAsync(int? pagina, CancellationToken cancellationToken)
    {
        Filter = KaartFilter.Lees(Request.Query);
        Pagina = Math.Clamp(pagina ?? 1, 1, 1000);
        Themas = (await Rubrieken.LaadAsync(lezen.Bron, cancellationToken))
            .Select(t => t with { Rubrieken = t.Rubrieken.Where(r => r.Openbaarheid != "verborgen").ToList() })
            .Where(t => t.Rubrieken.Count > 0)
            .ToList();
        var punten = await PubliekeMeldingen.PuntenAsync(
            lezen.Bron,
            Filter,
            null,
            publiek.Value,
            klok.GetUtcNow(),
            PerPagina + 1,
            (Pagina - 1) * PerPagina,
            cancellationToken
        );
        MeerPaginas = punten.Count > PerPagina;
        Lijst = punten.Take(PerPagina).ToList();

        await using var connection = await lezen.Bron.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<BuurtRegel>(
            new CommandDefinition(
                """
                SELECT w.code AS wijkcode, w.naam AS wijknaam, b.code AS buurtcode, b.naam AS buurtnaam, b.inwoners
                FROM buurt b
                JOIN wijk w ON w.code = b.wijk_code
                ORDER BY w.code, b.code
                """,
                cancellationToken: cancellationToken
            )
        );
        Buurten = rows.AsList();
    }
}
