using Microsoft.Playwright;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.BrowserTests.Features.Meldingen;

/// <summary>The triage screen as a workspace (issue 19): on a 1280-px desktop the filters are one
/// compact bar and the list and its map stand side by side over the full width; the menu is a few
/// task groups; on a phone the list is in the first screen and the filters open from a button. axe
/// runs on each state.</summary>
[Collection(BrowserGroup.Name)]
public sealed class WerkplekBrowserTests(BrowserFixture fixture)
{
    private string Url(string pad) => new Uri(fixture.BaseAddress, pad).ToString();

    private async Task<(IPage Page, List<string> Problems)> InloggenAsync(BrowserNewContextOptions apparaat, string email, string pad)
    {
        var (page, problems) = await fixture.OpenAsync(apparaat);
        await page.GotoAsync(Url("/beheer/inloggen?terug=" + Uri.EscapeDataString(pad)));
        await page.Locator("#email").FillAsync(email);
        await page.Locator("#wachtwoord").FillAsync(BeheerAccounts.Wachtwoord);
        await page.Locator("#inloggen").ClickAsync();
        await page.WaitForURLAsync("**" + pad);
        return (page, problems);
    }

    private static async Task<LocatorBoundingBoxResult> VakAsync(ILocator locator) =>
        await locator.BoundingBoxAsync() ?? throw new Xunit.Sdk.XunitException("element not rendered");

    [Fact]
    public async Task On_a_desktop_the_filters_are_a_bar_and_the_list_and_map_stand_side_by_side_over_the_full_width()
    {
        await using var dataSource = fixture.Database.CreateDataSource();
        await BeheerAccounts.MaakInDatabaseAsync(
            dataSource,
            "werkplek-desktop@heemstede.nl",
            "Wendy Werkplek",
            Rollen.Wijkprofessional,
            Rollen.Beheerder
        );
        await Een.Melding(dataSource).Rubriek("verdachte-situatie").Met("Werkplektest desktop: busje rijdt rondjes.").OpgeslagenAsync(3);
        var (page, problems) = await InloggenAsync(BrowserFixture.Desktop, "werkplek-desktop@heemstede.nl", "/beheer/meldingen");
        await Assertions.Expect(page.Locator("#beheerkaart")).ToHaveAttributeAsync("data-klaar", "true");

        var filters = await VakAsync(page.Locator("#filters"));
        var lijst = await VakAsync(page.Locator("#meldingen"));
        var kaart = await VakAsync(page.Locator("#beheerkaart"));
        Assert.True(filters.Height < 240, $"the filter bar is {filters.Height} px high");
        Assert.True(filters.Width > 1100, $"the filter bar is {filters.Width} px wide");
        Assert.True(kaart.X >= lijst.X + lijst.Width - 1, $"map at x={kaart.X}, list ends at {lijst.X + lijst.Width}");
        Assert.True(kaart.Y < lijst.Y + lijst.Height && lijst.Y < kaart.Y + kaart.Height, "list and map do not stand side by side");
        Assert.True(kaart.X + kaart.Width - lijst.X > 1150, $"list and map together span {kaart.X + kaart.Width - lijst.X} px of 1280");
        Assert.True(kaart.X + kaart.Width <= 1280, "the map runs off the screen");
        Assert.True(lijst.Y < 520, $"the list starts at y={lijst.Y}, not in the top of the first screen");
        await Assertions.Expect(page.Locator("#filterknop")).ToBeHiddenAsync();

        // The menu: a handful of entries in one row; settings fold open from their group.
        var menu = await VakAsync(page.Locator(".beheermenu"));
        Assert.True(menu.Height < 80, $"the menu is {menu.Height} px high");
        Assert.InRange(await page.Locator(".beheermenu__hoofd > li").CountAsync(), 4, 7);
        var rubrieken = page.Locator(".beheermenu a[href='/beheer/rubrieken']");
        await Assertions.Expect(rubrieken).ToBeHiddenAsync();
        await page.Locator(".beheermenu summary", new() { HasText = "Instellingen" }).ClickAsync();
        await Assertions.Expect(rubrieken).ToBeVisibleAsync();
        await BrowserFixture.AssertAccessibleAsync(page);
        await rubrieken.ClickAsync();
        await page.WaitForURLAsync("**/beheer/rubrieken");
        await Assertions.Expect(page.Locator(".beheermenu__groep--hier summary")).ToHaveTextAsync("Instellingen");
        Assert.Empty(problems);
    }

    [Fact]
    public async Task On_a_phone_the_list_is_in_the_first_screen_and_the_filters_open_from_a_button()
    {
        await using var dataSource = fixture.Database.CreateDataSource();
        await BeheerAccounts.MaakInDatabaseAsync(dataSource, "werkplek-telefoon@heemstede.nl", "Tim Telefoon", Rollen.Wijkprofessional);
        var melding = await Een.Melding(dataSource)
            .Rubriek("verdachte-situatie")
            .Met("Werkplektest telefoon: iemand probeert deuren.")
            .OpgeslagenAsync();
        var (page, problems) = await InloggenAsync(BrowserFixture.Phone390, "werkplek-telefoon@heemstede.nl", "/beheer/meldingen");
        await Assertions.Expect(page.Locator("#beheerkaart")).ToHaveAttributeAsync("data-klaar", "true");

        var eersteRij = await VakAsync(page.Locator("#meldingen tbody tr").First);
        Assert.True(eersteRij.Y + 40 < 844, $"the first report is at y={eersteRij.Y}, not in the first screen");
        var filters = page.Locator("#filters");
        await Assertions.Expect(filters).ToBeHiddenAsync();
        await BrowserFixture.AssertAccessibleAsync(page);

        var knop = page.Locator("#filterknop");
        await Assertions.Expect(knop).ToHaveAttributeAsync("aria-expanded", "false");
        await knop.ClickAsync();
        await Assertions.Expect(filters).ToBeVisibleAsync();
        await Assertions.Expect(knop).ToHaveAttributeAsync("aria-expanded", "true");
        await BrowserFixture.AssertAccessibleAsync(page);
        await page.Locator("#f-q").FillAsync("deuren");
        await page.Locator("#filteren").ClickAsync();
        await page.WaitForURLAsync("**/beheer/meldingen?*q=deuren*");
        await Assertions.Expect(page.Locator("#meldingen tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator($"#meldingen tr[data-id='{melding.Id}']")).ToBeVisibleAsync();
        await Assertions.Expect(filters).ToBeHiddenAsync();
        await Assertions.Expect(knop).ToHaveTextAsync("Filters (1 actief)");
        Assert.Empty(problems);
    }

    [Theory]
    [InlineData("desktop")]
    [InlineData("telefoon")]
    public async Task Ticked_reports_change_together_with_a_reason_and_a_refused_one_is_named(string apparaat)
    {
        await using var dataSource = fixture.Database.CreateDataSource();
        var email = $"werkplek-bulk-{apparaat}@heemstede.nl";
        await BeheerAccounts.MaakInDatabaseAsync(dataSource, email, "Bert Bulk", Rollen.Wijkprofessional);
        var woord = "bulktest" + apparaat;
        var open = await Een.Melding(dataSource).Rubriek("verdachte-situatie").Met($"Open melding ({woord}).").OpgeslagenAsync();
        var gesloten = await Een.Melding(dataSource).Rubriek("verdachte-situatie").Met($"Gesloten melding ({woord}).").OpgeslagenAsync();
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            await Dapper.SqlMapper.ExecuteAsync(connection, "UPDATE melding SET status = 'afgewezen' WHERE id = @Id", new { gesloten.Id });
        }
        var (page, problems) = await InloggenAsync(
            apparaat == "desktop" ? BrowserFixture.Desktop : BrowserFixture.Phone390,
            email,
            "/beheer/meldingen?q=" + woord
        );
        await Assertions.Expect(page.Locator("#beheerkaart")).ToHaveAttributeAsync("data-klaar", "true");
        var formulier = page.Locator("#selectie");
        await Assertions.Expect(formulier).ToBeHiddenAsync();

        await page.Locator($"#kies-{open.Id}").CheckAsync();
        await page.Locator($"#kies-{gesloten.Id}").CheckAsync();
        await Assertions.Expect(formulier).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#bulk-aantal")).ToHaveTextAsync("2 geselecteerd");
        await page.Locator("#bulk-soort").SelectOptionAsync("status");
        await Assertions.Expect(page.Locator("#bulk-status")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#bulk-aan")).ToBeHiddenAsync();
        await page.Locator("#bulk-status").SelectOptionAsync("in-behandeling");
        await BrowserFixture.AssertAccessibleAsync(page);

        // Without a reason the server refuses, keeps the choices and says why.
        await page.Locator("#bulk-uitvoeren").ClickAsync();
        await Assertions.Expect(page.Locator("#fout-bulk-reden")).ToContainTextAsync("Geef een reden op");
        await Assertions.Expect(page.Locator($"#kies-{open.Id}")).ToBeCheckedAsync();
        await Assertions.Expect(page.Locator("#bulk-status")).ToHaveValueAsync("in-behandeling");
        await BrowserFixture.AssertAccessibleAsync(page);

        await page.Locator("#bulk-reden").FillAsync("Opgepakt in het weekoverleg");
        await page.Locator("#bulk-uitvoeren").ClickAsync();
        var uitkomst = page.Locator("#bulk-uitkomst");
        await Assertions.Expect(uitkomst).ToContainTextAsync("1 van de 2 meldingen gewijzigd.");
        await Assertions.Expect(uitkomst).ToContainTextAsync(gesloten.Volgcode);
        await Assertions.Expect(page.Locator($"#meldingen tr[data-id='{open.Id}']")).ToContainTextAsync("In behandeling");
        await Assertions.Expect(page.Locator($"#meldingen tr[data-id='{gesloten.Id}']")).ToContainTextAsync("Afgewezen");
        await BrowserFixture.AssertAccessibleAsync(page);
        // The refused form's own 400 is the one console line the browser writes; nothing else.
        Assert.Single(problems, p => p.Contains("status of 400", StringComparison.Ordinal));
        Assert.DoesNotContain(problems, p => !p.Contains("status of 400", StringComparison.Ordinal));
    }
}
