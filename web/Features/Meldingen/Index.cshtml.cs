using System.Text.Json;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Npgsql;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Features.Meldingen.Acties;
using Wijkmeldingen.Web.Features.Meldingen.Werkplek;
using Wijkmeldingen.Web.Geo;

namespace Wijkmeldingen.Web.Features.Meldingen;

/// <summary>/beheer/meldingen: the triage workspace. The list with filters, sorting and paging and
/// the same selection on a map (kaart.geojson); new reports appear as soon as they are filed. Staff
/// save filters under a name, and change or export a selection of the list at once (bulk actions,
/// CSV), each audited.</summary>
public sealed class IndexModel(
    NpgsqlDataSource dataSource,
    IOptions<KaartTegelOptions> kaart,
    IStringLocalizer<Wijkmeldingen.Web.BeheerTekst> b
) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public MeldingFilter Filter { get; set; } = new();

    public IReadOnlyList<MeldingenZoeken.Rij> Rijen { get; private set; } = [];
    public int Aantal { get; private set; }
    public MeldingenZoeken.Keuzes Keuzes { get; private set; } = null!;
    public IReadOnlyList<OpgeslagenFilters.Filter> MijnFilters { get; private set; } = [];
    public KaartTegelOptions Kaart => kaart.Value;

    /// <summary>The selected reports (checkboxes of the list, form "selectie").</summary>
    [BindProperty]
    public List<long> Ids { get; set; } = [];

    [BindProperty]
    public string? BulkSoort { get; set; }

    [BindProperty]
    public string? BulkAan { get; set; }

    [BindProperty]
    public string? BulkTeam { get; set; }

    [BindProperty]
    public string? BulkStatus { get; set; }

    [BindProperty]
    public string? BulkPartner { get; set; }

    [BindProperty]
    public string? BulkReden { get; set; }

    [BindProperty]
    public string? FilterNaam { get; set; }

    [BindProperty]
    public long? FilterId { get; set; }

    public Dictionary<string, string> Fouten { get; } = [];

    [TempData]
    public string? Bericht { get; set; }

    /// <summary>The last bulk action's outcome (JSON of <see cref="BulkUitkomst"/>), shown once.</summary>
    [TempData]
    public string? BulkUitkomstJson { get; set; }

    public sealed record BulkUitkomst(int Gewijzigd, int Totaal, IReadOnlyList<string> Fouten);

    public BulkUitkomst? Uitkomst => BulkUitkomstJson is null ? null : JsonSerializer.Deserialize<BulkUitkomst>(BulkUitkomstJson);

    /// <summary>How many filters narrow the list (sorting and paging do not): shown on the phone's
    /// Filters button, where the form itself is folded away.</summary>
    public int ActieveFilters =>
        new object?[]
        {
            Filter.Status,
            Filter.Rubriek,
            Filter.Gebied,
            Filter.Van,
            Filter.Tot,
            Filter.Toegewezen,
            Filter.Tekst,
            Filter.Herkomst,
            Filter.Wacht,
        }.Count(w => w is not null && !(w is string t && string.IsNullOrWhiteSpace(t)));

    public int Pagina => Math.Clamp(Filter.Pagina ?? 1, 1, MeldingenZoeken.TelTot / MeldingenZoeken.PerPagina);
    public int Paginas =>
        Math.Max(1, (Math.Min(Aantal, MeldingenZoeken.TelTot) + MeldingenZoeken.PerPagina - 1) / MeldingenZoeken.PerPagina);

    /// <summary>Where a form of this page posts: this page's address (filter and page kept) with the handler.</summary>
    public string Handler(string naam)
    {
        var query = QueryHelpers
            .ParseQuery(Request.QueryString.Value)
            .Where(kv => kv.Key != "handler" && !string.IsNullOrEmpty(kv.Value))
            .Select(kv => new KeyValuePair<string, string>(kv.Key, kv.Value.ToString()))
            .Append(new KeyValuePair<string, string>("handler", naam));
        return "/beheer/meldingen" + new QueryBuilder(query).ToQueryString();
    }

    /// <summary>Back to the list under the same filter, after a post.</summary>
    private string Terug()
    {
        var query = Filter.AlsQuery();
        if (Filter.Pagina is > 1)
        {
            query +=
                (query.Length == 0 ? "?" : "&")
                + "pagina="
                + Filter.Pagina.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return "/beheer/meldingen" + query;
    }

    public Task OnGetAsync(CancellationToken cancellationToken) => LaadAsync(cancellationToken);

    private async Task LaadAsync(CancellationToken cancellationToken)
    {
        var ik = Actor.Van(User).Id;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        (Rijen, Aantal) = await MeldingenZoeken.LijstAsync(connection, Filter, ik, cancellationToken);
        Keuzes = await MeldingenZoeken.KeuzesAsync(connection, cancellationToken);
        MijnFilters = await OpgeslagenFilters.LijstAsync(connection, ik, cancellationToken);
    }

    private async Task<IActionResult> FoutAsync(CancellationToken cancellationToken)
    {
        await LaadAsync(cancellationToken);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    /// <summary>One change to every selected report, with a reason; per report allowed or refused.</summary>
    public async Task<IActionResult> OnPostBulkAsync([FromServices] BulkActie actie, CancellationToken cancellationToken)
    {
        var doel = BulkSoort switch
        {
            "toewijzen" => BulkAan,
            "team" => BulkTeam,
            "status" => BulkStatus,
            _ => null,
        };
        var invoer = new BulkActie.Invoer(Ids, BulkSoort, doel, BulkPartner, BulkReden);
        foreach (var (veld, fout) in actie.Controleer(invoer))
        {
            Fouten[veld] = fout;
        }
        if (Fouten.Count > 0)
        {
            return await FoutAsync(cancellationToken);
        }
        var resultaten = await actie.UitvoerenAsync(invoer, Actor.Van(User), cancellationToken);
        BulkUitkomstJson = JsonSerializer.Serialize(
            new BulkUitkomst(
                resultaten.Count(r => r.Fout is null),
                resultaten.Count,
                [
                    .. resultaten
                        .Where(r => r.Fout is not null)
                        .Select(r => $"{r.Volgcode ?? r.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)}: {r.Fout}"),
                ]
            )
        );
        return Redirect(Terug());
    }

    /// <summary>The selected reports as CSV (staff only, exact, audited).</summary>
    public async Task<IActionResult> OnPostExportAsync(CancellationToken cancellationToken)
    {
        if (Ids.Count == 0)
        {
            Fouten["selectie"] = b["bulk.fout.selectie"];
        }
        else if (Ids.Count > SelectieCsv.Maximum)
        {
            Fouten["selectie"] = b["bulk.fout.teveel", SelectieCsv.Maximum];
        }
        if (Fouten.Count > 0)
        {
            return await FoutAsync(cancellationToken);
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var (csv, volgcodes) = await SelectieCsv.MaakAsync(connection, Ids, cancellationToken);
        await Audit.SchrijfAsync(
            connection,
            null,
            Actor.Van(User),
            "meldingen-export",
            null,
            null,
            new { aantal = volgcodes.Count, volgcodes },
            cancellationToken
        );
        var naam = $"meldingen-{Tijd.Lokaal(DateTimeOffset.UtcNow):yyyyMMdd-HHmm}.csv";
        return File(csv, "text/csv; charset=utf-8", naam);
    }

    public async Task<IActionResult> OnPostFilterBewarenAsync(CancellationToken cancellationToken)
    {
        var actor = Actor.Van(User);
        OpgeslagenFilters.Uitkomst uitkomst;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            uitkomst = await OpgeslagenFilters.BewaarAsync(connection, actor, FilterNaam, Filter, cancellationToken);
        }
        switch (uitkomst)
        {
            case OpgeslagenFilters.Uitkomst.Bewaard:
                Bericht = b["filters.ok.bewaard", FilterNaam!.Trim()];
                return Redirect(Terug());
            case OpgeslagenFilters.Uitkomst.Leeg:
                Fouten["filternaam"] = b["filters.fout.leeg"];
                break;
            case OpgeslagenFilters.Uitkomst.TeVeel:
                Fouten["filternaam"] = b["filters.fout.teveel", OpgeslagenFilters.Maximum];
                break;
            default:
                Fouten["filternaam"] = b["filters.fout.naam", OpgeslagenFilters.NaamMaximum];
                break;
        }
        return await FoutAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostFilterVerwijderenAsync(CancellationToken cancellationToken)
    {
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            if (FilterId is not { } id || !await OpgeslagenFilters.VerwijderAsync(connection, Actor.Van(User), id, cancellationToken))
            {
                return NotFound();
            }
        }
        Bericht = b["filters.ok.verwijderd"];
        return Redirect(Terug());
    }

    /// <summary>This page's address with one query value changed; the page number starts over
    /// unless it is the value changed.</summary>
    public string Met(string sleutel, string waarde)
    {
        var query = QueryHelpers
            .ParseQuery(Request.QueryString.Value)
            .Where(kv => kv.Key != sleutel && kv.Key != "pagina" && kv.Key != "handler" && !string.IsNullOrEmpty(kv.Value))
            .Select(kv => new KeyValuePair<string, string>(kv.Key, kv.Value.ToString()))
            .Append(new KeyValuePair<string, string>(sleutel, waarde));
        return "/beheer/meldingen" + new QueryBuilder(query).ToQueryString();
    }
}
