using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Features.Beheer;
using Wijkmeldingen.Web.Hosting;
using Xunit.Abstractions;

namespace Wijkmeldingen.Tests.Hosting;

/// <summary>Security headers on every kind of response (pages, API, GeoJSON, static files,
/// redirects, 400/401/404 and 503 error pages) and the flags on every cookie the portal sets.</summary>
public sealed class BeveiligdeAntwoordenTests(ITestOutputHelper output) : AppTest
{
    private static readonly Uri Https = new("https://meldingen.heemstede.example/");

    private static readonly string[] Paden =
    [
        "/",
        "/melden",
        "/kaart",
        "/kaart?pagina=2",
        "/wijken",
        "/wijkwandelingen",
        "/beheer/inloggen",
        "/beheer",
        "/beheer/medewerkers",
        "/kaart/meldingen.geojson?zoom=13&bbox=" + TestGemeente.Bbox(4.58, 52.32, 4.65, 52.37),
        "/kaart/meldingen.geojson",
        "/kaart/grenzen.geojson?niveau=wijk",
        $"/kaart/feed/buurt/{TestGemeente.EersteBuurt}.atom",
        "/adres/suggest?q=Binnenweg",
        "/open311/v2/discovery.json",
        "/open311/v2/services.xml",
        "/open311/v2/requests.json",
        "/open311/v2/requests/XXXX-XXXX-XXXX-XXXX.json",
        "/opendata/meldingen.csv",
        "/health",
        "/css/site.css",
        "/js/kaart.js",
        "/favicon.svg",
        "/sw.js",
        "/open311/openapi.json",
        "/lib/leaflet/leaflet.js",
        "/css/bestaat-niet.css",
        "/bestaat-niet",
        "/melding/ABCD-EFGH-JKMN-PQRS",
        "/fout",
        "/fout/500",
        "/taal/en?terug=/kaart",
    ];

    internal static void AssertHeaders(HttpResponseMessage antwoord, bool https, string wat)
    {
        ArgumentNullException.ThrowIfNull(antwoord);
        string Een(string naam) =>
            antwoord.Headers.TryGetValues(naam, out var v) ? string.Join(",", v)
            : antwoord.Content.Headers.TryGetValues(naam, out var c) ? string.Join(",", c)
            : throw new Xunit.Sdk.XunitException($"{wat}: no {naam} header");
        var csp = Een("Content-Security-Policy");
        var scriptSrc = csp.Split(';').Select(d => d.Trim()).Single(d => d.StartsWith("script-src ", StringComparison.Ordinal));
        Assert.Equal("script-src 'self'", scriptSrc);
        Assert.DoesNotContain("unsafe", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("object-src 'none'", csp);
        Assert.Equal("nosniff", Een("X-Content-Type-Options"));
        Assert.Equal("same-origin", Een("Referrer-Policy"));
        Assert.Contains("geolocation=(self)", Een("Permissions-Policy"));
        Assert.Contains("camera=()", Een("Permissions-Policy"));
        Assert.Equal("DENY", Een("X-Frame-Options"));
        if (https)
        {
            Assert.StartsWith("max-age=", Een("Strict-Transport-Security"));
        }
        else
        {
            Assert.False(antwoord.Headers.Contains("Strict-Transport-Security"), $"{wat}: HSTS over plain HTTP");
        }
    }

    [Fact]
    public async Task Every_kind_of_response_carries_the_security_headers_and_hsts_over_https()
    {
        var client = App.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = Https, AllowAutoRedirect = false });
        var statussen = new SortedSet<int>();
        foreach (var pad in Paden)
        {
            var antwoord = await client.GetAsync(pad);
            statussen.Add((int)antwoord.StatusCode);
            AssertHeaders(antwoord, https: true, pad);
        }
        using var zonderSleutel = new FormUrlEncodedContent([new("service_code", "parkeeroverlast")]);
        var api = await client.PostAsync("/open311/v2/requests.json", zonderSleutel);
        statussen.Add((int)api.StatusCode);
        AssertHeaders(api, https: true, "POST open311");
        using var zonderToken = new FormUrlEncodedContent([new("Invoer.Omschrijving", "x")]);
        var formulier = await client.PostAsync("/melden", zonderToken);
        statussen.Add((int)formulier.StatusCode);
        AssertHeaders(formulier, https: true, "POST /melden without token");

        output.WriteLine($"{Paden.Length + 2} responses checked, statuses {string.Join(", ", statussen)}");
        // The walk covered successes, redirects, client errors and the 500 page.
        Assert.Superset(new SortedSet<int> { 200, 302, 400, 403, 404, 500 }, statussen);
    }

    [Fact]
    public async Task A_503_while_the_database_is_down_carries_the_headers_too()
    {
        await using var app = new WijkAppFactory(
            "Host=127.0.0.1;Port=1;Username=postgres;Database=x;Timeout=2",
            new Dictionary<string, string?> { ["Database:MigrateOnStartup"] = "false" }
        );
        var antwoord = await app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = Https }).GetAsync("/kaart");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, antwoord.StatusCode);
        AssertHeaders(antwoord, https: true, "503");
    }

    [Fact]
    public async Task Plain_http_in_development_has_no_hsts_but_the_other_headers()
    {
        await using var ontwikkeling = App.WithWebHostBuilder(b => b.UseEnvironment("Development"));
        var ontwikkelingHttps = await ontwikkeling
            .CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = Https })
            .GetAsync("/kaart");
        var http = await App.CreateClient().GetAsync("/kaart");

        AssertHeaders(http, https: false, "http");
        Assert.False(ontwikkelingHttps.Headers.Contains("Strict-Transport-Security"));
        Assert.Contains("geolocation=(self)", ontwikkelingHttps.Headers.GetValues("Permissions-Policy").Single());
    }

    [Fact]
    public async Task Cookies_are_http_only_same_site_and_secure_over_https()
    {
        await BeheerAccounts.MaakAsync(App.Services, "beheerder@heemstede.nl", "Bea Beheerder", Rollen.Beheerder);
        var https = new FormulierClient(
            App.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = Https, AllowAutoRedirect = false })
        );
        var http = App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var formulier = await https.Http.GetAsync("/melden");
        var taal = await https.Http.GetAsync("/taal/en?terug=/");
        var inloggen = await https.OpenAsync("/beheer/inloggen");
        var ingelogd = await https.PostAsync(
            "/beheer/inloggen",
            inloggen.Token,
            [new("Email", "beheerder@heemstede.nl"), new("Wachtwoord", BeheerAccounts.Wachtwoord)]
        );
        var overHttp = await http.GetAsync("/melden");

        var af = Cookie(formulier, WebHosting.AntiforgeryCookie);
        Assert.Contains("secure", af);
        Assert.Contains("httponly", af);
        Assert.Contains("samesite=strict", af);
        var cultuur = Cookie(taal, ".AspNetCore.Culture");
        Assert.Contains("secure", cultuur);
        Assert.Contains("httponly", cultuur);
        Assert.Contains("samesite=lax", cultuur);
        var sessie = Cookie(ingelogd, BeheerSetup.CookieNaam);
        Assert.Contains("secure", sessie);
        Assert.Contains("httponly", sessie);
        Assert.Contains("samesite=strict", sessie);
        Assert.Contains("path=/beheer", sessie);
        // Over plain HTTP (development) the browser would drop a Secure cookie: not set then.
        var afHttp = Cookie(overHttp, WebHosting.AntiforgeryCookie);
        Assert.DoesNotContain("secure", afHttp);
        Assert.Contains("httponly", afHttp);
    }

    [Fact]
    public async Task Behind_a_trusted_proxy_x_forwarded_proto_https_makes_cookies_secure()
    {
        await using var achterProxy = new WijkAppFactory(
            Database.ConnectionString,
            new Dictionary<string, string?> { ["Proxy:Netwerken:0"] = "10.0.0.0/8" }
        );
        achterProxy.UseKestrel(0);
        achterProxy.StartServer();
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false };
        using var client = new HttpClient(handler) { BaseAddress = achterProxy.ClientOptions.BaseAddress };
        using var viaProxy = new HttpRequestMessage(HttpMethod.Get, "/melden");
        viaProxy.Headers.Add("X-Forwarded-Proto", "https");
        viaProxy.Headers.Add("X-Forwarded-For", "203.0.113.7");
        // The public host name (HSTS is never sent for localhost or 127.0.0.1).
        viaProxy.Headers.Host = "meldingen.heemstede.example";
        using var direct = new HttpRequestMessage(HttpMethod.Get, "/melden");

        // The test client connects from 127.0.0.1 (loopback is always a known proxy network).
        var antwoord = await client.SendAsync(viaProxy);
        var zonderProxy = await client.SendAsync(direct);

        Assert.Contains("secure", Cookie(antwoord, WebHosting.AntiforgeryCookie));
        Assert.StartsWith("max-age=", antwoord.Headers.GetValues("Strict-Transport-Security").Single());
        Assert.DoesNotContain("secure", Cookie(zonderProxy, WebHosting.AntiforgeryCookie));
    }

    private static string Cookie(HttpResponseMessage antwoord, string naam) =>
        (antwoord.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [])
            .Select(c => c.ToLowerInvariant())
            .SingleOrDefault(c => c.StartsWith(naam.ToLowerInvariant() + "=", StringComparison.Ordinal))
        ?? throw new Xunit.Sdk.XunitException($"no {naam} cookie set ({(int)antwoord.StatusCode})");
}
