using System.Globalization;
using Microsoft.Extensions.Options;
using NetTopologySuite.Features;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Wijkbeeld.Beheer.Hotspots;

/// <summary>The staff hotspot map's data, behind the triage policy: GET /beheer/hotspots/cellen.geojson
/// (every cell of the chosen grid with its exact count and Gi* class, and for the layer "unusual for
/// this place" its expected count, p, Benjamini–Hochberg q and class: 2 unusual after the correction,
/// 1 below α before it only, 0 not) and
/// /beheer/hotspots/clusters.geojson (DBSCAN clusters: hull and count), both with the page's query.</summary>
public static class HotspotsEndpoints
{
    public static IEndpointRouteBuilder MapBeheerHotspots(this IEndpointRouteBuilder app)
    {
        var triage = app.MapGroup("/beheer/hotspots").RequireAuthorization(BeheerPolicies.Triage);

        triage.MapGet(
            "/cellen.geojson",
            async (
                HttpContext http,
                HotspotEngine hotspots,
                OngewoonEngine ongewoonEngine,
                IOptions<WijkbeeldOptions> options,
                IOptions<HotspotOptions> engine,
                TimeProvider klok,
                CancellationToken cancellationToken
            ) =>
            {
                var filter = IndexModel.LeesFilter(http.Request, engine.Value, options.Value, klok);
                var cellen = await hotspots.BerekenAsync(filter, metGeometrie: true, cancellationToken);
                var ongewoon = (await ongewoonEngine.BerekenAsync(filter, cancellationToken: cancellationToken)).Cellen.ToDictionary(c =>
                    (c.I, c.J)
                );
                var alfa = engine.Value.OngewoonAlfa;
                var collectie = new FeatureCollection();
                foreach (var c in cellen)
                {
                    var o = ongewoon.GetValueOrDefault((c.I, c.J));
                    collectie.Add(
                        new Feature(
                            c.Geom,
                            new AttributesTable
                            {
                                { "cel", $"{c.I.ToString(CultureInfo.InvariantCulture)},{c.J.ToString(CultureInfo.InvariantCulture)}" },
                                { "buurtcode", c.BuurtCode },
                                { "buurt", c.BuurtNaam },
                                { "aantal", c.Aantal },
                                { "aantalTekst", c.Aantal.ToString(CultureInfo.InvariantCulture) },
                                { "z", Math.Round(c.Z, 2) },
                                { "klasse", (int)c.Klasse },
                                { "verwacht", o is null ? null : Math.Round(o.Verwacht, 2) },
                                { "verwachtTekst", o?.Verwacht.ToString("0.0", CultureInfo.InvariantCulture) },
                                { "p", o?.P },
                                { "q", o?.Q },
                                {
                                    "ongewoon",
                                    o is null ? 0
                                    : o.Ongewoon ? 2
                                    : o.P <= alfa ? 1
                                    : 0
                                },
                            }
                        )
                    );
                }
                http.Response.Headers.CacheControl = "no-store";
                return Results.Json(collectie, contentType: "application/geo+json; charset=utf-8");
            }
        );

        triage.MapGet(
            "/clusters.geojson",
            async (
                HttpContext http,
                HotspotEngine hotspots,
                IOptions<WijkbeeldOptions> options,
                IOptions<HotspotOptions> engine,
                TimeProvider klok,
                CancellationToken cancellationToken
            ) =>
            {
                var filter = IndexModel.LeesFilter(http.Request, engine.Value, options.Value, klok);
                var clusters = await hotspots.ClustersAsync(filter, cancellationToken);
                var collectie = new FeatureCollection();
                foreach (var c in clusters)
                {
                    collectie.Add(
                        new Feature(
                            c.Wgs84,
                            new AttributesTable
                            {
                                { "nummer", c.Nummer },
                                { "aantal", c.Aantal },
                                { "buurtcode", c.BuurtCode },
                                { "buurt", c.BuurtNaam },
                            }
                        )
                    );
                }
                http.Response.Headers.CacheControl = "no-store";
                return Results.Json(collectie, contentType: "application/geo+json; charset=utf-8");
            }
        );
        return app;
    }
}
