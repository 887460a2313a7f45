using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;
using Wijkmeldingen.BrowserTests.Features.Wijkbeeld;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Data;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.BrowserTests.Features.Layout;

/// <summary>Issue 16: the portal serving only the synthetic second municipality, whatever the mode: its
/// CBS fixture imported in place of the areas, its profile, and the demo seed's reports placed in its
/// buurten. /wijken and /melden name Voorbeeldstad in its house style, never the demo municipality, and
/// credit the boundaries as its profile says; the wijk chart's labels stay inside the drawing. Takes the
/// pictures docs/geodata.md shows (docs/img/voorbeeldstad-*.png, by <c>infra/wijk screenshots</c>).</summary>
[Collection(BrowserGroup.Name)]
public sealed class VoorbeeldstadBrowserTests(BrowserFixture fixture)
{
    /// <summary>A desktop as tall as the pictures: /melden's first step with its map whole.</summary>
    private static BrowserNewContextOptions Scherm =>
        new()
        {
            ViewportSize = new ViewportSize { Width = 1280, Height = 1400 },
            Locale = "nl-NL",
        };

    [Fact]
    public async Task Wijken_and_melden_of_the_second_municipality_with_its_own_name_colours_and_credit()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using (var eigenaar = database.CreateEigenaarDataSource())
        {
            await Voorbeeldstad.GebiedenAsync(eigenaar);
        }
        await using var app = new WijkAppFactory(database.ConnectionString, Voorbeeldstad.Instellingen());
        app.UseKestrel(0);
        app.StartServer();
        var basis = app.ClientOptions.BaseAddress;
        var profiel = app.Services.GetRequiredService<IOptions<GemeenteProfiel>>().Value;
        // The newcomer's first run (infra/wijk run): the demo seed, then the rollups the wijk picture reads.
        Assert.True(await app.Services.GetRequiredService<DemoSeeder>().SeedAsync(300) > 0);
        await using (var dataSource = database.CreateDataSource())
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM melding WHERE buurt_code NOT LIKE 'BU9999%'"));
            await connection.ExecuteAsync("SELECT wijkbeeld_ververs('{100,250}')");
        }
        var (page, problems) = await fixture.OpenAsync(Scherm, basis);

        await page.GotoAsync(new Uri(basis, "/wijken").ToString());
        await Assertions.Expect(page.Locator("header.kop")).ToContainTextAsync("Gemeente Voorbeeldstad");
        await Assertions.Expect(page.Locator("#hotspot-status")).ToContainTextAsync("cellen");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        // Both wijken and the municipality in the table, each wijk with its bar.
        var tabel = page.Locator("[aria-labelledby=overzicht-kop] table.tabel--cijfers tbody tr");
        await Assertions.Expect(tabel).ToHaveCountAsync(3);
        await Assertions.Expect(tabel.Nth(0)).ToContainTextAsync("Wijk 00 Voorbeeldstad-West (synthetisch)");
        await Assertions.Expect(tabel.Nth(2)).ToContainTextAsync("Heel Voorbeeldstad");
        Assert.Equal(2, await page.Locator("svg.grafiek__svg > rect.grafiek__nu").CountAsync());
        Assert.Empty(await WijkenBrowserTests.AfgekaptAsync(page));
        await GeenDemoGemeenteAsync(page);
        await BrowserFixture.AssertAccessibleAsync(page);
        // The whole page: the map first, then the chart and the table per wijk.
        await BrowserFixture.SchermafdrukAsync(page, "voorbeeldstad-wijken", volledig: true);

        await page.GotoAsync(new Uri(basis, "/melden").ToString());
        await Assertions.Expect(page.Locator("#meldkaart")).ToHaveAttributeAsync("data-klaar", "true");
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#meldkaart path').length > 0");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await Assertions.Expect(page.Locator("#meldkaart .leaflet-control-attribution")).ToContainTextAsync(profiel.GrenzenBron);
        Assert.Equal("#6b2c91", profiel.Huisstijl.Primair);
        Assert.Equal(
            "rgb(107, 44, 145)",
            await page.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('header.kop')).backgroundColor")
        );
        await GeenDemoGemeenteAsync(page);
        await BrowserFixture.AssertAccessibleAsync(page);
        await BrowserFixture.SchermafdrukAsync(page, "voorbeeldstad-melden");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>Nothing on the page (its markup, the map's credit included) names the demo municipality,
    /// and no text shows its CBS number (the markup's fingerprinted file names may hold any digits).</summary>
    private static async Task GeenDemoGemeenteAsync(IPage page)
    {
        var html = await page.ContentAsync();
        foreach (var naam in new[] { "Heemstede", "Kadaster / CBS, 2019" })
        {
            Assert.False(html.Contains(naam, StringComparison.OrdinalIgnoreCase), $"{page.Url} names {naam}");
        }
        Assert.DoesNotContain("0397", await page.Locator("body").InnerTextAsync(), StringComparison.Ordinal);
    }
}
