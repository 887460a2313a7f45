using Dapper;
using Microsoft.Extensions.Options;
using NetTopologySuite.Geometries;
using Npgsql;

namespace Wijkmeldingen.Web.Domein;

/// <summary>Where a cell's expected count came from.</summary>
public enum Verwachting
{
    /// <summary>The cell's own history: its reports in the same-length periods before.</summary>
    Eigen = 0,

    /// <summary>The cell had no reports in its history: the municipality's historical rate per cell.</summary>
    Gemeente = 1,

    /// <summary>There is no history at all yet: the municipality's rate per cell in the period itself.</summary>
    Periode = 2,
}

/// <summary>One grid cell: its count in the period, its expected count and where that came from, and
/// (when it has at least the minimum count and so was tested) the Poisson tail P(X ≥ count) and the
/// Benjamini–Hochberg q-value over all tested cells.</summary>
public sealed record OngewoonCel(
    int I,
    int J,
    string BuurtCode,
    string BuurtNaam,
    string WijkCode,
    long Aantal,
    double Verwacht,
    Verwachting Bron,
    double? P,
    double? Q,
    bool Ongewoon
)
{
    public Geometry? Geom { get; init; }

    /// <summary>How many times the expected count was seen (∞ when nothing was expected).</summary>
    public double Factor => Verwacht > 0 ? Aantal / Verwacht : double.PositiveInfinity;
}

/// <summary>The cells of one calculation, with how many months of history were available and how many
/// cells were tested (the m of the correction).</summary>
public sealed record OngewoonUitkomst(IReadOnlyList<OngewoonCel> Cellen, int HistorieMaanden, int Getoetst, int Minimum, double Alfa);

/// <summary>
/// "Unusual for this place": Gi* finds clusters of busy cells and by design dilutes a spike at one spot
/// among quiet neighbours. This engine compares each hexagon cell (the hotspot grid, counted from the
/// same per-month rollup) with its own past:
/// <list type="bullet">
/// <item>expected = the cell's reports in the history window × period months / history months, where
/// the history window is the same-length periods in the <see cref="HotspotOptions.OngewoonHistorieMaanden"/>
/// months before the period, cut to the months the rollup has data for;</item>
/// <item>a cell without reports in that window gets the municipality's rate per cell in it instead, and
/// when there is no history at all, the municipality's rate per cell in the period itself;</item>
/// <item>cells with at least the minimum count are tested one-sided, p = P(X ≥ count | expected) for a
/// Poisson count, and corrected with Benjamini–Hochberg over the tested cells; q ≤ α is unusual.</item>
/// </list>
/// </summary>
public sealed class OngewoonEngine(NpgsqlDataSource dataSource, IOptions<HotspotOptions> options)
{
    public HotspotOptions Opties => options.Value;

    public async Task<OngewoonUitkomst> BerekenAsync(
        HotspotFilter filter,
        bool metGeometrie = false,
        CancellationToken cancellationToken = default
    )
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await BerekenAsync(
            connection,
            null,
            filter,
            options.Value.OngewoonHistorieMaanden,
            options.Value.OngewoonMinimum,
            options.Value.OngewoonAlfa,
            metGeometrie,
            cancellationToken
        );
    }

    /// <summary>The calculation on a given connection (the alert round runs it in its own transaction
    /// on the primary), with its own minimum count and α.</summary>
    public static async Task<OngewoonUitkomst> BerekenAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction,
        HotspotFilter filter,
        int historieMaanden,
        int minimum,
        double alfa,
        bool metGeometrie,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(filter);
        var periode = filter.Periode;
        var perioden = Math.Max(1, historieMaanden / periode.Maanden);
        var historieVan = periode.Van.AddMonths(-perioden * periode.Maanden);
        var eerste = await connection.ExecuteScalarAsync<DateTime?>(
            new CommandDefinition(
                "SELECT min(maand)::timestamp FROM hotspot_maand WHERE celgrootte = @celgrootte",
                new { celgrootte = filter.Celgrootte },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        if (eerste is { } e && e > historieVan)
        {
            historieVan = Periode.MaandVan(e);
        }
        var beschikbaar = historieVan < periode.Van ? new Periode("vrij", historieVan, periode.Van.AddMonths(-1)).Maanden : 0;

        var rijen = (
            await connection.QueryAsync<CelRij>(
                new CommandDefinition(
                    """
                    SELECT c.i, c.j, c.buurt_code AS buurtcode, b.naam AS buurtnaam, b.wijk_code AS wijkcode,
                           coalesce(t.aantal, 0) AS aantal, coalesce(t.historie, 0) AS historie,
                           CASE WHEN @metGeometrie THEN ST_Transform(c.geom, 4326) END AS geom
                    FROM hotspot_cel c
                    JOIN buurt b ON b.code = c.buurt_code
                    LEFT JOIN (
                        SELECT h.i, h.j,
                               coalesce(sum(h.aantal) FILTER (WHERE h.maand >= @van), 0)::bigint AS aantal,
                               coalesce(sum(h.aantal) FILTER (WHERE h.maand < @van), 0)::bigint AS historie
                        FROM hotspot_maand h
                        JOIN rubriek r ON r.id = h.rubriek_id
                        JOIN thema t ON t.id = r.thema_id
                        WHERE h.celgrootte = @celgrootte AND h.maand BETWEEN @historieVan::date AND @tot::date
                          AND (NOT @publiek OR r.openbaarheid <> 'verborgen')
                          AND (@thema::text IS NULL OR t.code = @thema)
                          AND (@rubriek::text IS NULL OR r.code = @rubriek)
                          AND (@gesloten::boolean IS NULL OR h.gesloten = @gesloten)
                        GROUP BY h.i, h.j
                    ) t ON t.i = c.i AND t.j = c.j
                    WHERE c.celgrootte = @celgrootte
                    ORDER BY c.i, c.j
                    """,
                    new
                    {
                        celgrootte = filter.Celgrootte,
                        van = periode.Van,
                        tot = periode.Tot,
                        historieVan,
                        publiek = filter.Publiek,
                        thema = filter.Thema,
                        rubriek = filter.Rubriek,
                        gesloten = filter.Gesloten,
                        metGeometrie,
                    },
                    transaction,
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();
        var invoer = rijen.Select(r => new Telling(r.Aantal, r.Historie)).ToList();
        var uitslag = Toets(invoer, periode.Maanden, beschikbaar, minimum, alfa);
        var cellen = rijen
            .Select(
                (r, k) =>
                    new OngewoonCel(
                        r.I,
                        r.J,
                        r.BuurtCode,
                        r.BuurtNaam,
                        r.WijkCode,
                        r.Aantal,
                        uitslag[k].Verwacht,
                        uitslag[k].Bron,
                        uitslag[k].P,
                        uitslag[k].Q,
                        uitslag[k].Q <= alfa
                    )
                    {
                        Geom = r.Geom,
                    }
            )
            .ToList();
        return new OngewoonUitkomst(cellen, beschikbaar, uitslag.Count(u => u.P is not null), minimum, alfa);
    }

    /// <summary>A cell's count in the period and in its history window.</summary>
    public readonly record struct Telling(long Aantal, long Historie);

    /// <summary>A cell's expected count, its source, and (when tested) p and q.</summary>
    public readonly record struct Toetsing(double Verwacht, Verwachting Bron, double? P, double? Q);

    /// <summary>The pure part: expected counts, Poisson tails for the cells with at least
    /// <paramref name="minimum"/> reports, Benjamini–Hochberg over those.</summary>
    public static IReadOnlyList<Toetsing> Toets(
        IReadOnlyList<Telling> cellen,
        int periodeMaanden,
        int historieMaanden,
        int minimum,
        double alfa
    )
    {
        ArgumentNullException.ThrowIfNull(cellen);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(periodeMaanden);
        ArgumentOutOfRangeException.ThrowIfNegative(historieMaanden);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(minimum);
        if (alfa is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(alfa), alfa, "α must lie between 0 and 1.");
        }
        var n = Math.Max(1, cellen.Count);
        var historieTotaal = cellen.Sum(c => c.Historie);
        var periodeTotaal = cellen.Sum(c => c.Aantal);
        var schaal = historieMaanden > 0 ? (double)periodeMaanden / historieMaanden : 0;
        var heeftHistorie = historieMaanden > 0 && historieTotaal > 0;
        var gemeenteHistorie = heeftHistorie ? historieTotaal * schaal / n : 0;
        var gemeentePeriode = (double)periodeTotaal / n;

        var verwacht = cellen
            .Select(c =>
                !heeftHistorie ? (gemeentePeriode, Verwachting.Periode)
                : c.Historie > 0 ? (c.Historie * schaal, Verwachting.Eigen)
                : (gemeenteHistorie, Verwachting.Gemeente)
            )
            .ToList();
        var getoetst = Enumerable.Range(0, cellen.Count).Where(k => cellen[k].Aantal >= minimum).ToList();
        var p = getoetst.Select(k => PoissonToets.Overschrijding(cellen[k].Aantal, verwacht[k].Item1)).ToList();
        var q = PoissonToets.BenjaminiHochberg(p);
        var uit = verwacht.Select(v => new Toetsing(v.Item1, v.Item2, null, null)).ToArray();
        for (var t = 0; t < getoetst.Count; t++)
        {
            uit[getoetst[t]] = uit[getoetst[t]] with { P = p[t], Q = q[t] };
        }
        return uit;
    }

    private sealed record CelRij(
        int I,
        int J,
        string BuurtCode,
        string BuurtNaam,
        string WijkCode,
        long Aantal,
        long Historie,
        Geometry? Geom
    );
}
