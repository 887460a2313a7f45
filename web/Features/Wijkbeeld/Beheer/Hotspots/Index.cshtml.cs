using System.Globalization;
using Dapper;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Npgsql;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Geo;

namespace Wijkmeldingen.Web.Features.Wijkbeeld.Beheer.Hotspots;

/// <summary>/beheer/hotspots (wijkprofessional, beheerder): the staff hotspot map. Unlike /wijken it
/// counts every category (sensitive ones included), shows exact counts, lets staff choose a category
/// and the grid size, and adds the DBSCAN clusters of the reports themselves. Beside Gi* it shows the
/// layer "unusual for this place" (<see cref="OngewoonEngine"/>): each cell against its own history, a
/// switch between the two layers (?laag=gi|ongewoon), each with its legend and its table.</summary>
public sealed class IndexModel(
    HotspotEngine hotspots,
    OngewoonEngine ongewoon,
    NpgsqlDataSource dataSource,
    IOptions<WijkbeeldOptions> options,
    IOptions<HotspotOptions> engine,
    IOptions<KaartTegelOptions> kaart,
    TimeProvider klok
) : PageModel
{
    /// <summary>A significant cell for the ranked table, with the street of the nearest address to
    /// its centre (when the BAG extract is imported).</summary>
    public sealed record Hotspot(HotspotCel Cel, string? Straat);

    public sealed record Keuze(string Code, string Naam, string Groep, bool Verborgen);

    /// <summary>An unusual cell for its table, with the street nearest its centre.</summary>
    public sealed record OngewoneCel(OngewoonCel Cel, string? Straat);

    /// <summary>The map layer shown first: "gi" (hotspots, Gi*) or "ongewoon".</summary>
    public string Laag { get; private set; } = "gi";
    public OngewoonUitkomst Ongewoon { get; private set; } = null!;
    public IReadOnlyList<OngewoneCel> OngewoonLijst { get; private set; } = [];

    public KaartTegelOptions Kaart => kaart.Value;
    public WijkbeeldOptions Opties => options.Value;
    public HotspotOptions Engine => engine.Value;
    public HotspotFilter Filter { get; private set; } = null!;
    public IReadOnlyList<Keuze> Themas { get; private set; } = [];
    public IReadOnlyList<Keuze> Rubrieken { get; private set; } = [];
    public IReadOnlyList<Hotspot> Ranglijst { get; private set; } = [];
    public IReadOnlyList<HotspotCluster> Clusters { get; private set; } = [];
    public int AantalCellen { get; private set; }
    public long AantalMeldingen { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Filter = LeesFilter(Request, engine.Value, options.Value, klok);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        Themas = (
            await connection.QueryAsync<Keuze>(
                new CommandDefinition(
                    """
                    SELECT t.code, in_taal(t.naam, t.naam_en, @taal) AS naam, in_taal(p.naam, p.naam_en, @taal) AS groep,
                           bool_and(r.openbaarheid = 'verborgen') AS verborgen
                    FROM thema t JOIN prioriteit p ON p.id = t.prioriteit_id JOIN rubriek r ON r.thema_id = t.id
                    GROUP BY t.code, t.naam, t.naam_en, p.naam, p.naam_en, p.volgorde, t.volgorde ORDER BY p.volgorde, t.volgorde
                    """,
                    new { taal = Taal.Code },
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();
        Rubrieken = (
            await connection.QueryAsync<Keuze>(
                new CommandDefinition(
                    """
                    SELECT r.code, in_taal(r.naam, r.naam_en, @taal) AS naam, in_taal(t.naam, t.naam_en, @taal) AS groep,
                           r.openbaarheid = 'verborgen' AS verborgen
                    FROM rubriek r JOIN thema t ON t.id = r.thema_id JOIN prioriteit p ON p.id = t.prioriteit_id
                    ORDER BY p.volgorde, t.volgorde, r.volgorde
                    """,
                    new { taal = Taal.Code },
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();

        var cellen = await hotspots.BerekenAsync(Filter, cancellationToken: cancellationToken);
        AantalCellen = cellen.Count;
        AantalMeldingen = cellen.Sum(c => c.Aantal);
        var significant = cellen.Where(c => c.Klasse > HotspotKlasse.Geen).OrderByDescending(c => c.Z).ToList();
        Laag = Request.Query["laag"] == "ongewoon" ? "ongewoon" : "gi";
        Ongewoon = await ongewoon.BerekenAsync(Filter, cancellationToken: cancellationToken);
        var ongewoneCellen = Ongewoon.Cellen.Where(c => c.Ongewoon).OrderBy(c => c.Q).ThenByDescending(c => c.Aantal).ToList();
        var metStraat = significant.Select(c => (c.I, c.J)).Union(ongewoneCellen.Select(c => (c.I, c.J))).ToList();
        var straten = (
            await connection.QueryAsync<(int I, int J, string Straat)>(
                new CommandDefinition(
                    """
                    SELECT c.i, c.j, a.straat
                    FROM hotspot_cel c
                    JOIN unnest(@cellenI, @cellenJ) AS k (i, j) ON k.i = c.i AND k.j = c.j
                    CROSS JOIN LATERAL (
                        SELECT a.straat FROM adres a
                        WHERE ST_DWithin(a.punt, ST_Centroid(c.geom), c.celgrootte * 1.5)
                        ORDER BY a.punt <-> ST_Centroid(c.geom) LIMIT 1
                    ) a
                    WHERE c.celgrootte = @celgrootte
                    """,
                    new
                    {
                        celgrootte = Filter.Celgrootte,
                        cellenI = metStraat.Select(c => c.I).ToArray(),
                        cellenJ = metStraat.Select(c => c.J).ToArray(),
                    },
                    cancellationToken: cancellationToken
                )
            )
        ).ToDictionary(s => (s.I, s.J), s => s.Straat);
        Ranglijst = significant.Select(c => new Hotspot(c, straten.GetValueOrDefault((c.I, c.J)))).ToList();
        OngewoonLijst = ongewoneCellen.Select(c => new OngewoneCel(c, straten.GetValueOrDefault((c.I, c.J)))).ToList();
        Clusters = await hotspots.ClustersAsync(Filter, cancellationToken);
    }

    /// <summary>The staff filter from the query string: period (default the last HotspotMaanden
    /// months), ?cel= one of the configured grid sizes (default the finest), ?thema=, ?rubriek= (any
    /// category, sensitive ones included) and ?status=open|gesloten.</summary>
    public static HotspotFilter LeesFilter(HttpRequest request, HotspotOptions engine, WijkbeeldOptions options, TimeProvider klok)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        var q = request.Query;
        var groottes = Celgroottes(engine, options);
        var cel =
            int.TryParse(q["cel"], NumberStyles.None, CultureInfo.InvariantCulture, out var c) && groottes.Contains(c) ? c : groottes[0];
        static string? Code(string? waarde) => waarde is { Length: > 0 and <= 50 } ? waarde : null;
        return new HotspotFilter(
            cel,
            WijkenExports.HotspotPeriode(request, options, klok),
            Publiek: false,
            Thema: Code(q["thema"]),
            Rubriek: Code(q["rubriek"]),
            Gesloten: (string?)q["status"] switch
            {
                "open" => false,
                "gesloten" => true,
                _ => null,
            }
        );
    }

    /// <summary>The grid sizes that are rolled up, finest first.</summary>
    public static int[] Celgroottes(HotspotOptions engine, WijkbeeldOptions options)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(options);
        return engine.Celgroottes.Append(options.PubliekeCelgrootte).Distinct().Order().ToArray();
    }

    /// <summary>The query string of a staff filter (period, grid, theme, category, status).</summary>
    public static string Query(HotspotFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var q = WijkenExports.HotspotQuery(filter) + "&cel=" + filter.Celgrootte.ToString(CultureInfo.InvariantCulture);
        if (filter.Rubriek is { } rubriek)
        {
            q += "&rubriek=" + Uri.EscapeDataString(rubriek);
        }
        return q;
    }
}
