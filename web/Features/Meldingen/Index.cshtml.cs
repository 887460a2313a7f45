using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Npgsql;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Geo;

namespace Wijkmeldingen.Web.Features.Meldingen;

/// <summary>/beheer/meldingen: the triage list with filters, sorting and paging, and the same
/// selection on a map (kaart.geojson). New reports appear here as soon as they are filed.</summary>
public sealed class IndexModel(NpgsqlDataSource dataSource, IOptions<KaartTegelOptions> kaart) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public MeldingFilter Filter { get; set; } = new();

    public IReadOnlyList<MeldingenZoeken.Rij> Rijen { get; private set; } = [];
    public int Aantal { get; private set; }
    public MeldingenZoeken.Keuzes Keuzes { get; private set; } = null!;
    public KaartTegelOptions Kaart => kaart.Value;

    public int Pagina => Math.Clamp(Filter.Pagina ?? 1, 1, MeldingenZoeken.TelTot / MeldingenZoeken.PerPagina);
    public int Paginas =>
        Math.Max(1, (Math.Min(Aantal, MeldingenZoeken.TelTot) + MeldingenZoeken.PerPagina - 1) / MeldingenZoeken.PerPagina);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        (Rijen, Aantal) = await MeldingenZoeken.LijstAsync(connection, Filter, Actor.Van(User).Id, cancellationToken);
        Keuzes = await MeldingenZoeken.KeuzesAsync(connection, cancellationToken);
    }

    /// <summary>This page's address with one query value changed; the page number starts over
    /// unless it is the value changed.</summary>
    public string Met(string sleutel, string waarde)
    {
        var query = QueryHelpers
            .ParseQuery(Request.QueryString.Value)
            .Where(kv => kv.Key != sleutel && kv.Key != "pagina" && !string.IsNullOrEmpty(kv.Value))
            .Select(kv => new KeyValuePair<string, string>(kv.Key, kv.Value.ToString()))
            .Append(new KeyValuePair<string, string>(sleutel, waarde));
        return "/beheer/meldingen" + new QueryBuilder(query).ToQueryString();
    }
}
