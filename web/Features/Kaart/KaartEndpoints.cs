using System.Globalization;
using System.Xml.Linq;
using Dapper;
using Microsoft.Extensions.Options;
using Wijkmeldingen.Web.Data;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Mail;

namespace Wijkmeldingen.Web.Features.Kaart;

/// <summary>The public map's data: reports per viewport as GeoJSON, and Atom feeds per buurt and wijk.</summary>
public static class KaartEndpoints
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    public static IEndpointRouteBuilder MapKaartMeldingen(this IEndpointRouteBuilder app)
    {
        // GET /kaart/meldingen.geojson?bbox=minLon,minLat,maxLon,maxLat&zoom=Z&(filter): counts per grid
        // cell below PuntenVanafZoom, one feature per public place (for client-side clustering) from there on.
        app.MapGet(
            "/kaart/meldingen.geojson",
            async (
                string? bbox,
                int? zoom,
                HttpContext http,
                LeesDatabase lezen,
                KaartCache cache,
                IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json,
                IOptions<KaartOptions> options,
                IOptions<PubliekOptions> publiek,
                TimeProvider klok,
                CancellationToken cancellationToken
            ) =>
            {
                if (PubliekeMeldingen.Bbox.Lees(bbox) is not { } vak || zoom is not (>= 0 and <= 22))
                {
                    return Results.Problem(
                        title: "Ongeldige invoer",
                        detail: "Geef bbox=minLon,minLat,maxLon,maxLat (WGS84) en zoom (0-22) op.",
                        statusCode: StatusCodes.Status400BadRequest
                    );
                }
                var filter = KaartFilter.Lees(http.Request.Query);
                var opties = options.Value;
                var taal = Taal.Code;
                // Aligned to the tile grid, so people looking at the same part of town share one answer.
                var venster = KaartCache.Uitlijnen(vak, zoom.Value);
                var sleutel = string.Create(
                    CultureInfo.InvariantCulture,
                    $"{zoom}|{venster.MinLon:R},{venster.MinLat:R},{venster.MaxLon:R},{venster.MaxLat:R}|{filter.AlsQuery()}|{taal}"
                );
                var antwoord = await cache.HaalAsync(
                    sleutel,
                    async ct =>
                    {
                        var nu = klok.GetUtcNow();
                        if (zoom >= opties.PuntenVanafZoom)
                        {
                            return await KaartPlekken.AlsGeoJsonAsync(
                                lezen.Bron,
                                filter,
                                venster,
                                publiek.Value,
                                nu,
                                opties.MaxPunten,
                                opties.MeldingenPerPlek,
                                taal,
                                ct
                            );
                        }
                        var cellen = PubliekeMeldingen.AlsGeoJson(
                            await PubliekeMeldingen.CellenAsync(
                                lezen.Bron,
                                filter,
                                venster,
                                PubliekeMeldingen.CelMeters(zoom.Value),
                                publiek.Value,
                                nu,
                                ct
                            ),
                            publiek.Value.OnderdrukOnder
                        );
                        return System.Text.Json.JsonSerializer.Serialize(cellen, json.Value.SerializerOptions);
                    },
                    cancellationToken
                );
                // Category and state names follow the visitor's language; an English answer is not for
                // shared caches. Revalidated on every use: a new report shows within seconds, and an
                // unchanged answer costs a 304.
                http.Response.Headers.CacheControl = taal == Taal.Nederlands ? "public, no-cache" : "private, no-cache";
                http.Response.Headers.Vary = "Accept-Language, Cookie";
                if (antwoord.ETag is not null)
                {
                    http.Response.Headers.ETag = antwoord.ETag;
                    if (http.Request.Headers.IfNoneMatch.Contains(antwoord.ETag))
                    {
                        return Results.StatusCode(StatusCodes.Status304NotModified);
                    }
                }
                return Results.Text(antwoord.Json, "application/geo+json; charset=utf-8");
            }
        );

        // Atom feeds with the same public fields as the map (category, date, status, buurt, link).
        app.MapGet(
            "/kaart/feed/{niveau}/{code}.atom",
            async (
                string niveau,
                string code,
                LeesDatabase lezen,
                IOptions<PubliekOptions> options,
                IOptions<MailOptions> mail,
                IOptions<GemeenteProfiel> gemeente,
                TimeProvider klok,
                Microsoft.Extensions.Localization.IStringLocalizer<Tekst> t,
                CancellationToken cancellationToken
            ) =>
            {
                if (niveau is not ("buurt" or "wijk"))
                {
                    return Results.NotFound();
                }
                await using var connection = await lezen.Bron.OpenConnectionAsync(cancellationToken);
                var naam = await connection.QuerySingleOrDefaultAsync<string?>(
                    new CommandDefinition(
                        niveau == "buurt" ? "SELECT naam FROM buurt WHERE code = @code" : "SELECT naam FROM wijk WHERE code = @code",
                        new { code },
                        cancellationToken: cancellationToken
                    )
                );
                if (naam is null)
                {
                    return Results.NotFound();
                }
                var filter = KaartFilter.Standaard with { Periode = 365 };
                var punten = await PubliekeMeldingen.PuntenAsync(
                    lezen.Bron,
                    filter,
                    null,
                    options.Value,
                    klok.GetUtcNow(),
                    50,
                    0,
                    cancellationToken,
                    buurt: niveau == "buurt" ? code : null,
                    wijk: niveau == "wijk" ? code : null
                );
                var basis = mail.Value.PortaalUrl.TrimEnd('/');
                var feed = new XElement(
                    Atom + "feed",
                    new XElement(Atom + "title", $"Wijkmeldingen {gemeente.Value.Naam}: {naam}"),
                    new XElement(Atom + "id", $"{basis}/kaart/feed/{niveau}/{code}.atom"),
                    new XElement(
                        Atom + "link",
                        new XAttribute("rel", "self"),
                        new XAttribute("href", $"{basis}/kaart/feed/{niveau}/{code}.atom")
                    ),
                    new XElement(Atom + "link", new XAttribute("href", $"{basis}/kaart")),
                    new XElement(Atom + "updated", Iso(punten.Count > 0 ? punten[0].AangemaaktOp : klok.GetUtcNow().UtcDateTime)),
                    new XElement(Atom + "author", new XElement(Atom + "name", $"Gemeente {gemeente.Value.Naam}")),
                    punten.Select(p => new XElement(
                        Atom + "entry",
                        new XElement(Atom + "title", $"{p.Rubriek} in {p.BuurtNaam}"),
                        new XElement(Atom + "id", $"{basis}/melding/{p.Volgcode}"),
                        new XElement(Atom + "link", new XAttribute("href", $"{basis}/melding/{p.Volgcode}")),
                        new XElement(Atom + "updated", Iso(p.AangemaaktOp)),
                        new XElement(Atom + "category", new XAttribute("term", p.Rubriek)),
                        new XElement(
                            Atom + "summary",
                            t[
                                "feed.samenvatting",
                                p.Rubriek,
                                p.StatusNaam.ToLower(CultureInfo.CurrentCulture),
                                p.AangemaaktOp.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                                p.BuurtNaam
                            ].Value
                        )
                    ))
                );
                var xml = new XDocument(new XDeclaration("1.0", "utf-8", null), feed).Declaration + "\n" + feed;
                return Results.Text(xml, "application/atom+xml; charset=utf-8");
            }
        );
        return app;
    }

    private static string Iso(DateTime utc) =>
        DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
