using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.BrowserTests.Features.Kaart;

[Collection(BrowserGroup.Name)]
public sealed class KaartBrowserTests(BrowserFixture fixture)
{
    public static TheoryData<string> Viewports => ["telefoon", "desktop"];

    private static readonly string Geladen = $"{TestGemeente.AantalWijken} wijken, {TestGemeente.AantalBuurten} buurten";

    [Theory]
    [MemberData(nameof(Viewports))]
    public async Task Kaart_draws_the_wijk_and_buurt_boundaries_and_passes_axe(string viewport)
    {
        var (page, problems) = await fixture.OpenAsync(viewport == "telefoon" ? BrowserFixture.Phone : BrowserFixture.Desktop);

        await page.GotoAsync(new Uri(fixture.BaseAddress, "/kaart").ToString());
        var kaart = page.Locator("#kaart");
        await Assertions.Expect(kaart).ToHaveAttributeAsync("data-geladen", Geladen);

        // A polygon per buurt and an outline per wijk, drawn as SVG paths by Leaflet.
        Assert.Equal(TestGemeente.AantalBuurten + TestGemeente.AantalWijken, await page.Locator("#kaart path").CountAsync());
        // The boundaries are credited as the loaded profile says.
        var bron = fixture.Services.GetRequiredService<IOptions<GemeenteProfiel>>().Value.GrenzenBron;
        await Assertions.Expect(page.Locator(".leaflet-control-attribution")).ToContainTextAsync(bron);
        // The same areas as a table for people who do not use the map.
        Assert.Equal(TestGemeente.AantalBuurten, await page.Locator("#buurtentabel tbody tr").CountAsync());
        // No horizontal scrolling on a phone.
        var overflow = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > document.documentElement.clientWidth");
        Assert.False(overflow, "the page scrolls horizontally");

        await BrowserFixture.AssertAccessibleAsync(page);
        Assert.Empty(problems);
    }

    [Fact]
    public async Task Buurt_name_appears_on_hover()
    {
        var (page, problems) = await fixture.OpenAsync(BrowserFixture.Desktop);
        await page.GotoAsync(new Uri(fixture.BaseAddress, "/kaart").ToString());
        await Assertions.Expect(page.Locator("#kaart")).ToHaveAttributeAsync("data-geladen", Geladen);

        // Hover the middle of the map: some buurt is there, and its name shows in a tooltip.
        var box = (await page.Locator("#kaart").BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(box.X + box.Width / 2, box.Y + box.Height / 2);

        await Assertions.Expect(page.Locator(".leaflet-tooltip")).ToContainTextAsync("(" + TestGemeente.BuurtCodeBegin);
        Assert.Empty(problems);
    }

    [Fact]
    public async Task Home_page_passes_axe_on_a_phone()
    {
        var (page, problems) = await fixture.OpenAsync(BrowserFixture.Phone);
        await page.GotoAsync(fixture.BaseAddress.ToString());

        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Wijkmeldingen " + TestGemeente.Naam);
        await BrowserFixture.AssertAccessibleAsync(page);
        Assert.Empty(problems);
    }
}
