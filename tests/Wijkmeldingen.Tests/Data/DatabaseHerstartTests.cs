using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Dapper;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Data;
using Wijkmeldingen.Web.Features.Open311;
using Xunit.Abstractions;

namespace Wijkmeldingen.Tests.Data;

/// <summary>
/// Fault: PostgreSQL stops (pg_ctl stop -m fast) and starts again while residents and an app file
/// reports. The portal (the real app on Kestrel) runs against a cluster of this test's own, so
/// stopping it disturbs no other test class. What must hold: every report answered as accepted is in
/// the database afterwards; every other answer is a 503 with a clear Dutch message (the web form
/// keeps the input), never a 500; once the database is back, new reports succeed without restarting
/// the portal (DatabaseResilience: retry with backoff, then the circuit breaker).
/// </summary>
public sealed class DatabaseHerstartTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int ApiClients = 3,
        FormClients = 2;
    private static readonly TimeSpan Onderbreking = TimeSpan.FromSeconds(4);

    private EigenCluster cluster = null!;
    private WijkAppFactory app = null!;
    private string apiSleutel = "";

    private sealed record Poging(string Soort, int Client, int Status, string? Code, string Body, string Omschrijving, TimeSpan Moment);

    public async Task InitializeAsync()
    {
        GeometryTypeHandlers.Register();
        cluster = await EigenCluster.StartAsync();
        await using (var dataSource = Database.CreateDataSource(cluster.ConnectionString + ";Pooling=false", TestDatabase.Opties()))
        {
            apiSleutel = await ApiSleutels.MaakAsync(dataSource, "storingstest");
        }
        app = new WijkAppFactory(
            cluster.ConnectionString,
            new Dictionary<string, string?>
            {
                ["Open311:PerSleutelPerMinuut"] = "100000",
                ["Open311:PerClientPerMinuut"] = "100000",
                ["Melden:RateLimietAantal"] = "100000",
                // Hundreds of retries and refusals are expected here: keep the test log readable.
                ["Logging:LogLevel:Default"] = "Warning",
                ["Logging:LogLevel:Polly"] = "Error",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Error",
            }
        );
        app.UseKestrel(0);
        app.StartServer();
    }

    public async Task DisposeAsync()
    {
        await app.DisposeAsync();
        await cluster.DisposeAsync();
    }

    [Fact]
    public async Task Reports_accepted_during_a_database_restart_are_stored_the_rest_get_503_and_the_portal_recovers_by_itself()
    {
        var basis = app.ClientOptions.BaseAddress;
        var pogingen = new ConcurrentQueue<Poging>();
        var klok = Stopwatch.StartNew();
        using var stoppen = new CancellationTokenSource();
        var hersteldOp = TimeSpan.MaxValue;

        // Form clients open /melden once while the database is up (antiforgery cookie and token).
        var formulieren = new List<FormulierClient>();
        for (var i = 0; i < FormClients; i++)
        {
            var client = new FormulierClient(
                new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true })
                {
                    BaseAddress = basis,
                    Timeout = TimeSpan.FromSeconds(30),
                }
            );
            formulieren.Add(client);
        }
        var tokens = new List<string>();
        foreach (var formulier in formulieren)
        {
            tokens.Add((await formulier.OpenAsync("/melden")).Token);
        }

        async Task ApiClientAsync(int nummer)
        {
            using var http = new HttpClient { BaseAddress = basis, Timeout = TimeSpan.FromSeconds(30) };
            var random = new Random(nummer);
            for (var i = 0; !stoppen.IsCancellationRequested; i++)
            {
                var omschrijving = $"API-melding {nummer}-{i}: auto op de stoep.";
                using var inhoud = new FormUrlEncodedContent(
                    new Dictionary<string, string>
                    {
                        ["api_key"] = apiSleutel,
                        ["service_code"] = i % 2 == 0 ? "parkeeroverlast" : "jeugdoverlast",
                        ["lat"] = (TestGemeente.Lat + ((random.NextDouble() - 0.5) * 0.003)).ToString("R", CultureInfo.InvariantCulture),
                        ["long"] = (TestGemeente.Lon + ((random.NextDouble() - 0.5) * 0.003)).ToString("R", CultureInfo.InvariantCulture),
                        ["description"] = omschrijving,
                    }
                );
                using var antwoord = await VerstuurAsync(() => http.PostAsync("/open311/v2/requests.json", inhoud));
                var body = await antwoord.Content.ReadAsStringAsync();
                string? code = null;
                if (antwoord.IsSuccessStatusCode)
                {
                    code = JsonDocument.Parse(body).RootElement[0].GetProperty("service_request_id").GetString();
                }
                pogingen.Enqueue(new Poging("api", nummer, (int)antwoord.StatusCode, code, body, omschrijving, klok.Elapsed));
                await Task.Delay(antwoord.IsSuccessStatusCode ? 10 : 100);
            }
        }

        async Task FormClientAsync(int nummer)
        {
            var formulier = formulieren[nummer];
            for (var i = 0; !stoppen.IsCancellationRequested; i++)
            {
                var omschrijving = $"Formuliermelding {nummer}-{i}: fietsen in de weg bij de school.";
                using var antwoord = await VerstuurAsync(() =>
                    formulier.PostAsync(
                        "/melden",
                        tokens[nummer],
                        [
                            new("Invoer.IdempotentieSleutel", Guid.NewGuid().ToString()),
                            new("Invoer.Rubriek", "parkeeroverlast"),
                            new("Invoer.Omschrijving", omschrijving),
                            new("Invoer.Email", ""),
                            new("Invoer.Website", ""),
                            new("Invoer.Plek", ""),
                            new("Invoer.Lat", TestGemeente.PlekTekst(52.3524, 4.6192).Lat),
                            new("Invoer.Lon", TestGemeente.PlekTekst(52.3524, 4.6192).Lon),
                        ]
                    )
                );
                var body = await antwoord.Content.ReadAsStringAsync();
                var locatie = antwoord.Headers.Location?.ToString();
                var code =
                    antwoord.StatusCode == HttpStatusCode.Redirect
                    && locatie is not null
                    && locatie.StartsWith("/melden/bedankt/", StringComparison.Ordinal)
                        ? locatie["/melden/bedankt/".Length..]
                        : null;
                pogingen.Enqueue(new Poging("formulier", nummer, (int)antwoord.StatusCode, code, body, omschrijving, klok.Elapsed));
                await Task.Delay(code is not null ? 10 : 100);
            }
        }

        var clients = Enumerable
            .Range(0, ApiClients)
            .Select(ApiClientAsync)
            .Concat(Enumerable.Range(0, FormClients).Select(FormClientAsync))
            .ToList();

        TimeSpan gestoptOp,
            gestartOp;
        try
        {
            // Load first, then the database goes away for a few seconds and comes back.
            await WachtTot(() => pogingen.Count(p => p.Code is not null) >= 30, TimeSpan.FromSeconds(20));
            gestoptOp = klok.Elapsed;
            await cluster.StopDatabaseAsync();
            await Task.Delay(Onderbreking);
            await cluster.StartDatabaseAsync();
            gestartOp = klok.Elapsed;
            // The portal must find the database again by itself: new reports of both kinds succeed.
            await WachtTot(
                () =>
                    pogingen.Count(p => p.Moment > gestartOp && p.Code is not null && p.Soort == "api") >= 10
                    && pogingen.Count(p => p.Moment > gestartOp && p.Code is not null && p.Soort == "formulier") >= 4,
                TimeSpan.FromSeconds(30)
            );
            hersteldOp = pogingen.Where(p => p.Moment > gestartOp && p.Code is not null).Min(p => p.Moment);
        }
        finally
        {
            await stoppen.CancelAsync();
            await Task.WhenAll(clients);
        }
        foreach (var formulier in formulieren)
        {
            formulier.Http.Dispose();
        }

        var alle = pogingen.ToList();
        var aanvaard = alle.Where(p => p.Code is not null).ToList();
        var geweigerd = alle.Where(p => p.Status == 503).ToList();
        List<string> opgeslagen;
        await using (var bron = Database.CreateDataSource(cluster.ConnectionString + ";Pooling=false", TestDatabase.Opties()))
        await using (var connection = await bron.OpenConnectionAsync())
        {
            opgeslagen = (
                await connection.QueryAsync<string>(
                    "SELECT volgcode FROM melding WHERE volgcode = ANY(@codes)",
                    new { codes = aanvaard.Select(p => p.Code!).ToArray() }
                )
            ).ToList();
            var totaal = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM melding");
            output.WriteLine(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"{alle.Count} requests: {aanvaard.Count} accepted ({aanvaard.Count(p => p.Soort == "api")} api, "
                        + $"{aanvaard.Count(p => p.Soort == "formulier")} form), "
                        + $"{opgeslagen.Count} of them stored; {geweigerd.Count} answered 503; {totaal} reports in the database. "
                        + $"Database stopped at {gestoptOp.TotalSeconds:0.0} s, started at {gestartOp.TotalSeconds:0.0} s, "
                        + $"first success after it at {hersteldOp.TotalSeconds:0.0} s."
                )
            );
        }

        // Never anything but accepted or 503: no 500, no 400 for valid input.
        var anders = alle.Where(p => p.Code is null && p.Status != 503).ToList();
        Assert.True(
            anders.Count == 0,
            "unexpected answers: "
                + string.Join("; ", anders.Take(5).Select(p => $"{p.Soort} {p.Status}: {p.Body[..Math.Min(300, p.Body.Length)]}"))
        );
        // The fault really hit the clients...
        Assert.Contains(geweigerd, p => p.Soort == "api");
        Assert.Contains(geweigerd, p => p.Soort == "formulier");
        // ...and nothing that was answered as accepted was lost.
        Assert.Equal(aanvaard.Select(p => p.Code).Order(StringComparer.Ordinal), opgeslagen.Order(StringComparer.Ordinal));

        foreach (var p in geweigerd.Where(p => p.Soort == "api"))
        {
            var fout = Assert.Single(JsonDocument.Parse(p.Body).RootElement.EnumerateArray());
            Assert.Equal(503, fout.GetProperty("code").GetInt32());
            Assert.Contains("tijdelijk niet beschikbaar", fout.GetProperty("description").GetString(), StringComparison.Ordinal);
        }
        foreach (var p in geweigerd.Where(p => p.Soort == "formulier"))
        {
            // The form again, with the Dutch explanation and the description the melder typed.
            Assert.Contains("tijdelijk niet bereikbaar", p.Body, StringComparison.Ordinal);
            Assert.Contains(p.Omschrijving, WebUtility.HtmlDecode(p.Body), StringComparison.Ordinal);
            Assert.Contains("name=\"Invoer.Omschrijving\"", p.Body, StringComparison.Ordinal);
        }
    }

    /// <summary>A request the portal did not answer at all (connection refused, timeout) counts as status 0.</summary>
    private static async Task<HttpResponseMessage> VerstuurAsync(Func<Task<HttpResponseMessage>> verzoek)
    {
        try
        {
            return await verzoek();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return new HttpResponseMessage((HttpStatusCode)0) { Content = new StringContent(e.Message) };
        }
    }

    private static async Task WachtTot(Func<bool> voorwaarde, TimeSpan maximaal)
    {
        var klok = Stopwatch.StartNew();
        while (!voorwaarde())
        {
            Assert.True(klok.Elapsed < maximaal, $"condition not met within {maximaal.TotalSeconds} s");
            await Task.Delay(50);
        }
    }
}
