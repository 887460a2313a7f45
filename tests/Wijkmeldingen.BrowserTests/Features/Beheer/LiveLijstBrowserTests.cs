using Microsoft.Playwright;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.BrowserTests.Features.Beheer;

/// <summary>The live triage list: two staff members at once, one with the list open (on a desktop
/// and on a phone), the other working a report. What the other does, and a report a resident files
/// meanwhile, appear in the list without a reload; axe-core passes on the updated list. The reports
/// are in a category that is never on the public map (verdachte situatie), so the map tests' cell
/// counts do not see them.</summary>
[Collection(BrowserGroup.Name)]
public sealed class LiveLijstBrowserTests(BrowserFixture fixture)
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

    [Theory]
    [InlineData("desktop")]
    [InlineData("telefoon")]
    public async Task A_colleagues_change_and_a_new_report_appear_in_the_open_list_without_a_reload(string apparaat)
    {
        await using var dataSource = fixture.Database.CreateDataSource();
        var lijstEmail = $"live-lijst-{apparaat}@heemstede.nl";
        var collegaEmail = $"live-collega-{apparaat}@heemstede.nl";
        await BeheerAccounts.MaakInDatabaseAsync(dataSource, lijstEmail, "Lies Lijst", Rollen.Wijkprofessional);
        await BeheerAccounts.MaakInDatabaseAsync(dataSource, collegaEmail, "Koos Collega", Rollen.Wijkprofessional);
        var woord = "livetest" + apparaat;
        var melding = await Een.Melding(dataSource)
            .Rubriek("verdachte-situatie")
            .Met($"Automobilist scheldt fietsers uit bij de kruising ({woord}).")
            .OpgeslagenAsync();

        // Lies has the list open, filtered on this test's word.
        var (lijst, problemenLijst) = await InloggenAsync(
            apparaat == "desktop" ? BrowserFixture.Desktop : BrowserFixture.Phone,
            lijstEmail,
            "/beheer/meldingen?q=" + woord
        );
        await Assertions.Expect(lijst.Locator("#beheerkaart")).ToHaveAttributeAsync("data-klaar", "true");
        await Assertions.Expect(lijst.Locator("#live-status")).ToHaveAttributeAsync("data-verbonden", "true");
        var rij = lijst.Locator($"#meldingen tr[data-id='{melding.Id}']");
        await Assertions.Expect(rij).ToContainTextAsync("Gemeld");

        // Koos takes the report in hand on its own page, in another browser.
        var (collega, problemenCollega) = await InloggenAsync(BrowserFixture.Desktop, collegaEmail, $"/beheer/meldingen/{melding.Id}");
        await collega.Locator("#naar-status").SelectOptionAsync("in-behandeling");
        await collega.Locator("#status-opslaan").ClickAsync();
        await Assertions.Expect(collega.Locator("#status")).ToHaveTextAsync("In behandeling");

        // Lies sees it without reloading (the page object is the same document all along).
        await lijst.EvaluateAsync("() => { window.zelfdePagina = true; }");
        await Assertions.Expect(rij).ToContainTextAsync("In behandeling");

        // A resident files a report that matches Lies's filter: it appears, marked new, announced.
        var nieuw = await Een.Melding(dataSource).Rubriek("verdachte-situatie").Met($"Busje op de stoep ({woord}).").OpgeslagenAsync();
        var nieuweRij = lijst.Locator($"#meldingen tr[data-id='{nieuw.Id}']");
        await Assertions.Expect(nieuweRij).ToContainTextAsync(nieuw.Volgcode);
        await Assertions.Expect(nieuweRij.Locator(".label--nieuw")).ToBeVisibleAsync();
        await Assertions.Expect(lijst.Locator("#live-status")).ToContainTextAsync("1 nieuwe melding");
        await Assertions.Expect(lijst.Locator("#aantal")).ToContainTextAsync("2 meldingen");
        await Assertions.Expect(lijst.Locator("#beheerkaart")).ToHaveAttributeAsync("data-aantal", "2");
        Assert.True(await lijst.EvaluateAsync<bool>("() => window.zelfdePagina === true"), "the list page was reloaded");
        await BrowserFixture.AssertAccessibleAsync(lijst);
        Assert.Empty(problemenLijst);
        Assert.Empty(problemenCollega);
    }
}
