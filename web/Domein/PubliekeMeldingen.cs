using Dapper;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using Npgsql;

namespace Wijkmeldingen.Web.Domein;

/// <summary>
/// Reports as the public may see them: never sensitive categories or withdrawn reports, places
/// coarsened by publiek_punt, small counts suppressed. Used by the map, the list, the feeds and
/// the digests.
/// </summary>
public static class PubliekeMeldingen
{
    private static readonly GeometryFactory Wgs84 = new(new PrecisionModel(1_000_000), 4326);

    public sealed record Punt(
        string Volgcode,
        string Rubriek,
        string StatusNaam,
        bool Gesloten,
        DateTime AangemaaktOp,
        string BuurtNaam,
        double Lon,
        double Lat
    );

    public sealed record Cel(double Lon, double Lat, long Aantal);

    public sealed record Bbox(double MinLon, double MinLat, double MaxLon, double MaxLat)
    {
        public static Bbox? Lees(string? tekst)
        {
            var delen = tekst?.Split(',');
            if (delen is not { Length: 4 })
            {
                return null;
            }
            var getallen = delen
                .Select(d =>
                    double.TryParse(
                        d,
                        System.Globalization.NumberStyles.Float,
                        System.Globalization.CultureInfo.InvariantCulture,
                        out var g
                    )
                        ? g
                        : double.NaN
                )
                .ToArray();
            if (getallen.Any(g => !double.IsFinite(g)))
            {
                return null;
            }
            var bbox = new Bbox(getallen[0], getallen[1], getallen[2], getallen[3]);
            return
                bbox.MinLon < bbox.MaxLon
                && bbox.MinLat < bbox.MaxLat
                && bbox.MinLon >= -180
                && bbox.MaxLon <= 180
                && bbox.MinLat >= -90
                && bbox.MaxLat <= 90
                ? bbox
                : null;
        }
    }

    /// <summary>Grid cell size in metres for an aggregated view at <paramref name="zoom"/>.</summary>
    public static double CelMeters(int zoom) =>
        zoom switch
        {
            >= 15 => 125,
            14 => 250,
            13 => 500,
            12 => 1000,
            _ => 2000,
        };

    public static async Task<IReadOnlyList<Punt>> PuntenAsync(
        NpgsqlDataSource dataSource,
        KaartFilter filter,
        Bbox? bbox,
        PubliekOptions opties,
        DateTimeOffset nu,
        int max,
        int overslaan,
        CancellationToken cancellationToken,
        string? buurt = null,
        string? wijk = null,
        string? taal = null
    )
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        var parameters = Parameters(filter, bbox, opties, nu);
        // Names in the visitor's language, unless the caller fixes one (open data is always Dutch).
        parameters.Add("taal", taal ?? Taal.Code);
        parameters.Add("max", max);
        parameters.Add("overslaan", overslaan);
        parameters.Add("buurt", buurt, System.Data.DbType.String);
        parameters.Add("wijk", wijk, System.Data.DbType.String);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Punt>(
            new CommandDefinition(
                $"""
                SELECT m.volgcode, in_taal(r.naam, r.naam_en, @taal) AS rubriek, in_taal(s.naam, s.naam_en, @taal) AS statusnaam,
                       s.gesloten, m.aangemaakt_op AS aangemaaktop,
                       b.naam AS buurtnaam, ST_X(p.punt) AS lon, ST_Y(p.punt) AS lat
                FROM melding m
                JOIN rubriek r ON r.id = m.rubriek_id
                {(filter.Thema is null ? "" : "JOIN thema t ON t.id = r.thema_id")}
                JOIN meldingstatus s ON s.code = m.status
                JOIN buurt b ON b.code = m.buurt_code
                CROSS JOIN LATERAL (SELECT ST_Transform(publiek_punt(m.locatie, r.openbaarheid, @raster), 4326) AS punt) p
                WHERE m.gemeente_code = @gemeente
                  AND {filter.Voorwaarden}
                  {(bbox is null ? "" : "AND m.locatie && ST_Transform(ST_MakeEnvelope(@minLon, @minLat, @maxLon, @maxLat, 4326), 28992)")}
                  {(buurt is null ? "" : "AND m.buurt_code = @buurt")}
                  {(wijk is null ? "" : "AND m.wijk_code = @wijk")}
                ORDER BY m.aangemaakt_op DESC, m.id DESC
                LIMIT @max OFFSET @overslaan
                """,
                parameters,
                cancellationToken: cancellationToken
            )
        );
        return rows.AsList();
    }

    /// <summary>Counts per square grid cell (of the coarsened public points) in the viewport.</summary>
    public static async Task<IReadOnlyList<Cel>> CellenAsync(
        NpgsqlDataSource dataSource,
        KaartFilter filter,
        Bbox bbox,
        double celMeters,
        PubliekOptions opties,
        DateTimeOffset nu,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        var parameters = Parameters(filter, bbox, opties, nu);
        parameters.Add("cel", celMeters);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Cel>(
            new CommandDefinition(
                $"""
                WITH punten AS (
                    SELECT publiek_punt(m.locatie, r.openbaarheid, @raster) AS p
                    FROM melding m
                    JOIN rubriek r ON r.id = m.rubriek_id
                    {(filter.Thema is null ? "" : "JOIN thema t ON t.id = r.thema_id")}
                    JOIN meldingstatus s ON s.code = m.status
                    WHERE m.gemeente_code = @gemeente
                      AND {filter.Voorwaarden}
                      AND m.locatie && ST_Transform(ST_MakeEnvelope(@minLon, @minLat, @maxLon, @maxLat, 4326), 28992)
                ), cellen AS (
                    SELECT floor(ST_X(p) / @cel) AS cx, floor(ST_Y(p) / @cel) AS cy, count(*) AS aantal
                    FROM punten GROUP BY 1, 2
                )
                SELECT ST_X(c.midden) AS lon, ST_Y(c.midden) AS lat, aantal
                FROM cellen
                CROSS JOIN LATERAL
                    (SELECT ST_Transform(ST_SetSRID(ST_MakePoint((cx + 0.5) * @cel, (cy + 0.5) * @cel), 28992), 4326) AS midden) c
                """,
                parameters,
                cancellationToken: cancellationToken
            )
        );
        return rows.AsList();
    }

    /// <summary>The filter's parameters, the viewport (or none) and the public raster.</summary>
    private static DynamicParameters Parameters(KaartFilter filter, Bbox? bbox, PubliekOptions opties, DateTimeOffset nu)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(opties);
        var parameters = new DynamicParameters(filter.Parameters(nu));
        parameters.Add("minLon", bbox?.MinLon, System.Data.DbType.Double);
        parameters.Add("minLat", bbox?.MinLat, System.Data.DbType.Double);
        parameters.Add("maxLon", bbox?.MaxLon, System.Data.DbType.Double);
        parameters.Add("maxLat", bbox?.MaxLat, System.Data.DbType.Double);
        parameters.Add("raster", (double)opties.PubliekRasterMeters);
        // The application's own municipality filter (the first wall; row-level security is the second).
        parameters.Add("gemeente", opties.Gemeente);
        return parameters;
    }

    public static FeatureCollection AlsGeoJson(IEnumerable<Punt> punten)
    {
        var collectie = new FeatureCollection();
        foreach (var p in punten)
        {
            collectie.Add(
                new Feature(
                    Wgs84.CreatePoint(new Coordinate(p.Lon, p.Lat)),
                    new AttributesTable
                    {
                        { "soort", "melding" },
                        { "volgcode", p.Volgcode },
                        { "rubriek", p.Rubriek },
                        { "status", p.StatusNaam },
                        { "gesloten", p.Gesloten },
                        {
                            "datum",
                            DateTime
                                .SpecifyKind(p.AangemaaktOp, DateTimeKind.Utc)
                                .ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)
                        },
                        { "buurt", p.BuurtNaam },
                    }
                )
            );
        }
        return collectie;
    }

    public static FeatureCollection AlsGeoJson(IEnumerable<Cel> cellen, int onderdrukOnder)
    {
        var collectie = new FeatureCollection();
        foreach (var c in cellen)
        {
            var klein = c.Aantal < onderdrukOnder;
            var attributen = new AttributesTable
            {
                { "soort", "cel" },
                { "label", klein ? $"< {onderdrukOnder}" : c.Aantal.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            };
            // A suppressed count is not sent at all: only its label.
            if (!klein)
            {
                attributen.Add("aantal", c.Aantal);
            }
            collectie.Add(new Feature(Wgs84.CreatePoint(new Coordinate(c.Lon, c.Lat)), attributen));
        }
        return collectie;
    }
}
