using Microsoft.Playwright;

namespace Wijkmeldingen.BrowserTests.Features.Kaart;

[Collection(BrowserGroup.Name)]
public sealed class KaartBrowserTests(BrowserFixture fixture)
{
    public static TheoryData<string> Viewports => ["telefoon", "desktop"];

    [Theory]
    [MemberData(nameof(Viewports))]
    public async Task Kaart_draws_the_wijk_and_buurt_boundaries_and_passes_axe(string viewport)
    {
        var (page, problems) = await fixture.OpenAsync(viewport == "telefoon" ? BrowserFixture.Phone : BrowserFixture.Desktop);

        await page.GotoAsync(new Uri(fixture.BaseAddress, "/kaart").ToString());
        var kaart = page.Locator("#kaart");
        await Assertions.Expect(kaart).ToHaveAttributeAsync("data-geladen", "3 wijken, 14 buurten");

        // 14 buurt polygons + 3 wijk outlines drawn as SVG paths by Leaflet.
        Assert.Equal(17, await page.Locator("#kaart path").CountAsync());
        await Assertions.Expect(page.Locator(".leaflet-control-attribution")).ToContainTextAsync("Kadaster / CBS");
        // The same areas as a table for people who do not use the map.
        Assert.Equal(14, await page.Locator("#buurtentabel tbody tr").CountAsync());
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
        await Assertions.Expect(page.Locator("#kaart")).ToHaveAttributeAsync("data-geladen", "3 wijken, 14 buurten");

        // Hover the middle of the map: some buurt is there, and its name shows in a tooltip.
        var box = (await page.Locator("#kaart").BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(box.X + box.Width / 2, box.Y + box.Height / 2);

        await Assertions.Expect(page.Locator(".leaflet-tooltip")).ToContainTextAsync("(BU0397");
        Assert.Empty(problems);
    }

    [Fact]
    public async Task Home_page_passes_axe_on_a_phone()
    {
        var (page, problems) = await fixture.OpenAsync(BrowserFixture.Phone);
        await page.GotoAsync(fixture.BaseAddress.ToString());

        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Wijkmeldingen Heemstede");
        await BrowserFixture.AssertAccessibleAsync(page);
        Assert.Empty(problems);
    }
}
