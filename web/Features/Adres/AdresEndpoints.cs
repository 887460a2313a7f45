using System.Globalization;
using System.Text.Json.Serialization;
using Wijkmeldingen.Web.Geo.Geocoding;

namespace Wijkmeldingen.Web.Features.Adres;

/// <summary>
/// GET /adres/suggest?q=… — address search in PDOK Locatieserver's answer shape, so the map script
/// speaks one format whether PDOK or the local search answered.
/// GET /adres/omgekeerd?lat=…&amp;lon=… — a readable name for a chosen point (nearest address, else buurt).
/// </summary>
public static class AdresEndpoints
{
    public const int MinLengte = 2;
    public const int MaxLengte = 100;
    public const int StandaardAantal = 10;
    public const int MaxAantal = 20;

    public sealed record SuggestAntwoord(SuggestResponse Response);

    public sealed record SuggestResponse(int NumFound, IReadOnlyList<SuggestDoc> Docs);

    public sealed record SuggestDoc(
        [property: JsonPropertyName("id")] string Id,
        [property: JsonPropertyName("type")] string Type,
        [property: JsonPropertyName("weergavenaam")] string Weergavenaam,
        [property: JsonPropertyName("centroide_ll")] string CentroideLl,
        [property: JsonPropertyName("wijkcode")] string? Wijkcode,
        [property: JsonPropertyName("buurtcode")] string? Buurtcode
    );

    public sealed record OmgekeerdAntwoord(string Weergavenaam, string? Buurtcode, string? Wijkcode, bool BinnenGemeente);

    public static IEndpointRouteBuilder MapAdres(this IEndpointRouteBuilder app)
    {
        app.MapGet(
            "/adres/suggest",
            async (string? q, string? rows, IGeocoder geocoder, HttpContext http, CancellationToken cancellationToken) =>
            {
                var zoek = q?.Trim() ?? "";
                if (zoek.Length > MaxLengte)
                {
                    return Results.Problem(
                        title: "Zoekterm te lang",
                        detail: $"Typ een adres, postcode of buurt van hoogstens {MaxLengte} tekens.",
                        statusCode: StatusCodes.Status400BadRequest
                    );
                }
                var aantal = int.TryParse(rows, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                    ? Math.Clamp(n, 1, MaxAantal)
                    : StandaardAantal;
                var gevonden = zoek.Length < MinLengte ? [] : await geocoder.SuggestAsync(zoek, aantal, cancellationToken);
                http.Response.Headers.CacheControl = "no-store";
                var docs = gevonden
                    .Select(s => new SuggestDoc(s.Id, s.Type, s.Weergavenaam, s.CentroideLl, s.Wijkcode, s.Buurtcode))
                    .ToList();
                return Results.Json(new SuggestAntwoord(new SuggestResponse(docs.Count, docs)));
            }
        );

        app.MapGet(
            "/adres/omgekeerd",
            async (string? lat, string? lon, IGeocoder geocoder, HttpContext http, CancellationToken cancellationToken) =>
            {
                if (!Graden(lat, 90, out var breedte) || !Graden(lon, 180, out var lengte))
                {
                    return Results.Problem(
                        title: "Ongeldige coördinaten",
                        detail: "Geef lat (−90 tot 90) en lon (−180 tot 180) in graden met een punt als decimaalteken, "
                            + "bijvoorbeeld lat=52.3524&lon=4.6192.",
                        statusCode: StatusCodes.Status400BadRequest
                    );
                }
                var plaats = await geocoder.OmgekeerdAsync(breedte, lengte, cancellationToken);
                http.Response.Headers.CacheControl = "no-store";
                return Results.Json(
                    plaats is null
                        ? new OmgekeerdAntwoord("Deze plek ligt buiten de gemeente", null, null, false)
                        : new OmgekeerdAntwoord(plaats.Weergavenaam, plaats.Buurtcode, plaats.Wijkcode, true)
                );
            }
        );
        return app;
    }

    private static bool Graden(string? tekst, double grens, out double waarde) =>
        double.TryParse(tekst, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out waarde)
        && double.IsFinite(waarde)
        && Math.Abs(waarde) <= grens;
}
