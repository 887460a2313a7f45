using Dapper;
using Microsoft.Extensions.Options;
using NetTopologySuite.Geometries;
using Npgsql;

namespace Wijkmeldingen.Web.Domein;

/// <summary>What the hotspot map counts: a grid size, whole months [Van, Tot], optionally one theme
/// or category and open or closed reports. Public maps never count 'verborgen' categories.</summary>
public sealed record HotspotFilter(
    int Celgrootte,
    Periode Periode,
    bool Publiek = true,
    string? Thema = null,
    string? Rubriek = null,
    bool? Gesloten = null
);

/// <summary>One grid cell with its count, its Gi* z-score and class; the buurt holding its centre.</summary>
public sealed record HotspotCel(
    int I,
    int J,
    string BuurtCode,
    string BuurtNaam,
    string WijkCode,
    long Aantal,
    double Z,
    HotspotKlasse Klasse
)
{
    public Geometry? Geom { get; init; }
}

/// <summary>A DBSCAN cluster of reports: its size, its extent (convex hull, EPSG:28992, and the same
/// hull in EPSG:4326 for Leaflet) and the buurt most of its reports are in.</summary>
public sealed record HotspotCluster(int Nummer, long Aantal, string BuurtCode, string BuurtNaam, Geometry Omhulsel, Geometry Wgs84);

/// <summary>
/// The hotspot engine: counts per hexagon cell from the per-month rollup (all cells that intersect
/// the municipality, zeros included), Getis-Ord Gi* over them, and DBSCAN clusters of reports.
/// </summary>
public sealed class HotspotEngine(NpgsqlDataSource dataSource, IOptions<HotspotOptions> options)
{
    public double BurenAfstand(int celgrootte) => options.Value.BurenFactor * celgrootte;

    public async Task<IReadOnlyList<HotspotCel>> BerekenAsync(
        HotspotFilter filter,
        bool metGeometrie = false,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (options.Value.BurenFactor <= Math.Sqrt(3))
        {
            throw new InvalidOperationException(
                "Wijkbeeld:BurenFactor must exceed √3 so that a cell's neighbours are in its Gi* neighbourhood."
            );
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rijen = (
            await connection.QueryAsync<CelRij>(
                new CommandDefinition(
                    """
                    SELECT c.i, c.j, c.buurt_code AS buurtcode, b.naam AS buurtnaam, b.wijk_code AS wijkcode,
                        coalesce(t.aantal, 0) AS aantal,
                           CASE WHEN @metGeometrie THEN ST_Transform(c.geom, 4326) END AS geom
                    FROM hotspot_cel c
                    JOIN buurt b ON b.code = c.buurt_code
                    LEFT JOIN (
                        SELECT h.i, h.j, sum(h.aantal)::bigint AS aantal
                        FROM hotspot_maand h
                        JOIN rubriek r ON r.id = h.rubriek_id
                        JOIN thema t ON t.id = r.thema_id
                        -- ::date: the period arrives as a timestamp, and date-vs-timestamp operators are not
                        -- leakproof, so under row-level security (V81) the month range was no index condition
                        -- (26,800 buffers per call at 1M instead of ~1,000). Same in the other rollup queries.
                        WHERE h.celgrootte = @celgrootte AND h.maand BETWEEN @van::date AND @tot::date
                          AND (NOT @publiek OR r.openbaarheid <> 'verborgen')
                          AND (@thema::text IS NULL OR t.code = @thema)
                          AND (@rubriek::text IS NULL OR r.code = @rubriek)
                          AND (@gesloten::boolean IS NULL OR h.gesloten = @gesloten)
                        GROUP BY h.i, h.j
                    ) t ON t.i = c.i AND t.j = c.j
                    WHERE c.celgrootte = @celgrootte
                      -- The grid is shared by the installation's municipalities (V81): this one's cells.
                      AND b.wijk_code IN (SELECT w.code FROM wijk w WHERE w.gemeente_code = current_setting('wijk.gemeente'))
                    ORDER BY c.i, c.j
                    """,
                    new
                    {
                        celgrootte = filter.Celgrootte,
                        van = filter.Periode.Van,
                        tot = filter.Periode.Tot,
                        publiek = filter.Publiek,
                        thema = filter.Thema,
                        rubriek = filter.Rubriek,
                        gesloten = filter.Gesloten,
                        metGeometrie,
                    },
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();

        var raster = new HexRaster(filter.Celgrootte);
        var middelpunten = rijen.Select(r => raster.Middelpunt(new HexCel(r.I, r.J))).Select(c => (c.X, c.Y)).ToList();
        var z = GetisOrd.GiStar(middelpunten, rijen.Select(r => (double)r.Aantal).ToList(), BurenAfstand(filter.Celgrootte));
        return rijen
            .Select(
                (r, k) =>
                    new HotspotCel(r.I, r.J, r.BuurtCode, r.BuurtNaam, r.WijkCode, r.Aantal, z[k], GetisOrd.Klasse(z[k])) { Geom = r.Geom }
            )
            .ToList();
    }

    /// <summary>DBSCAN over the reports themselves (not the rollup): for staff, since a hull's
    /// corners are report locations. Largest clusters first.</summary>
    public async Task<IReadOnlyList<HotspotCluster>> ClustersAsync(HotspotFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rijen = await connection.QueryAsync<HotspotCluster>(
            new CommandDefinition(
                """
                SELECT g.nummer, g.aantal, g.buurtcode, b.naam AS buurtnaam, g.omhulsel, ST_Transform(g.omhulsel, 4326) AS wgs84
                FROM (
                    SELECT (row_number() OVER (ORDER BY count(*) DESC, min(id)))::int AS nummer, count(*) AS aantal,
                           mode() WITHIN GROUP (ORDER BY buurt_code) AS buurtcode,
                           ST_ConvexHull(ST_Collect(locatie)) AS omhulsel
                    FROM (
                        SELECT m.id, m.buurt_code, m.locatie,
                               ST_ClusterDBSCAN(m.locatie, eps := @afstand, minpoints := @minimum) OVER () AS cluster
                        FROM melding m
                        JOIN rubriek r ON r.id = m.rubriek_id
                        JOIN thema t ON t.id = r.thema_id
                        JOIN meldingstatus s ON s.code = m.status
                        WHERE m.aangemaakt_op >= (@van::date::timestamp AT TIME ZONE 'Europe/Amsterdam')
                          AND m.aangemaakt_op < ((@tot::date + interval '1 month')::timestamp AT TIME ZONE 'Europe/Amsterdam')
                          AND (NOT @publiek OR r.openbaarheid <> 'verborgen')
                          AND (@thema::text IS NULL OR t.code = @thema)
                          AND (@rubriek::text IS NULL OR r.code = @rubriek)
                          AND (@gesloten::boolean IS NULL OR s.gesloten = @gesloten)
                    ) p
                    WHERE cluster IS NOT NULL
                    GROUP BY cluster
                ) g
                JOIN buurt b ON b.code = g.buurtcode
                ORDER BY g.nummer
                """,
                new
                {
                    afstand = options.Value.DbscanAfstand,
                    minimum = options.Value.DbscanMinimum,
                    van = filter.Periode.Van,
                    tot = filter.Periode.Tot,
                    publiek = filter.Publiek,
                    thema = filter.Thema,
                    rubriek = filter.Rubriek,
                    gesloten = filter.Gesloten,
                },
                cancellationToken: cancellationToken
            )
        );
        return rijen.AsList();
    }

    private sealed record CelRij(int I, int J, string BuurtCode, string BuurtNaam, string WijkCode, long Aantal, Geometry? Geom);
}
