using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using Wijkmeldingen.Web.Data;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Open311;

/// <summary>
/// Open data: the public reports of the last 365 days as CSV and GeoJSON, with the public map's
/// rules (no sensitive categories, no text, coarsened places). Built on request from the live data,
/// cached for an hour, so it is always less than a day old.
/// </summary>
public static class OpenData
{
    public static IEndpointRouteBuilder MapOpenData(this IEndpointRouteBuilder app)
    {
        app.MapGet(
            "/opendata/meldingen.{formaat}",
            async (
                string formaat,
                HttpContext http,
                LeesDatabase lezen,
                IOptions<PubliekOptions> kaart,
                TimeProvider klok,
                CancellationToken cancellationToken
            ) =>
            {
                if (formaat is not ("csv" or "geojson"))
                {
                    return Results.NotFound();
                }
                var punten = await PubliekeMeldingen.PuntenAsync(
                    lezen.Bron,
                    KaartFilter.Standaard with
                    {
                        Periode = 365,
                    },
                    null,
                    kaart.Value,
                    klok.GetUtcNow(),
                    200_000,
                    0,
                    cancellationToken
                );
                http.Response.Headers.CacheControl = "public, max-age=3600";
                if (formaat == "geojson")
                {
                    return Results.Json(PubliekeMeldingen.AlsGeoJson(punten), contentType: "application/geo+json; charset=utf-8");
                }
                var csv = new StringBuilder("volgcode,rubriek,status,gesloten,gemeld_op,buurt,lon,lat\n");
                foreach (var p in punten)
                {
                    csv.Append(
                        CultureInfo.InvariantCulture,
                        $"{p.Volgcode},{Csv(p.Rubriek)},{Csv(p.StatusNaam)},{(p.Gesloten ? "ja" : "nee")},"
                            + $"{p.AangemaaktOp:yyyy-MM-dd},{Csv(p.BuurtNaam)},{p.Lon:0.######},{p.Lat:0.######}\n"
                    );
                }
                http.Response.Headers.ContentDisposition = "attachment; filename=\"wijkmeldingen-heemstede.csv\"";
                return Results.Text(csv.ToString(), "text/csv; charset=utf-8", Encoding.UTF8);
            }
        );
        return app;
    }

    private static string Csv(string waarde) =>
        waarde.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + waarde.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : waarde;
}
