using Npgsql;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Kaart;

/// <summary>
/// The public map's points from zoom <see cref="KaartOptions.PuntenVanafZoom"/> on: one GeoJSON
/// feature per public place (a report's place is coarsened to the centre of a raster cell, see
/// <c>publiek_punt</c>), with how many public reports share it and the newest of them. Many reports
/// share a cell, so the newest <see cref="KaartOptions.MaxPunten"/> reports of a window arrive as a
/// few hundred places instead of thousands of stacked points (<c>afgekapt</c> says whether there were
/// more), and the answer is built as one JSON text by PostgreSQL: only the places are transformed to
/// WGS84, nothing is materialised as .NET objects.
/// </summary>
public static class KaartPlekken
{
    /// <summary>The GeoJSON FeatureCollection for the window; properties per place: <c>soort</c>
    /// ("plek"), <c>aantal</c>, <c>buurt</c> and <c>meldingen</c> (the newest <paramref name="perPlek"/>
    /// reports: volgcode, rubriek, status, gesloten, datum), over the newest <paramref name="max"/>
    /// public reports in the window; the most recently reported place first. Names in
    /// <paramref name="taal"/> (<see cref="Taal.Code"/>).</summary>
    public static async Task<string> AlsGeoJsonAsync(
        NpgsqlDataSource dataSource,
        KaartFilter filter,
        PubliekeMeldingen.Bbox bbox,
        PubliekOptions opties,
        DateTimeOffset nu,
        int max,
        int perPlek,
        string taal,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(bbox);
        ArgumentNullException.ThrowIfNull(opties);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // The newest @max public reports in the window (a newest-first index-only scan that stops
        // there, melding_kaart_recent_idx), grouped by their public point; only the places are
        // transformed to WGS84. Grouped on the point's coordinates, not on the geometry (sorting 2,000
        // geometries cost more than the rest of the grouping). The thema table is joined only when
        // filtered on (no catch-all conditions).
        var sql = $"""
            WITH recent AS (
                SELECT ST_X(q.pp) AS px, ST_Y(q.pp) AS py, m.id, m.volgcode, in_taal(r.naam, r.naam_en, @taal) AS rubriek,
                       in_taal(s.naam, s.naam_en, @taal) AS status,
                       s.gesloten, m.aangemaakt_op, m.buurt_code
                FROM melding m
                JOIN rubriek r ON r.id = m.rubriek_id
                {(filter.Thema is null ? "" : "JOIN thema t ON t.id = r.thema_id")}
                JOIN meldingstatus s ON s.code = m.status
                CROSS JOIN LATERAL (SELECT publiek_punt(m.locatie, r.openbaarheid, @raster) AS pp) q
                WHERE m.gemeente_code = @gemeente
                  AND {filter.Voorwaarden}
                  AND m.locatie && ST_Transform(ST_MakeEnvelope(@minLon, @minLat, @maxLon, @maxLat, 4326), 28992)
                ORDER BY m.aangemaakt_op DESC, m.id DESC
                LIMIT @max
            ), plekken AS (
                SELECT px, py, count(*) AS aantal, max(aangemaakt_op) AS nieuwste,
                       (array_agg(json_build_object(
                           'volgcode', volgcode, 'rubriek', rubriek, 'status', status, 'gesloten', gesloten,
                           'datum', to_char(aangemaakt_op AT TIME ZONE 'UTC', 'YYYY-MM-DD')
                       ) ORDER BY aangemaakt_op DESC, id DESC))[1:@perPlek] AS meldingen,
                       (array_agg(buurt_code ORDER BY aangemaakt_op DESC, id DESC))[1] AS buurt_code
                FROM recent
                GROUP BY px, py
            )
            SELECT json_build_object(
                'type', 'FeatureCollection',
                'afgekapt', (SELECT count(*) FROM recent) >= @max,
                'features', coalesce(json_agg(json_build_object(
                    'type', 'Feature',
                    'geometry', json_build_object('type', 'Point', 'coordinates',
                        json_build_array(round(ST_X(w.p)::numeric, 6), round(ST_Y(w.p)::numeric, 6))),
                    'properties', json_build_object(
                        'soort', 'plek', 'aantal', pl.aantal, 'buurt', b.naam, 'meldingen', to_json(pl.meldingen))
                ) ORDER BY pl.nieuwste DESC, pl.px, pl.py), '[]'::json)
            )::text
            FROM plekken pl
            JOIN buurt b ON b.code = pl.buurt_code
            CROSS JOIN LATERAL (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(pl.px, pl.py), 28992), 4326) AS p) w
            """;
        // Not prepared: a prepared statement switches to a generic plan after five runs, and without
        // the window's values the planner chose the GiST scan of every recent report in the window
        // (measured: p50 105 ms instead of the custom plan's newest-first scan). Planning is ~1 ms.
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("vanaf", filter.Vanaf(nu));
        // Category and state names in the visitor's language (V65's in_taal; Dutch when there is no English text).
        command.Parameters.AddWithValue("taal", taal);
        if (filter.Rubrieken.Count > 0)
        {
            command.Parameters.AddWithValue("rubrieken", filter.Rubrieken.ToArray());
        }
        if (filter.Thema is not null)
        {
            command.Parameters.AddWithValue("thema", filter.Thema);
        }
        command.Parameters.AddWithValue("minLon", bbox.MinLon);
        command.Parameters.AddWithValue("minLat", bbox.MinLat);
        command.Parameters.AddWithValue("maxLon", bbox.MaxLon);
        command.Parameters.AddWithValue("maxLat", bbox.MaxLat);
        command.Parameters.AddWithValue("raster", (double)opties.PubliekRasterMeters);
        // The application's own municipality filter (the first wall; row-level security is the second).
        command.Parameters.AddWithValue("gemeente", opties.Gemeente);
        command.Parameters.AddWithValue("max", max);
        command.Parameters.AddWithValue("perPlek", perPlek);
        return await command.ExecuteScalarAsync(cancellationToken) as string ?? """{"type":"FeatureCollection","features":[]}""";
    }
}
