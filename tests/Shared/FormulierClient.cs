using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace Wijkmeldingen.Testing;

/// <summary>Fills in a Razor Pages form the way a browser without JavaScript does: fetch the page
/// (antiforgery cookie + token), post multipart form data, do not follow the redirect.</summary>
public sealed partial class FormulierClient(HttpClient client)
{
    public HttpClient Http => client;

    public sealed record Pagina(string Html, string Token, string? IdempotentieSleutel);

    public async Task<Pagina> OpenAsync(string pad)
    {
        var html = await client.GetStringAsync(pad);
        var token = TokenPattern().Match(html) is { Success: true } m
            ? WebUtility.HtmlDecode(m.Groups[1].Value)
            : throw new InvalidOperationException("no antiforgery token on " + pad);
        var sleutel = SleutelPattern().Match(html) is { Success: true } s ? s.Groups[1].Value : null;
        return new Pagina(html, token, sleutel);
    }

    public async Task<HttpResponseMessage> PostAsync(
        string pad,
        string token,
        IEnumerable<KeyValuePair<string, string>> velden,
        IEnumerable<(string Naam, string Bestandsnaam, byte[] Inhoud, string Type)>? bestanden = null
    )
    {
        using var inhoud = new MultipartFormDataContent();
        inhoud.Add(new StringContent(token), "__RequestVerificationToken");
        foreach (var (naam, waarde) in velden)
        {
            inhoud.Add(new StringContent(waarde), naam);
        }
        foreach (var (naam, bestandsnaam, bytes, type) in bestanden ?? [])
        {
            var bestand = new ByteArrayContent(bytes);
            bestand.Headers.ContentType = new MediaTypeHeaderValue(type);
            inhoud.Add(bestand, naam, bestandsnaam);
        }
        return await client.PostAsync(pad, inhoud);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    [GeneratedRegex("name=\"Invoer.IdempotentieSleutel\" value=\"([0-9a-f-]{36})\"")]
    private static partial Regex SleutelPattern();
}
