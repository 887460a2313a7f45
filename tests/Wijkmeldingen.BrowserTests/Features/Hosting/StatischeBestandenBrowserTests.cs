using System.Text.Json;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Wijkmeldingen.BrowserTests.Features.Hosting;

/// <summary>What a phone downloads for the first visit of /melden (issue 15: at most 200 KB without
/// map tiles). Measured as Chromium's DevTools counts it: the encoded bytes of every response of the
/// page (headers and body, as transferred), from the CDP Network domain, in a fresh profile (an empty
/// HTTP cache). No routing is installed, since Playwright's routing turns the HTTP cache off.</summary>
[Collection(BrowserGroup.Name)]
public sealed class StatischeBestandenBrowserTests(BrowserFixture fixture, ITestOutputHelper output)
{
    private const long Grens = 200_000;

    private sealed record Antwoord(string Url, int Status, string? Codering, string? Cache, string Soort)
    {
        public long Bytes { get; set; }
    }

    [Fact]
    public async Task First_load_of_melden_on_a_phone_transfers_at_most_200_KB_without_map_tiles()
    {
        await using var context = await fixture.Browser.NewContextAsync(BrowserFixture.Phone390);
        var page = await context.NewPageAsync();
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                problems.Add("console error: " + message.Text);
            }
        };
        page.PageError += (_, error) => problems.Add("script error: " + error);

        var antwoorden = new Dictionary<string, Antwoord>();
        var klaar = new Dictionary<string, long>();
        var cdp = await context.NewCDPSessionAsync(page);
        cdp.Event("Network.responseReceived").OnEvent += (_, e) =>
        {
            if (e is not { } json)
            {
                return;
            }
            var response = json.GetProperty("response");
            var headers = response.GetProperty("headers");
            lock (antwoorden)
            {
                antwoorden[json.GetProperty("requestId").GetString()!] = new Antwoord(
                    response.GetProperty("url").GetString()!,
                    response.GetProperty("status").GetInt32(),
                    Kop(headers, "content-encoding"),
                    Kop(headers, "cache-control"),
                    json.GetProperty("type").GetString() ?? ""
                );
            }
        };
        cdp.Event("Network.loadingFinished").OnEvent += (_, e) =>
        {
            if (e is { } json)
            {
                lock (antwoorden)
                {
                    klaar[json.GetProperty("requestId").GetString()!] = (long)json.GetProperty("encodedDataLength").GetDouble();
                }
            }
        };
        await cdp.SendAsync("Network.enable");

        await page.GotoAsync(new Uri(fixture.BaseAddress, "/melden").ToString());
        await Assertions.Expect(page.Locator("#meldformulier")).ToHaveAttributeAsync("data-klaar", "true");
        await Assertions.Expect(page.Locator("#meldkaart")).ToHaveAttributeAsync("data-klaar", "true");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        List<Antwoord> lijst;
        lock (antwoorden)
        {
            foreach (var (id, bytes) in klaar)
            {
                if (antwoorden.TryGetValue(id, out var a))
                {
                    a.Bytes = bytes;
                }
            }
            lijst = [.. antwoorden.Values];
        }
        var origin = fixture.BaseAddress.GetLeftPart(UriPartial.Authority);
        // Map tiles come from the configured tile server (another origin); the tests configure none.
        // data: URLs (Leaflet's inline images) cross no network.
        lijst.RemoveAll(a => a.Url.StartsWith("data:", StringComparison.Ordinal));
        var zonderTegels = lijst.Where(a => a.Url.StartsWith(origin, StringComparison.Ordinal)).ToList();
        Assert.True(
            lijst.Count == zonderTegels.Count,
            "requests outside this origin: " + string.Join(", ", lijst.Except(zonderTegels).Select(a => a.Url))
        );
        var totaal = zonderTegels.Sum(a => a.Bytes);
        foreach (var a in zonderTegels.OrderByDescending(a => a.Bytes))
        {
            output.WriteLine($"{a.Bytes, 8:N0} B  {a.Status} {a.Codering ?? "-", -4} {a.Cache ?? "-", -40} {a.Url[origin.Length..]}");
        }
        output.WriteLine($"/melden first load on a phone: {totaal:N0} bytes in {zonderTegels.Count} responses");
        Console.WriteLine($"/melden first load on a phone: {totaal:N0} bytes in {zonderTegels.Count} responses");

        // The big static files arrive compressed, under a fingerprinted name cached for a year.
        foreach (
            var (bestand, soort) in new[] { ("/lib/leaflet/leaflet.", "Script"), ("/css/site.", "Stylesheet"), ("/js/melden.", "Script") }
        )
        {
            var a = Assert.Single(zonderTegels, a => a.Url.Contains(bestand, StringComparison.Ordinal) && a.Soort == soort);
            Assert.True(a.Codering is "br" or "gzip", $"{a.Url} was sent without compression");
            Assert.Contains("max-age=31536000", a.Cache ?? "", StringComparison.Ordinal);
            Assert.Contains("immutable", a.Cache ?? "", StringComparison.Ordinal);
        }
        Assert.True(totaal <= Grens, $"/melden transferred {totaal:N0} bytes on its first load; at most {Grens:N0} allowed");
        Assert.Empty(problems);
    }

    private static string? Kop(JsonElement headers, string naam)
    {
        foreach (var kop in headers.EnumerateObject())
        {
            if (string.Equals(kop.Name, naam, StringComparison.OrdinalIgnoreCase))
            {
                return kop.Value.GetString();
            }
        }
        return null;
    }
}
