using System.Net;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Features.Open311;
using Xunit.Abstractions;

namespace Wijkmeldingen.Tests.Hosting;

/// <summary>Hostile input at every public query parameter, form field and API parameter: never a
/// 5xx, and script stored in a report is never rendered as markup.</summary>
public sealed class VijandigeInvoerTests(ITestOutputHelper output) : AppTest
{
    private static readonly string[] Waarden =
    [
        "", " ", "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "' OR 1=1 --", "'; DROP TABLE melding; --",
        "\u0000", "%00", "../../../../etc/passwd", "NaN", "Infinity", "-1e309", "1e309", "-0", "99999999999999999999",
        "‮evil", "😀😀😀", new string('x', 20_000), "2026-13-45T25:61:00", "null", "[]", "{}", "\\", "%", "€", "é",
    ];

    private static readonly string[] GetPaden =
    [
        "/kaart?rubriek={0}&status={0}&periode={0}&pagina={0}&thema={0}",
        "/kaart/meldingen.geojson?bbox={0}&zoom={0}&rubriek={0}&status={0}&periode={0}",
        "/kaart/meldingen.geojson?bbox=4.58,52.32,4.65,52.37&zoom=17&rubriek={0}&thema={0}&status={0}&periode={0}",
        "/kaart/grenzen.geojson?niveau={0}",
        "/melden?lat={0}&lon={0}&rubriek={0}",
        "/melden/dichtbij?lat={0}&lon={0}&rubriek={0}",
        "/adres/suggest?q={0}&rows={0}",
        "/adres/omgekeerd?lat={0}&lon={0}",
        "/melding?code={0}",
        "/melding/{0}",
        "/melding/ABCD-EFGH-JKMN-PQRS/opvolgen/{0}",
        "/kaart/feed/buurt/{0}.atom",
        "/kaart/volgen?buurt={0}",
        "/kaart/volgen/bevestigen/{0}",
        "/kaart/volgen/opzeggen/{0}",
        "/taal/{0}?terug={0}",
        "/open311/v2/requests.json?service_request_id={0}&service_code={0}&start_date={0}&end_date={0}&status={0}&jurisdiction_id={0}",
        "/open311/v2/requests/{0}.xml",
        "/open311/v2/services/{0}.json",
        "/open311/v2/tokens/{0}.json",
        "/opendata/meldingen.{0}",
    ];

    [Fact]
    public async Task No_query_parameter_value_causes_a_server_error()
    {
        var client = App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var gevallen = 0;
        var fouten = new List<string>();
        foreach (var pad in GetPaden)
        {
            // A NUL in the path is refused by the host itself (Kestrel answers 400) before the app sees it.
            var inPad = pad.IndexOf("{0}", StringComparison.Ordinal) < (pad.Contains('?', StringComparison.Ordinal) ? pad.IndexOf('?', StringComparison.Ordinal) : int.MaxValue);
            foreach (var waarde in Waarden.Where(w => !(inPad && w.Contains('\0', StringComparison.Ordinal))))
            {
                var url = string.Format(System.Globalization.CultureInfo.InvariantCulture, pad, Uri.EscapeDataString(waarde.Length > 2000 ? waarde[..2000] : waarde));
                var antwoord = await client.GetAsync(url);
                gevallen++;
                if ((int)antwoord.StatusCode >= 500)
                {
                    fouten.Add($"{(int)antwoord.StatusCode} {url[..Math.Min(url.Length, 120)]}");
                }
            }
        }
        output.WriteLine($"{gevallen} GET cases tried");
        Assert.True(fouten.Count == 0, string.Join("\n", fouten));
    }

    [Fact]
    public async Task No_form_field_value_causes_a_server_error_and_stored_script_is_never_markup()
    {
        var client = new FormulierClient(App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }));
        var velden = new[] { "Invoer.Lat", "Invoer.Lon", "Invoer.Plek", "Invoer.PlekKeuze", "Invoer.Rubriek", "Invoer.Omschrijving", "Invoer.VoorgevallenOp",
                             "Invoer.MelderType", "Invoer.Bedrijfsnaam", "Invoer.Email", "Invoer.IdempotentieSleutel", "Invoer.BewaardeFotos" };
        var gevallen = 0;
        var fouten = new List<string>();
        await using var app = new WijkAppFactory(Database.ConnectionString, new Dictionary<string, string?> { ["Melden:RateLimietAantal"] = "100000" });
        client = new FormulierClient(app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }));
        var pagina = await client.OpenAsync("/melden");
        foreach (var veld in velden)
        {
            foreach (var waarde in Waarden)
            {
                var basis = new Dictionary<string, string>
                {
                    ["Invoer.Lat"] = "52.3524", ["Invoer.Lon"] = "4.6192", ["Invoer.Rubriek"] = "jeugdoverlast",
                    ["Invoer.Omschrijving"] = "Een gewone omschrijving van de overlast.", ["Invoer.IdempotentieSleutel"] = Guid.NewGuid().ToString(),
                };
                basis[veld] = waarde;
                var antwoord = await client.PostAsync("/melden", pagina.Token, basis);
                gevallen++;
                if ((int)antwoord.StatusCode >= 500)
                {
                    fouten.Add($"{(int)antwoord.StatusCode} {veld}={waarde[..Math.Min(waarde.Length, 40)]}");
                }
            }
        }

        // The reports that were accepted with script in their text render it as text.
        await using var connection = await DataSource.OpenConnectionAsync();
        var scripts = (await connection.QueryAsync<string>("SELECT volgcode FROM melding WHERE omschrijving LIKE '%<script>%' OR bedrijfsnaam LIKE '%<script>%'")).ToList();
        output.WriteLine($"{gevallen} form cases tried, {scripts.Count} reports stored with script in them");
        Assert.True(fouten.Count == 0, string.Join("\n", fouten));
        Assert.NotEmpty(scripts);
        foreach (var code in scripts)
        {
            var html = await client.Http.GetStringAsync($"/melding/{code}");
            Assert.DoesNotContain("<script>alert(1)</script>", html);
        }
    }

    [Fact]
    public async Task No_open311_parameter_value_causes_a_server_error()
    {
        var sleutel = await ApiSleutels.MaakAsync(DataSource, "fuzz");
        await using var app = new WijkAppFactory(Database.ConnectionString, new Dictionary<string, string?> { ["Open311:PerSleutelPerMinuut"] = "100000", ["Open311:PerClientPerMinuut"] = "100000" });
        var client = app.CreateClient();
        var parameters = new[] { "api_key", "service_code", "lat", "long", "address_string", "description", "email", "first_name", "last_name", "phone", "media_url", "attribute[voorgevallen_op]", "jurisdiction_id" };
        var gevallen = 0;
        var fouten = new List<string>();
        foreach (var parameter in parameters)
        {
            foreach (var waarde in Waarden)
            {
                var velden = new Dictionary<string, string>
                {
                    ["api_key"] = sleutel, ["service_code"] = "parkeeroverlast", ["lat"] = "52.3524", ["long"] = "4.6192",
                    ["description"] = $"Fuzz {Guid.NewGuid()} parkeren.",
                };
                velden[parameter] = waarde;
                using var inhoud = new FormUrlEncodedContent(velden);
                var antwoord = await client.PostAsync("/open311/v2/requests.json", inhoud);
                gevallen++;
                if ((int)antwoord.StatusCode >= 500)
                {
                    fouten.Add($"{(int)antwoord.StatusCode} {parameter}={waarde[..Math.Min(waarde.Length, 40)]}");
                }
            }
        }
        output.WriteLine($"{gevallen} Open311 POST cases tried");
        Assert.True(fouten.Count == 0, string.Join("\n", fouten));
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/open311/v2/requests.json", new StringContent("{\"json\":true}", System.Text.Encoding.UTF8, "application/json"))).StatusCode);
    }
}
