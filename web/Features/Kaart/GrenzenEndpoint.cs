using Dapper;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.Precision;
using Npgsql;
using Wijkmeldingen.Web.Data;

namespace Wijkmeldingen.Web.Features.Kaart;

/// <summary>
/// GET /kaart/grenzen.geojson?niveau=gemeente|wijk|buurt — the CBS boundaries as a GeoJSON
/// FeatureCollection in WGS84 (EPSG:4326), straight from PostGIS.
/// </summary>
public static class GrenzenEndpoint
{
    public static readonly string[] Niveaus = ["gemeente", "wijk", "buurt"];

    private static readonly PrecisionModel Zesdecimalen = new(1_000_000);

    public sealed record Grens(string Code, string Naam, string? WijkCode, int? Inwoners, Geometry Geom);

    public static IEndpointRouteBuilder MapGrenzen(this IEndpointRouteBuilder app)
    {
        app.MapGet(
            "/kaart/grenzen.geojson",
            async (string? niveau, LeesDatabase lezen, HttpContext http, CancellationToken cancellationToken) =>
            {
                niveau = string.IsNullOrEmpty(niveau) ? "buurt" : niveau;
                if (!Niveaus.Contains(niveau))
                {
                    return Results.Problem(
                        title: "Onbekend niveau",
                        detail: "Kies niveau=gemeente, niveau=wijk of niveau=buurt.",
                        statusCode: StatusCodes.Status400BadRequest
                    );
                }

                var grenzen = await LoadAsync(lezen.Bron, niveau, cancellationToken);
                var collection = new FeatureCollection();
                foreach (var g in grenzen)
                {
                    var attributes = new AttributesTable
                    {
                        { "code", g.Code },
                        { "naam", g.Naam },
                        { "niveau", niveau },
                    };
                    if (g.WijkCode is not null)
                    {
                        attributes.Add("wijkcode", g.WijkCode);
                    }
                    if (g.Inwoners is not null)
                    {
                        attributes.Add("inwoners", g.Inwoners);
                    }
                    collection.Add(new Feature(g.Geom, attributes));
                }
                // Boundaries change once a year at most.
                http.Response.Headers.CacheControl = "public, max-age=3600";
                return Results.Json(collection, contentType: "application/geo+json; charset=utf-8");
            }
        );
        return app;
    }

    public static async Task<IReadOnlyList<Grens>> LoadAsync(
        NpgsqlDataSource dataSource,
        string niveau,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        var sql = niveau switch
        {
            "gemeente" => """
                SELECT code, naam, NULL::text AS wijkcode, inwoners, ST_Transform(geom, 4326) AS geom
                FROM gemeente ORDER BY code
                """,
            "wijk" => """
                SELECT code, naam, code AS wijkcode, inwoners, ST_Transform(geom, 4326) AS geom
                FROM wijk ORDER BY code
                """,
            _ => """
                SELECT code, naam, wijk_code AS wijkcode, inwoners, ST_Transform(geom, 4326) AS geom
                FROM buurt ORDER BY code
                """,
        };
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Grens>(new CommandDefinition(sql, cancellationToken: cancellationToken));
        // Six decimals is ~10 cm: plenty for generalised boundaries, and a third of the bytes.
        // Rounded here rather than in SQL: PostGIS rounds by multiplying with the grid size, which
        // leaves binary noise (4.634939999999999); NTS divides by the scale and prints cleanly.
        return rows.Select(g => g with { Geom = GeometryPrecisionReducer.ReducePointwise(g.Geom, Zesdecimalen) }).ToList();
    }
}
