using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Wijkmeldingen.Testing;

namespace Wijkmeldingen.Tests.Geo;

/// <summary>
/// The composite geocoder against a PDOK that answers (a fake Locatieserver on a loopback port), one
/// that is down, slow or finds nothing, and one that is switched off: PDOK's results are used when it
/// has them, the local search answers otherwise, within Geocoder:TimeoutMs plus the local search.
/// </summary>
public sealed class PdokGeocoderTests : DatabaseTest
{
    // A buurt found by the local search alone (Schouwbroekerpolder, or Voorbeeldstad's Oude Haven).
    private static readonly string BuurtLokaal = "buurt-" + TestAdressen.LegeBuurt;
    private static readonly string BuurtVraag = TestAdressen.LegeBuurtZoekvraag;

    // The fake PDOK's one address, in the loaded municipality's first buurt.
    private static readonly string NepAdres = TestGemeente.IsVoorbeeldstad
        ? "Nepstraat 1, 9992XX Voorbeeldstad"
        : "Nepstraat 1, 2101XX Heemstede";
    private static readonly string NepPunt = TestGemeente.IsVoorbeeldstad ? "POINT(5.5097 52.5158)" : "POINT(4.6201 52.353)";

    [Fact]
    public async Task Pdok_results_are_used_when_it_answers()
    {
        await using var pdok = await FakeLocatieserver.StartAsync();
        await using var app = App(pdok.Url);

        var docs = await SuggestAsync(app, "Nepstraat 1");

        var doc = Assert.Single(docs);
        Assert.Equal("adr-nep-1", doc.GetProperty("id").GetString());
        Assert.Equal("adres", doc.GetProperty("type").GetString());
        Assert.Equal(NepAdres, doc.GetProperty("weergavenaam").GetString());
        Assert.Equal(NepPunt, doc.GetProperty("centroide_ll").GetString());
        Assert.Equal(TestGemeente.EersteWijk, doc.GetProperty("wijkcode").GetString());
        Assert.Equal(TestGemeente.EersteBuurt, doc.GetProperty("buurtcode").GetString());
        var suggest = Assert.Single(pdok.Requests, r => r.StartsWith("/suggest", StringComparison.Ordinal));
        Assert.Contains("q=Nepstraat%201", suggest);
        Assert.Contains("fq=gemeentecode%3A" + (TestGemeente.IsVoorbeeldstad ? "9999" : "0397"), suggest);
        Assert.Contains(pdok.Requests, r => r == "/lookup?id=adr-nep-1");
    }

    [Fact]
    public async Task Falls_back_to_the_local_search_when_pdok_is_down()
    {
        await using var app = App($"http://127.0.0.1:{ClosedPort()}/locatieserver");

        var (docs, duur) = await GetimedSuggestAsync(app, BuurtVraag);

        Assert.Equal(BuurtLokaal, docs[0].GetProperty("id").GetString());
        AssertBinnen(duur, TimeSpan.FromMilliseconds(1500));
    }

    [Fact]
    public async Task Falls_back_to_the_local_search_when_pdok_is_too_slow()
    {
        await using var pdok = await FakeLocatieserver.StartAsync(vertraging: TimeSpan.FromSeconds(20));
        await using var app = App(pdok.Url, timeoutMs: 300);

        var (docs, duur) = await GetimedSuggestAsync(app, BuurtVraag);

        Assert.Equal(BuurtLokaal, docs[0].GetProperty("id").GetString());
        Assert.NotEmpty(pdok.Requests);
        // PDOK would answer after 20 s; the search gives up on it after Geocoder:TimeoutMs.
        AssertBinnen(duur, TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task Falls_back_to_the_local_search_when_pdok_finds_nothing()
    {
        await using var pdok = await FakeLocatieserver.StartAsync();
        await using var app = App(pdok.Url);

        var docs = await SuggestAsync(app, BuurtVraag);

        Assert.Equal(BuurtLokaal, docs[0].GetProperty("id").GetString());
        Assert.Contains(pdok.Requests, r =>
            r.StartsWith("/suggest?q=" + Uri.EscapeDataString(BuurtVraag), StringComparison.Ordinal)
        );
    }

    [Fact]
    public async Task Falls_back_to_the_local_search_when_pdok_answers_an_error()
    {
        await using var pdok = await FakeLocatieserver.StartAsync(status: StatusCodes.Status503ServiceUnavailable);
        await using var app = App(pdok.Url);

        var (docs, duur) = await GetimedSuggestAsync(app, "Nepstraat 1 " + BuurtVraag);

        AssertBinnen(duur, TimeSpan.FromMilliseconds(1500));
        Assert.DoesNotContain(docs, d => d.GetProperty("id").GetString() == "adr-nep-1");
        // 503 is transient: the first try and the retries all reached PDOK.
        Assert.True(pdok.Requests.Count >= 2, $"{pdok.Requests.Count} requests");
    }

    [Fact]
    public async Task Pdok_is_never_called_when_switched_off()
    {
        await using var pdok = await FakeLocatieserver.StartAsync();
        await using var app = App(pdok.Url, gebruiken: false);

        var docs = await SuggestAsync(app, "Nepstraat 1");

        Assert.DoesNotContain(docs, d => d.GetProperty("id").GetString() == "adr-nep-1");
        Assert.Empty(pdok.Requests);
    }

    // The Raadhuisplein (moved onto the loaded municipality); the test database has no imported addresses.
    private static readonly string Raadhuisplein =
        $"lat={TestGemeente.PlekTekst(52.3524, 4.6192).Lat}&lon={TestGemeente.PlekTekst(52.3524, 4.6192).Lon}";

    [Fact]
    public async Task A_dropped_pin_is_named_by_pdoks_nearest_address_with_the_local_buurt()
    {
        await using var pdok = await FakeLocatieserver.StartAsync();
        await using var app = App(pdok.Url);

        await using var alleenLokaal = App(pdok.Url, gebruiken: false);

        var plaats = await OmgekeerdAsync(app, Raadhuisplein);
        var lokaal = await OmgekeerdAsync(alleenLokaal, Raadhuisplein);

        Assert.Equal(NepAdres, plaats.GetProperty("weergavenaam").GetString());
        Assert.StartsWith("in de buurt ", lokaal.GetProperty("weergavenaam").GetString(), StringComparison.Ordinal);
        Assert.StartsWith(
            "BU" + (TestGemeente.IsVoorbeeldstad ? "9999" : "0397"),
            plaats.GetProperty("buurtcode").GetString(),
            StringComparison.Ordinal
        );
        Assert.Equal(lokaal.GetProperty("buurtcode").GetString(), plaats.GetProperty("buurtcode").GetString());
        Assert.True(plaats.GetProperty("binnenGemeente").GetBoolean());
        var reverse = Assert.Single(pdok.Requests, r => r.StartsWith("/reverse", StringComparison.Ordinal));
        Assert.Contains(Raadhuisplein + "&type=adres&rows=1&distance=40", reverse);
    }

    [Fact]
    public async Task A_dropped_pin_is_named_by_its_buurt_when_pdok_is_down_or_knows_no_address_nearby()
    {
        await using (var app = App($"http://127.0.0.1:{ClosedPort()}/locatieserver"))
        {
            var plaats = await OmgekeerdAsync(app, Raadhuisplein);
            Assert.StartsWith("in de buurt ", plaats.GetProperty("weergavenaam").GetString(), StringComparison.Ordinal);
            Assert.True(plaats.GetProperty("binnenGemeente").GetBoolean());
        }
        await using var pdok = await FakeLocatieserver.StartAsync();
        await using var leeg = App(pdok.Url);
        // The fake knows an address only near the Raadhuisplein; this point is in another buurt.
        var (verwegLat, verwegLon) = TestGemeente.PlekTekst(52.3541, 4.633);
        var verweg = await OmgekeerdAsync(leeg, $"lat={verwegLat}&lon={verwegLon}");
        Assert.StartsWith("in de buurt ", verweg.GetProperty("weergavenaam").GetString(), StringComparison.Ordinal);
        Assert.Single(pdok.Requests, r => r.StartsWith("/reverse", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_point_outside_the_municipality_is_not_sent_to_pdok()
    {
        await using var pdok = await FakeLocatieserver.StartAsync();
        await using var app = App(pdok.Url);

        var plaats = await OmgekeerdAsync(app, "lat=52.3702&lon=4.8952");

        Assert.False(plaats.GetProperty("binnenGemeente").GetBoolean());
        Assert.Empty(pdok.Requests);
    }

    private static async Task<JsonElement> OmgekeerdAsync(WijkAppFactory app, string query)
    {
        var response = await app.CreateClient().GetAsync("/adres/omgekeerd?" + query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.Clone();
    }

    private WijkAppFactory App(string pdokUrl, bool gebruiken = true, int timeoutMs = 1500) =>
        new(
            Database.ConnectionString,
            new Dictionary<string, string?>
            {
                ["Geocoder:PdokUrl"] = pdokUrl,
                ["Geocoder:PdokGebruiken"] = gebruiken ? "true" : "false",
                ["Geocoder:TimeoutMs"] = timeoutMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
            }
        );

    private static async Task<List<JsonElement>> SuggestAsync(WijkAppFactory app, string q)
    {
        var client = app.CreateClient();
        var response = await client.GetAsync("/adres/suggest?q=" + Uri.EscapeDataString(q));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("response").GetProperty("docs").EnumerateArray().Select(d => d.Clone()).ToList();
    }

    /// <summary>One search timed on a warm app (the first request starts the app and is not timed).</summary>
    private static async Task<(List<JsonElement> Docs, TimeSpan Duur)> GetimedSuggestAsync(WijkAppFactory app, string q)
    {
        var client = app.CreateClient();
        (await client.GetAsync("/adres/suggest?q=x")).EnsureSuccessStatusCode();
        var klok = System.Diagnostics.Stopwatch.StartNew();
        var docs = await SuggestAsync(app, q);
        return (docs, klok.Elapsed);
    }

    /// <summary>The fallback answers within the PDOK budget (Geocoder:TimeoutMs) plus the local
    /// search; the margin allows for a test machine busy with other test classes.</summary>
    private static void AssertBinnen(TimeSpan duur, TimeSpan pdokBudget)
    {
        var grens = pdokBudget + TimeSpan.FromSeconds(2);
        Assert.True(duur < grens, $"address search took {duur.TotalMilliseconds:0} ms, bound {grens.TotalMilliseconds:0} ms");
    }

    /// <summary>A loopback port nobody listens on: connecting is refused at once.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>
    /// Just enough of PDOK Locatieserver: /suggest knows one fictional address ("Nepstraat 1") and
    /// answers like PDOK (id, type, weergavenaam, score; no centroid), /lookup gives its centroid and
    /// CBS codes. Every request is recorded.
    /// </summary>
    private sealed class FakeLocatieserver : IAsyncDisposable
    {
        private readonly WebApplication app;

        private FakeLocatieserver(WebApplication app, string url)
        {
            this.app = app;
            Url = url;
        }

        public string Url { get; }

        public ConcurrentQueue<string> Log { get; } = new();

        public List<string> Requests => Log.ToList();

        public static async Task<FakeLocatieserver> StartAsync(TimeSpan? vertraging = null, int status = StatusCodes.Status200OK)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            FakeLocatieserver? server = null;
            app.Use(
                async (context, next) =>
                {
                    server!.Log.Enqueue(context.Request.Path + context.Request.QueryString);
                    if (vertraging is { } wacht)
                    {
                        await Task.Delay(wacht, context.RequestAborted);
                    }
                    if (status != StatusCodes.Status200OK)
                    {
                        context.Response.StatusCode = status;
                        return;
                    }
                    await next(context);
                }
            );
            app.MapGet("/suggest", (string q) => Results.Json(
                    new
                    {
                        response = new
                        {
                            numFound = q.StartsWith("Nepstraat", StringComparison.Ordinal) ? 1 : 0,
                            start = 0,
                            maxScore = 9.5,
                            numFoundExact = true,
                            docs = q.StartsWith("Nepstraat", StringComparison.Ordinal)
                                ? new object[]
                                {
                                    new
                                    {
                                        type = "adres",
                                        weergavenaam = NepAdres,
                                        id = "adr-nep-1",
                                        score = 9.5,
                                    },
                                }
                                : [],
                        },
                        highlighting = new { },
                        spellcheck = new { suggestions = Array.Empty<object>() },
                    }
                ));
            app.MapGet("/lookup", (string id) => Results.Json(
                    new
                    {
                        response = new
                        {
                            numFound = id == "adr-nep-1" ? 1 : 0,
                            start = 0,
                            maxScore = 1.0,
                            numFoundExact = true,
                            docs = id == "adr-nep-1"
                                ? new object[]
                                {
                                    new
                                    {
                                        id = "adr-nep-1",
                                        type = "adres",
                                        weergavenaam = NepAdres,
                                        straatnaam = "Nepstraat",
                                        huisnummer = 1,
                                        postcode = TestGemeente.IsVoorbeeldstad ? "9992XX" : "2101XX",
                                        woonplaatsnaam = TestGemeente.Naam,
                                        gemeentecode = TestGemeente.IsVoorbeeldstad ? "9999" : "0397",
                                        gemeentenaam = TestGemeente.Naam,
                                        wijkcode = TestGemeente.EersteWijk,
                                        wijknaam = TestGemeente.IsVoorbeeldstad
                                            ? "Wijk 00 Voorbeeldstad-West (synthetisch)"
                                            : "Wijk 00 Heemstede-Centrum",
                                        buurtcode = TestGemeente.EersteBuurt,
                                        buurtnaam = TestGemeente.EersteBuurtNaam,
                                        centroide_ll = NepPunt,
                                        centroide_rd = TestGemeente.IsVoorbeeldstad
                                            ? "POINT(163315.0 503132.0)"
                                            : "POINT(104000.0 485000.0)",
                                    },
                                }
                                : [],
                        },
                    }
                ));
            // Reverse: one fictional address close to the Raadhuisplein, nothing elsewhere.
            app.MapGet("/reverse", (double lat, double lon) => Results.Json(
                    new
                    {
                        response = new
                        {
                            numFound = Math.Abs(lat - TestGemeente.Lat) < 0.001 && Math.Abs(lon - TestGemeente.Lon) < 0.001 ? 1 : 0,
                            start = 0,
                            maxScore = 1.0,
                            numFoundExact = true,
                            docs = Math.Abs(lat - TestGemeente.Lat) < 0.001 && Math.Abs(lon - TestGemeente.Lon) < 0.001
                                ? new object[]
                                {
                                    new
                                    {
                                        type = "adres",
                                        weergavenaam = NepAdres,
                                        id = "adr-nep-1",
                                        afstand = 12.3,
                                    },
                                }
                                : [],
                        },
                    }
                ));
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            server = new FakeLocatieserver(app, address);
            return server;
        }

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
