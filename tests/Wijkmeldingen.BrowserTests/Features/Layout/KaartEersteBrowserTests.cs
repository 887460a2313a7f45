using Microsoft.Playwright;
using Wijkmeldingen.Testing;

namespace Wijkmeldingen.BrowserTests.Features.Layout;

/// <summary>Map first on a phone (issue 21): at 390 × 844 the map of /kaart, /melden's place step and
/// /wijken starts in the first screen under a compact header and covers most of it; the menu folds
/// into a button (reachable without JavaScript through the footer), the filters open in a panel, the
/// list is one tap away; a desktop keeps filters and map side by side. axe-core on every page.</summary>
[Collection(BrowserGroup.Name)]
public sealed class KaartEersteBrowserTests(BrowserFixture fixture)
{
    private const int Hoogte = 844;

    private string Url(string pad) => new Uri(fixture.BaseAddress, pad).ToString();

    public static TheoryData<string, string> Kaarten =>
        new()
        {
            { "/kaart", "#kaart" },
            { "/melden", "#meldkaart" },
            { "/wijken", "#hotspotkaart" },
        };

    private static async Task WachtOpKaartAsync(IPage page, string pad)
    {
        switch (pad)
        {
            case "/kaart":
                await Assertions
                    .Expect(page.Locator("#kaart"))
                    .ToHaveAttributeAsync("data-geladen", $"{TestGemeente.AantalWijken} wijken, {TestGemeente.AantalBuurten} buurten");
                break;
            case "/melden":
                await Assertions.Expect(page.Locator("#meldkaart")).ToHaveAttributeAsync("data-klaar", "true");
                break;
            default:
                await Assertions.Expect(page.Locator("#hotspot-status")).Not.ToBeEmptyAsync();
                break;
        }
    }

    [Theory]
    [MemberData(nameof(Kaarten))]
    public async Task On_a_phone_the_map_fills_the_first_screen_under_a_compact_header(string pad, string kaart)
    {
        var (page, problems) = await fixture.OpenAsync(BrowserFixture.Phone390);
        await page.GotoAsync(Url(pad));
        await WachtOpKaartAsync(page, pad);

        Assert.Equal(0, await page.EvaluateAsync<double>("() => window.scrollY"));
        var kop = (await page.Locator("header.kop").BoundingBoxAsync())!;
        Assert.True(kop.Height <= 72, $"the header is {kop.Height} px high on a phone");
        var box = (await page.Locator(kaart).BoundingBoxAsync())!;
        var zichtbaar = Math.Min(box.Y + box.Height, Hoogte) - box.Y;
        Assert.True(box.Y < Hoogte * 0.4, $"{pad}: the map starts at {box.Y} px");
        Assert.True(zichtbaar >= Hoogte * 0.6, $"{pad}: the map covers {zichtbaar} of the first {Hoogte} px");
        Assert.True(box.Width >= 340, $"{pad}: the map is {box.Width} px wide");
        Assert.False(
            await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > document.documentElement.clientWidth"),
            "the page scrolls horizontally"
        );
        await BrowserFixture.AssertAccessibleAsync(page);
        Assert.Empty(problems);
    }

    [Theory]
    [MemberData(nameof(Kaarten))]
    public async Task On_a_desktop_the_menu_is_open_and_axe_finds_nothing(string pad, string kaart)
    {
        var (page, problems) = await fixture.OpenAsync(BrowserFixture.Desktop);
        await page.GotoAsync(Url(pad));
        await WachtOpKaartAsync(page, pad);

        await Assertions.Expect(page.Locator("#menu-knop")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#naar-voetmenu")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#hoofdmenu a[href='/kaart']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#hoofdmenu a[href='/wat-gebeurt-er']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(kaart)).ToBeVisibleAsync();
        await BrowserFixture.AssertAccessibleAsync(page);
        Assert.Empty(problems);
    }

    [Theory]
    [InlineData("/kaart", "#filters", "#filters-knop", "#kaart")]
    [InlineData("/wijken", "#hotspotfilter", "#hotspotfilter-knop", "#hotspotkaart")]
    public async Task On_a_desktop_the_filters_stand_beside_the_map(string pad, string filters, string knop, string kaart)
    {
        var (page, problems) = await fixture.OpenAsync(BrowserFixture.Desktop);
        await page.GotoAsync(Url(pad));
        await WachtOpKaartAsync(page, pad);

        await Assertions.Expect(page.Locator(knop)).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator(filters)).ToBeVisibleAsync();
        var f = (await page.Locator(filters).BoundingBoxAsync())!;
        var k = (await page.Locator(kaart).BoundingBoxAsync())!;
        Assert.True(f.X + f.Width <= k.X, $"filters end at {f.X + f.Width}, the map starts at {k.X}");
        Assert.True(f.Y < k.Y + k.Height && k.Y < f.Y + f.Height, "filters and map are not side by side");
        Assert.Empty(problems);
    }

    [Fact]
    public async Task The_menu_button_opens_and_closes_the_menu_with_touch_and_keyboard()
    {
        var (page, problems) = await fixture.OpenAsync(BrowserFixture.Phone390);
        await page.GotoAsync(Url("/kaart"));
        var knop = page.Locator("#menu-knop");
        var menu = page.Locator("#hoofdmenu");

        await Assertions.Expect(knop).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#naar-voetmenu")).ToBeHiddenAsync();
        Assert.Equal("BUTTON", await knop.EvaluateAsync<string>("e => e.tagName"));
        await Assertions.Expect(knop).ToHaveAttributeAsync("aria-controls", "hoofdmenu");
        await Assertions.Expect(knop).ToHaveAttributeAsync("aria-expanded", "false");
        await Assertions.Expect(menu).ToBeHiddenAsync();

        await knop.TapAsync();
        await Assertions.Expect(knop).ToHaveAttributeAsync("aria-expanded", "true");
        await Assertions.Expect(menu.Locator("a[href='/wijkwandelingen']")).ToBeVisibleAsync();
        await Assertions.Expect(menu.Locator("a[href='/wat-gebeurt-er']")).ToBeVisibleAsync();
        await BrowserFixture.AssertAccessibleAsync(page);
        await knop.TapAsync();
        await Assertions.Expect(knop).ToHaveAttributeAsync("aria-expanded", "false");
        await Assertions.Expect(menu).ToBeHiddenAsync();

        // Keyboard only: Tab to the button, Enter opens, Tab goes into the menu, Escape closes and
        // gives the focus back to the button.
        await BrowserFixture.TabNaarAsync(page, "#menu-knop");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(knop).ToHaveAttributeAsync("aria-expanded", "true");
        await page.Keyboard.PressAsync("Tab");
        Assert.True(await page.EvaluateAsync<bool>("() => document.activeElement?.closest('#hoofdmenu') !== null"));
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(knop).ToHaveAttributeAsync("aria-expanded", "false");
        await Assertions.Expect(knop).ToBeFocusedAsync();
        await Assertions.Expect(menu).ToBeHiddenAsync();

        // The menu works: open it and go to the wijk picture.
        await knop.TapAsync();
        await menu.Locator("a[href='/wijken']").TapAsync();
        await page.WaitForURLAsync("**/wijken");
        Assert.Empty(problems);
    }

    [Fact]
    public async Task Without_javascript_the_menu_and_the_filters_are_still_there()
    {
        var opties = BrowserFixture.Phone390;
        opties.JavaScriptEnabled = false;
        var (page, problems) = await fixture.OpenAsync(opties);
        await page.GotoAsync(Url("/kaart"));

        await Assertions.Expect(page.Locator("#menu-knop")).ToBeHiddenAsync();
        var naarMenu = page.Locator("#naar-voetmenu");
        await Assertions.Expect(naarMenu).ToBeVisibleAsync();
        await naarMenu.TapAsync();
        await page.WaitForURLAsync("**/kaart#voetmenu");
        await Assertions.Expect(page.Locator("#voetmenu a[href='/melden']")).ToBeInViewportAsync();
        // The filters are an ordinary form; the list is there too.
        await Assertions.Expect(page.Locator("#filter-rubriek")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#filters-knop")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#lijst-kop")).ToBeAttachedAsync();
        // (axe-core needs JavaScript in the page; it runs on these pages with JavaScript above.)
        Assert.Empty(problems);
    }

    [Theory]
    [InlineData("/kaart", "#filters", "#filters-knop", "#filter-status")]
    [InlineData("/wijken", "#hotspotfilter", "#hotspotfilter-knop", "#h-status")]
    public async Task On_a_phone_the_filters_open_in_a_panel_and_the_list_is_one_tap_away(
        string pad,
        string filters,
        string knop,
        string veld
    )
    {
        var (page, problems) = await fixture.OpenAsync(BrowserFixture.Phone390);
        await page.GotoAsync(Url(pad));
        await WachtOpKaartAsync(page, pad);

        await Assertions.Expect(page.Locator(filters)).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator(knop)).ToHaveAttributeAsync("aria-expanded", "false");
        await page.Locator(knop).TapAsync();
        await Assertions.Expect(page.Locator(knop)).ToHaveAttributeAsync("aria-expanded", "true");
        await Assertions.Expect(page.Locator(veld)).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(veld)).ToBeInViewportAsync();
        await BrowserFixture.AssertAccessibleAsync(page);
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(page.Locator(filters)).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator(knop)).ToBeFocusedAsync();

        // The list: one tap on the link beside the Filters button.
        var lijst = pad == "/kaart" ? ("#naar-lijst", "#lijst-kop") : ("#naar-ranglijst", "#ranglijst-kop");
        await page.Locator(lijst.Item1).TapAsync();
        await Assertions.Expect(page.Locator(lijst.Item2)).ToBeInViewportAsync();
        Assert.Empty(problems);
    }
}
