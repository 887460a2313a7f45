using Microsoft.Extensions.Options;
using Wijkmeldingen.Web.Csv;
using Wijkmeldingen.Web.Data;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Open311;

/// <summary>
/// Open data: the public reports of the last 365 days as CSV and GeoJSON, with the public map's
/// rules (no sensitive categories, no text, coarsened places), always in Dutch (one dataset, cached). Built on request from the live data,
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
                    cancellationToken,
                    taal: Taal.Nederlands
                );
                http.Response.Headers.CacheControl = "public, max-age=3600";
                if (formaat == "geojson")
                {
                    return Results.Json(PubliekeMeldingen.AlsGeoJson(punten), contentType: "application/geo+json; charset=utf-8");
                }
                // The profile's folder name: lower-case letters, digits and dashes only (checked at start).
                var bestand = http.RequestServices.GetRequiredService<IOptions<GemeenteProfiel>>().Value.Profiel;
                http.Response.Headers.ContentDisposition = $"attachment; filename=\"wijkmeldingen-{bestand}.csv\"";
                return Results.Bytes(Csv(punten), "text/csv; charset=utf-8");
            }
        );
        return app;
    }

    /// <summary>The open data as CSV: commas, LF line ends, UTF-8 without BOM (for scripts and open
    /// data portals), the shared quoting and formula rule (<see cref="CsvRegels"/>).</summary>
    public static byte[] Csv(IEnumerable<PubliekeMeldingen.Punt> punten) =>
        CsvRegels.Schrijf(CsvRegels.Export(',', "\n", bom: false), csv =>
        {
            csv.WriteHeader(["volgcode", "rubriek", "status", "gesloten", "gemeld_op", "buurt", "lon", "lat"]);
            foreach (var p in punten)
            {
                csv.WriteField(p.Volgcode);
                csv.WriteField(p.Rubriek);
                csv.WriteField(p.StatusNaam);
                csv.WriteField(p.Gesloten ? "ja" : "nee");
                csv.WriteField(p.AangemaaktOp, "yyyy-MM-dd");
                csv.WriteField(p.BuurtNaam);
                csv.WriteField(p.Lon, "0.######");
                csv.WriteField(p.Lat, "0.######");
                csv.EndRecord();
            }
        });
}
