using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Features.Wijkbeeld;

namespace Wijkmeldingen.Tests.Features.Wijkbeeld;

/// <summary>
/// The staff side of the safety picture: /beheer/hotspots and /beheer/wijken/{code} show what the
/// public pages suppress. Reports in buurt TestGemeente.EersteBuurt (all on one spot), 4th quarter of 2025:
/// 30 jeugdoverlast in October, 3 parkeeroverlast in November (public: "&lt; 5"), 50 drugsafval
/// ('verborgen', never public) in October.
/// </summary>
public sealed partial class WijkbeeldBeheerTests : AppTest
{
    private const string Kwartaal = "soort=kwartaal&kwartaal=2025-4";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var oktober = new DateTime(2025, 10, 15, 12, 0, 0);
        await TestMeldingen.MeldAsync(DataSource, "jeugdoverlast", TestGemeente.EersteBuurt, oktober, 30);
        await TestMeldingen.MeldAsync(DataSource, "parkeeroverlast", TestGemeente.EersteBuurt, new DateTime(2025, 11, 3, 9, 0, 0), 3);
        await TestMeldingen.MeldAsync(DataSource, "drugsafval", TestGemeente.EersteBuurt, oktober, 50);
        await App.Services.GetRequiredService<WijkbeeldVerversen>().VerversAsync();
        await BeheerAccounts.MaakAsync(App.Services, "wijkagent@heemstede.nl", "Wim Wijkagent", Rollen.Wijkprofessional);
        await BeheerAccounts.MaakAsync(App.Services, "organisator@heemstede.nl", "Olga Organisator", Rollen.Organisator);
    }

    [Fact]
    public async Task Staff_wijk_picture_shows_sensitive_categories_and_small_counts_the_public_page_suppresses()
    {
        var wijkagent = await BeheerAccounts.IngelogdAsync(App, "wijkagent@heemstede.nl");

        var intern = WebUtility.HtmlDecode(await wijkagent.Http.GetStringAsync($"/beheer/wijken/{TestGemeente.EersteWijk}?{Kwartaal}"));
        var publiek = WebUtility.HtmlDecode(await App.CreateClient().GetStringAsync($"/wijken/{TestGemeente.EersteWijk}?{Kwartaal}"));

        Assert.Equal("50", Rij(intern, "drugsafval")[0]);
        Assert.Equal("3", Rij(intern, "parkeeroverlast")[0]);
        Assert.Contains("data-kern=\"aantal\">83<", intern);
        Assert.Equal("< 5", Rij(publiek, "parkeeroverlast")[0]);
        Assert.DoesNotContain("Drugsafval", publiek);
        Assert.Contains("data-kern=\"aantal\">33<", publiek);
    }

    [Fact]
    public async Task Staff_hotspot_map_counts_every_category_exactly_and_lists_the_clusters()
    {
        var wijkagent = await BeheerAccounts.IngelogdAsync(App, "wijkagent@heemstede.nl");

        var html = WebUtility.HtmlDecode(await wijkagent.Http.GetStringAsync($"/beheer/hotspots?{Kwartaal}&cel=250"));
        var alleenDrugs = WebUtility.HtmlDecode(
            await wijkagent.Http.GetStringAsync($"/beheer/hotspots?{Kwartaal}&cel=100&rubriek=drugsafval")
        );
        var parkeren = WebUtility.HtmlDecode(
            await wijkagent.Http.GetStringAsync($"/beheer/hotspots?{Kwartaal}&cel=100&rubriek=parkeeroverlast")
        );
        var cellen = await wijkagent.Http.GetStringAsync($"/beheer/hotspots/cellen.geojson?{Kwartaal}&cel=100&rubriek=parkeeroverlast");
        var clusters = await wijkagent.Http.GetStringAsync($"/beheer/hotspots/clusters.geojson?{Kwartaal}&cel=250");

        // The 83 reports on one spot: the hottest cell in the ranked table, and one DBSCAN cluster.
        Assert.Matches(
            new Regex(
                $"<table[^>]*id=\"ranglijst\".*?<tr data-buurt=\"{TestGemeente.EersteBuurt}\"[^>]*>"
                    + ".*?<td class=\"getal\" data-aantal>83</td>",
                RegexOptions.Singleline
            ),
            html
        );
        Assert.Matches(new Regex("<table[^>]*id=\"clusters\".*?<td class=\"getal\" data-aantal>83</td>", RegexOptions.Singleline), html);
        Assert.Contains("data-aantal>50</td>", alleenDrugs);
        Assert.Contains("Drugsafval (gevoelig)", html);
        // Three parking reports: a small count the public map would never show.
        using (var json = JsonDocument.Parse(cellen))
        {
            var aantallen = json
                .RootElement.GetProperty("features")
                .EnumerateArray()
                .Select(f => f.GetProperty("properties").GetProperty("aantal").GetInt64())
                .Where(a => a > 0)
                .ToArray();
            Assert.Equal([3L], aantallen);
        }
        Assert.Contains("3 meldingen in", parkeren);
        using (var json = JsonDocument.Parse(clusters))
        {
            var cluster = Assert.Single(json.RootElement.GetProperty("features").EnumerateArray());
            Assert.Equal(83, cluster.GetProperty("properties").GetProperty("aantal").GetInt64());
        }
        // The same filter on the public endpoint never counts the sensitive category.
        Assert.DoesNotContain("\"aantal\":83", await App.CreateClient().GetStringAsync($"/wijken/hotspots.geojson?{Kwartaal}"));
    }

    [Theory]
    [InlineData("/beheer/hotspots")]
    [InlineData("/beheer/hotspots/cellen.geojson")]
    [InlineData("/beheer/hotspots/clusters.geojson")]
    [InlineData("/beheer/wijken")]
    [InlineData("/beheer/wijken/{wijk}")]
    public async Task Anonymous_visitors_and_organisers_are_refused(string pad)
    {
        var anoniem = App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var organisator = await BeheerAccounts.IngelogdAsync(App, "organisator@heemstede.nl");

        var url = pad.Replace("{wijk}", TestGemeente.EersteWijk, StringComparison.Ordinal);
        var zonderLogin = await anoniem.GetAsync(url);
        var zonderRol = await organisator.Http.GetAsync(url);

        Assert.Equal(HttpStatusCode.Redirect, zonderLogin.StatusCode);
        Assert.StartsWith("http://localhost/beheer/inloggen", zonderLogin.Headers.Location?.ToString());
        Assert.Equal(HttpStatusCode.Forbidden, zonderRol.StatusCode);
    }

    private static string[] Rij(string html, string code)
    {
        var rij = Regex.Match(html, $"<tr[^>]*data-code=\"{code}\">(.*?)</tr>", RegexOptions.Singleline);
        Assert.True(rij.Success, $"no row {code}");
        return CelPattern().Matches(rij.Groups[1].Value).Select(m => m.Groups[1].Value.Trim()).ToArray();
    }

    [GeneratedRegex("<td[^>]*>(.*?)</td>", RegexOptions.Singleline)]
    private static partial Regex CelPattern();
}
