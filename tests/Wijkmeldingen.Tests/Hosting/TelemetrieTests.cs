using System.Diagnostics;
using System.Globalization;
using System.Net;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Data;
using Wijkmeldingen.Web.Features.Open311;
using Wijkmeldingen.Web.Mail;

namespace Wijkmeldingen.Tests.Hosting;

/// <summary>Tests that read process-wide telemetry (meters and activity sources are matched by name
/// across every app in the test process) run alone, after the parallel ones.</summary>
[CollectionDefinition(Naam, DisableParallelization = true)]
public sealed class TelemetrieCollectie
{
    public const string Naam = "Telemetrie";
}

/// <summary>The portal's own metrics and the standard instrumentation, read back through
/// OpenTelemetry's in-memory exporter after filing reports through the real app.</summary>
[Collection(TelemetrieCollectie.Naam)]
public sealed class TelemetrieTests : DatabaseTest
{
    [Fact]
    public async Task Filed_reports_mail_failures_geocoder_fallbacks_and_lags_are_measured()
    {
        var metrics = new List<MetricSnapshot>();
        var spans = new List<Activity>();
        await using var basis = new WijkAppFactory(
            Database.ConnectionString,
            new Dictionary<string, string?>
            {
                // PDOK switched on but unreachable: every search falls back to the local one.
                ["Geocoder:PdokGebruiken"] = "true",
                ["Geocoder:PdokUrl"] = $"http://127.0.0.1:{TestSmtpServer.FreePort()}/",
                ["Geocoder:TimeoutMs"] = "1000",
                // An SMTP server that is down: sending fails.
                ["Mail:SmtpHost"] = "127.0.0.1",
                ["Mail:SmtpPort"] = TestSmtpServer.FreePort().ToString(CultureInfo.InvariantCulture),
                // One rollup round at start-up, then none during the test.
                ["Wijkbeeld:VerversSeconden"] = "3600",
            }
        );
        await using var app = basis.WithWebHostBuilder(web =>
            web.ConfigureTestServices(services =>
            {
                services.ConfigureOpenTelemetryMeterProvider(m => m.AddInMemoryExporter(metrics));
                services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans));
            })
        );
        var sleutel = await ApiSleutels.MaakAsync(DataSource, "telemetrie");

        // Two new reports through Open311 with an e-mail address (two mails queued), the first one
        // posted twice (the retry finds the first report: not counted again), one through the form.
        var eerste = await PostOpen311(app, sleutel, "parkeeroverlast", "Busje staat op de stoep bij de school.", "a@example.nl");
        Assert.Equal(eerste, await PostOpen311(app, sleutel, "parkeeroverlast", "Busje staat op de stoep bij de school.", "a@example.nl"));
        await PostOpen311(app, sleutel, "parkeeroverlast", "Auto parkeert elke avond op het fietspad.", "b@example.nl");
        var formulier = new FormulierClient(app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }));
        var pagina = await formulier.OpenAsync("/melden");
        var antwoord = await formulier.PostAsync(
            "/melden",
            pagina.Token,
            [
                new("Invoer.IdempotentieSleutel", pagina.IdempotentieSleutel!),
                new("Invoer.Rubriek", "jeugdoverlast"),
                new("Invoer.Omschrijving", "Groep jongeren vernielt elke avond de bankjes."),
                new("Invoer.Lat", TestGemeente.PlekTekst(52.3524, 4.6192).Lat),
                new("Invoer.Lon", TestGemeente.PlekTekst(52.3524, 4.6192).Lon),
            ]
        );
        Assert.Equal(HttpStatusCode.Redirect, antwoord.StatusCode);

        // Two address searches: PDOK fails, the local search answers.
        var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/adres/suggest?q=Heemstede")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/adres/suggest?q=Centrum")).StatusCode);

        // One outbox pass against the SMTP server that is down: both mails fail and stay queued.
        Assert.Equal(0, await app.Services.GetRequiredService<OutboxSender>().VerzendOpenstaandeAsync(CancellationToken.None));

        // The oldest mail was queued two minutes ago; the rollups were last brought up to date 90 s ago.
        await using (var connection = await DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync(
                "UPDATE mail_outbox SET aangemaakt_op = now() - interval '120 seconds' WHERE aan = 'a@example.nl'"
            );
            await connection.ExecuteAsync("UPDATE wijkbeeld_stand SET bijgewerkt_op = now() - interval '90 seconds'");
        }

        Assert.True(app.Services.GetRequiredService<MeterProvider>().ForceFlush(10_000));
        Assert.True(app.Services.GetRequiredService<TracerProvider>().ForceFlush(10_000));

        var laatste = metrics.GroupBy(m => m.Name).ToDictionary(g => g.Key, g => g.Last());

        var gemeld = Punten(laatste[WijkMetrics.MeldingenGemeld]);
        Assert.Equal(2, Som(gemeld, ("rubriek", "parkeeroverlast"), ("bron", "api")));
        Assert.Equal(1, Som(gemeld, ("rubriek", "jeugdoverlast"), ("bron", "web")));
        Assert.Equal(3, gemeld.Sum(p => p.GetSumLong()));

        var mislukt = Punten(laatste[WijkMetrics.MailMislukt]);
        Assert.Equal(2, Som(mislukt, ("opgegeven", false)));

        var terugval = Punten(laatste[WijkMetrics.GeocoderTerugval]);
        Assert.Equal(2, Som(terugval, ("reden", "fout")));

        Assert.Equal(2, Assert.Single(Punten(laatste[WijkMetrics.OutboxLengte])).GetGaugeLastValueLong());
        var oudste = Assert.Single(Punten(laatste[WijkMetrics.OutboxOudsteLeeftijd])).GetGaugeLastValueDouble();
        Assert.InRange(oudste, 120, 300);
        var achterstand = Assert.Single(Punten(laatste[WijkMetrics.RollupAchterstand])).GetGaugeLastValueDouble();
        Assert.InRange(achterstand, 90, 300);

        // The standard instrumentation: server requests, PDOK calls, database commands.
        Assert.Contains("http.server.request.duration", laatste.Keys);
        Assert.Contains("http.client.request.duration", laatste.Keys);
        Assert.Contains(laatste.Keys, naam => naam.StartsWith("db.client.", StringComparison.Ordinal));

        // A filed report is one trace: the server span with the database commands beneath it.
        var post = spans.First(s => s.Kind == ActivityKind.Server && s.DisplayName.StartsWith("POST /open311", StringComparison.Ordinal));
        Assert.Contains(spans, s => s.Kind == ActivityKind.Client && s.TraceId == post.TraceId && s.Source.Name == "Npgsql");
    }

    /// <summary>With Telemetrie__OtlpEndpoint set, traces and metrics reach the collector over OTLP/HTTP (a fake
    /// collector on a loopback port that records the request lines and answers 200).</summary>
    [Fact]
    public async Task With_an_otlp_endpoint_configured_traces_and_metrics_reach_the_collector()
    {
        var ontvangen = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var collectorBouwer = WebApplication.CreateSlimBuilder();
        collectorBouwer.WebHost.UseUrls("http://127.0.0.1:0");
        collectorBouwer.Logging.ClearProviders();
        await using var collector = collectorBouwer.Build();
        collector.MapPost("/v1/{signaal}", async (string signaal, HttpRequest request) =>
        {
            using var inhoud = new MemoryStream();
            await request.Body.CopyToAsync(inhoud);
            ontvangen.Enqueue($"{signaal} {request.ContentType} {inhoud.Length}");
            return Results.Ok();
        });
        await collector.StartAsync();
        var adres = collector.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        // As operations configure it: environment variables, read when Program registers its services
        // (the factory's in-memory settings arrive later). This collection runs alone, so the
        // process-wide variables reach no other test.
        Environment.SetEnvironmentVariable("Telemetrie__OtlpEndpoint", adres);
        Environment.SetEnvironmentVariable("Telemetrie__OtlpProtocol", "HttpProtobuf");
        try
        {
            await using var app = new WijkAppFactory(Database.ConnectionString);
            Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().GetAsync("/kaart")).StatusCode);
            Assert.True(app.Services.GetRequiredService<TracerProvider>().ForceFlush(10_000));
            Assert.True(app.Services.GetRequiredService<MeterProvider>().ForceFlush(10_000));
        }
        finally
        {
            Environment.SetEnvironmentVariable("Telemetrie__OtlpEndpoint", null);
            Environment.SetEnvironmentVariable("Telemetrie__OtlpProtocol", null);
        }
        await collector.StopAsync();

        Assert.Contains(ontvangen, r => r.StartsWith("traces application/x-protobuf ", StringComparison.Ordinal) && !r.EndsWith(" 0"));
        Assert.Contains(ontvangen, r => r.StartsWith("metrics application/x-protobuf ", StringComparison.Ordinal) && !r.EndsWith(" 0"));
    }

    private static async Task<string> PostOpen311(
        WebApplicationFactory<Program> app,
        string sleutel,
        string dienst,
        string omschrijving,
        string email
    )
    {
        using var inhoud = new FormUrlEncodedContent(
            new Dictionary<string, string>
            {
                ["api_key"] = sleutel,
                ["service_code"] = dienst,
                ["lat"] = TestGemeente.PlekTekst(52.3524, 4.6192).Lat,
                ["long"] = TestGemeente.PlekTekst(52.3524, 4.6192).Lon,
                ["description"] = omschrijving,
                ["email"] = email,
            }
        );
        var antwoord = await app.CreateClient().PostAsync("/open311/v2/requests.json", inhoud);
        var body = await antwoord.Content.ReadAsStringAsync();
        Assert.True(antwoord.StatusCode == HttpStatusCode.OK, body);
        return body;
    }

    private static List<MetricPoint> Punten(MetricSnapshot metric) => [.. metric.MetricPoints];

    private static long Som(IEnumerable<MetricPoint> punten, params (string Sleutel, object Waarde)[] labels) =>
        punten
            .Where(p =>
            {
                var tags = new Dictionary<string, object?>();
                foreach (var tag in p.Tags)
                {
                    tags[tag.Key] = tag.Value;
                }
                return labels.All(l => tags.TryGetValue(l.Sleutel, out var waarde) && Equals(waarde, l.Waarde));
            })
            .Sum(p => p.GetSumLong());
}
