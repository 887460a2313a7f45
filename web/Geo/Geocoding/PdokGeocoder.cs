using System.Globalization;
using System.Text.Json;

namespace Wijkmeldingen.Web.Geo.Geocoding;

/// <summary>
/// PDOK Locatieserver (BAG, CBS areas; free, no key): <c>/suggest</c> for what was typed, limited to
/// the municipality, then <c>/lookup</c> per hit for its centroid and CBS codes. The HttpClient comes
/// with the resilience handler from <see cref="GeocoderSetup"/>; failures surface as exceptions for
/// <see cref="Geocoder"/> to fall back on.
/// </summary>
public sealed class PdokGeocoder(HttpClient http, Microsoft.Extensions.Options.IOptions<GeocoderOptions> options) : IGeocoder
{
    /// <summary>The municipality's CBS code (four digits), as PDOK filters on it.</summary>
    public string Gemeentecode => options.Value.Gemeentecode ?? "";

    /// <summary>The place types a resident may pick for a report.</summary>
    public const string Typen = "type:(adres OR weg OR postcode OR buurt OR wijk)";

    private sealed record Document(string Id, string Type, string Weergavenaam, string? CentroideLl, string? Wijkcode, string? Buurtcode);

    public async Task<IReadOnlyList<Suggestie>> SuggestAsync(string q, int max, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(q);
        var query = string.Create(
            CultureInfo.InvariantCulture,
            $"suggest?q={Uri.EscapeDataString(q)}&fq={Uri.EscapeDataString("gemeentecode:" + Gemeentecode)}"
                + $"&fq={Uri.EscapeDataString(Typen)}&rows={max}"
        );
        var gevonden = await DocumentenAsync(query, cancellationToken);

        // Suggest answers carry id, type and name only; the point and the CBS codes come from lookup.
        var compleet = await Task.WhenAll(
            gevonden.Take(max).Select(async d => d.CentroideLl is not null ? d : await LookupAsync(d.Id, cancellationToken))
        );
        return compleet
            .Where(d => d is not null && Wkt.LeesPunt(d.CentroideLl) is not null)
            .Select(d => new Suggestie(d!.Id, d.Type, d.Weergavenaam, d.CentroideLl!, d.Wijkcode, d.Buurtcode))
            .ToList();
    }

    /// <summary>The nearest BAG address within <paramref name="straalMeter"/> of a WGS84 point, as PDOK
    /// names it ("Dorpsstraat 12, 1234AB Plaats"); null when PDOK knows none that close.</summary>
    public async Task<string?> DichtstbijzijndAdresAsync(double lat, double lon, double straalMeter, CancellationToken cancellationToken)
    {
        var query = string.Create(
            CultureInfo.InvariantCulture,
            $"reverse?lat={lat}&lon={lon}&type=adres&rows=1&distance={Math.Round(straalMeter)}&fl=id,type,weergavenaam,afstand"
        );
        var gevonden = await DocumentenAsync(query, cancellationToken);
        return gevonden.Count > 0 ? gevonden[0].Weergavenaam : null;
    }

    /// <summary>Naming a point needs its buurt and wijk in the municipality's own areas: see
    /// <see cref="Geocoder.OmgekeerdAsync"/>, which asks <see cref="DichtstbijzijndAdresAsync"/> for the address.</summary>
    public Task<Plaatsnaam?> OmgekeerdAsync(double lat, double lon, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Use Geocoder.OmgekeerdAsync: the buurt and wijk come from the local areas.");

    private async Task<Document?> LookupAsync(string id, CancellationToken cancellationToken)
    {
        var docs = await DocumentenAsync("lookup?id=" + Uri.EscapeDataString(id), cancellationToken);
        return docs.Count > 0 ? docs[0] : null;
    }

    private async Task<IReadOnlyList<Document>> DocumentenAsync(string relativeUrl, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri(relativeUrl, UriKind.Relative), cancellationToken);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var json = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
        if (
            !json.RootElement.TryGetProperty("response", out var envelope)
            || !envelope.TryGetProperty("docs", out var docs)
            || docs.ValueKind != JsonValueKind.Array
        )
        {
            throw new JsonException("PDOK answer without response.docs");
        }
        var result = new List<Document>();
        foreach (var doc in docs.EnumerateArray())
        {
            if (Tekst(doc, "id") is { } id && Tekst(doc, "weergavenaam") is { } naam)
            {
                result.Add(
                    new Document(
                        id,
                        Tekst(doc, "type") ?? "adres",
                        naam,
                        Tekst(doc, "centroide_ll"),
                        Tekst(doc, "wijkcode"),
                        Tekst(doc, "buurtcode")
                    )
                );
            }
        }
        return result;
    }

    private static string? Tekst(JsonElement doc, string name) =>
        doc.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : null;
}
