using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Features.Open311;
using Wijkmeldingen.Web.Mail;

namespace Wijkmeldingen.Tests.Hosting;

/// <summary>Logs: JSON lines with the trace id in Production, and no personal data of a melder in
/// anything the app logs. In the telemetry collection: one test swaps the process's console.</summary>
[Collection(TelemetrieCollectie.Naam)]
public sealed class LogboekTests : DatabaseTest
{
    private const string Email = "jan.de.vries@example.nl";
    private const string Telefoon = "06-12345678";
    private const string FormulierEmail = "marieke.jansen@example.nl";

    [Fact]
    public async Task Filing_with_an_email_address_and_a_phone_number_leaves_neither_in_the_logs()
    {
        var opvanger = new LogOpvanger();
        await using var basis = new WijkAppFactory(
            Database.ConnectionString,
            new Dictionary<string, string?>
            {
                // An SMTP server that is down: the sender logs why each mail failed.
                ["Mail:SmtpHost"] = "127.0.0.1",
                ["Mail:SmtpPort"] = TestSmtpServer.FreePort().ToString(CultureInfo.InvariantCulture),
            }
        );
        await using var app = basis.WithWebHostBuilder(web => web.ConfigureLogging(logging => LogOpvanger.Koppel(logging, opvanger)));
        var sleutel = await ApiSleutels.MaakAsync(DataSource, "logboek");

        // Through Open311 with an address, a phone number and a name; once more with a phone number
        // that is too long and an address that is not one (refused: the values must not be echoed).
        using (
            var inhoud = new FormUrlEncodedContent(
                new Dictionary<string, string>
                {
                    ["api_key"] = sleutel,
                    ["service_code"] = "parkeeroverlast",
                    ["lat"] = TestGemeente.PlekTekst(52.3524, 4.6192).Lat,
                    ["long"] = TestGemeente.PlekTekst(52.3524, 4.6192).Lon,
                    ["description"] = "Bestelbus staat elke dag op het trottoir.",
                    ["email"] = Email,
                    ["phone"] = Telefoon,
                    ["first_name"] = "Jan",
                    ["last_name"] = "de Vries",
                }
            )
        )
        {
            var antwoord = await app.CreateClient().PostAsync("/open311/v2/requests.json", inhoud);
            Assert.Equal(HttpStatusCode.OK, antwoord.StatusCode);
        }
        foreach (var (veld, waarde) in new[] { ("phone", Telefoon + "-0000000000000000000000"), ("email", "jan.de.vries@@example") })
        {
            using var fout = new FormUrlEncodedContent(
                new Dictionary<string, string>
                {
                    ["api_key"] = sleutel,
                    ["service_code"] = "parkeeroverlast",
                    ["lat"] = TestGemeente.PlekTekst(52.3524, 4.6192).Lat,
                    ["long"] = TestGemeente.PlekTekst(52.3524, 4.6192).Lon,
                    ["description"] = "Bestelbus staat elke dag op het trottoir.",
                    [veld] = waarde,
                }
            );
            var antwoord = await app.CreateClient().PostAsync("/open311/v2/requests.json", fout);
            Assert.Equal(HttpStatusCode.BadRequest, antwoord.StatusCode);
        }

        // Through the form, with an address.
        var formulier = new FormulierClient(app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }));
        var pagina = await formulier.OpenAsync("/melden");
        var gemeld = await formulier.PostAsync(
            "/melden",
            pagina.Token,
            [
                new("Invoer.IdempotentieSleutel", pagina.IdempotentieSleutel!),
                new("Invoer.Rubriek", "jeugdoverlast"),
                new("Invoer.Omschrijving", "Groep jongeren vernielt elke avond de bankjes."),
                new("Invoer.Email", FormulierEmail),
                new("Invoer.Lat", TestGemeente.PlekTekst(52.3524, 4.6192).Lat),
                new("Invoer.Lon", TestGemeente.PlekTekst(52.3524, 4.6192).Lon),
            ]
        );
        Assert.Equal(HttpStatusCode.Redirect, gemeld.StatusCode);

        // The confirmation mails fail to go out, and the sender says so in the log.
        await app.Services.GetRequiredService<OutboxSender>().VerzendOpenstaandeAsync(CancellationToken.None);

        var logboek = opvanger.Tekst();
        // The capture sees the app's own warnings and the framework's request and model-binding logs.
        Assert.Contains("OutboxSender: Mail ", logboek);
        Assert.Contains("/open311/v2/requests.json", logboek);
        Assert.Contains("Invoer.Email", logboek);
        foreach (var persoonlijk in new[] { Email, FormulierEmail, "jan.de.vries", "marieke.jansen", "12345678", "de Vries" })
        {
            Assert.DoesNotContain(persoonlijk, logboek, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void An_smtp_refusal_quoting_the_recipient_is_logged_without_the_address()
    {
        var tekst = OutboxSender.ZonderAdressen("SMTP 550: 5.1.1 <jan.de.vries@example.nl>: Recipient address rejected");

        Assert.Equal("SMTP 550: 5.1.1 <[adres]>: Recipient address rejected", tekst);
    }

    [Fact]
    public async Task Production_logs_one_json_object_per_line_with_the_trace_id_of_the_request()
    {
        var console = new StringWriter();
        var eerder = Console.Out;
        Console.SetOut(console);
        try
        {
            await using var basis = new WijkAppFactory(
                Database.ConnectionString,
                new Dictionary<string, string?>
                {
                    // PDOK switched on but unreachable: the search logs a warning during the request.
                    ["Geocoder:PdokGebruiken"] = "true",
                    ["Geocoder:PdokUrl"] = $"http://127.0.0.1:{TestSmtpServer.FreePort()}/",
                    ["Geocoder:TimeoutMs"] = "1000",
                }
            );
            await using var app = basis.WithWebHostBuilder(web => web.UseEnvironment("Production"));
            var antwoord = await app.CreateClient().GetAsync("/adres/suggest?q=Heemstede");
            Assert.Equal(HttpStatusCode.OK, antwoord.StatusCode);
            // Disposing the host flushes the console logger's queue.
            await app.DisposeAsync();
        }
        finally
        {
            Console.SetOut(eerder);
        }

        var regels = console.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.NotEmpty(regels);
        var objecten = regels.Select(r => JsonDocument.Parse(r).RootElement).ToList();
        var waarschuwing = objecten.Single(o => o.GetProperty("Category").GetString() == "Wijkmeldingen.Web.Geo.Geocoding.Geocoder");
        Assert.Equal("Warning", waarschuwing.GetProperty("LogLevel").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", waarschuwing.GetProperty("Timestamp").GetString());
        Assert.Contains("PDOK Locatieserver unavailable", waarschuwing.GetProperty("Message").GetString());
        var traceIds = waarschuwing
            .GetProperty("Scopes")
            .EnumerateArray()
            .Where(s => s.ValueKind == JsonValueKind.Object && s.TryGetProperty("TraceId", out _))
            .Select(s => s.GetProperty("TraceId").GetString())
            .ToList();
        Assert.Matches("^[0-9a-f]{32}$", Assert.Single(traceIds));
    }
}
