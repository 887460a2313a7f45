using System.Globalization;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Playwright;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.BrowserTests.Features.Maatregelen;

/// <summary>A wijkprofessional at a desktop records a measure: the place by clicking the map, a
/// linked report by its tracking code; then a resident on a phone (390 × 844) sees it on the wijk
/// page with its status and the linked report, and reads /wat-gebeurt-er. axe-core runs on every
/// new page.</summary>
[Collection(BrowserGroup.Name)]
public sealed class MaatregelenBrowserTests(BrowserFixture fixture)
{
    private const string Email = "browser-maatregelen@heemstede.nl";

    private string Url(string pad) => new Uri(fixture.BaseAddress, pad).ToString();

    private static BrowserNewContextOptions Telefoon390
    {
        get
        {
            var opties = BrowserFixture.Phone;
            opties.ViewportSize = new ViewportSize { Width = 390, Height = 844 };
            return opties;
        }
    }

    [Fact]
    public async Task Staff_record_a_measure_on_the_map_and_a_resident_sees_it_on_the_wijk_page_on_a_phone()
    {
        await using var dataSource = fixture.Database.CreateDataSource();
        await BeheerAccounts.MaakInDatabaseAsync(dataSource, Email, "Mila Maatregel", Rollen.Wijkprofessional);
        var melding = await Een.Melding(dataSource).Met("Auto's op de stoep bij de school.").OpgeslagenAsync();
        var titel = "Handhaving schoolzone " + Guid.NewGuid().ToString("N")[..6];

        var (page, problems) = await fixture.OpenAsync(BrowserFixture.Desktop);
        await page.GotoAsync(Url("/beheer/maatregelen"));
        await page.WaitForURLAsync("**/beheer/inloggen?terug=*");
        await page.Locator("#email").FillAsync(Email);
        await page.Locator("#wachtwoord").FillAsync(BeheerAccounts.Wachtwoord);
        await page.Locator("#inloggen").ClickAsync();
        await page.WaitForURLAsync("**/beheer/maatregelen");
        await BrowserFixture.AssertAccessibleAsync(page);

        await page.Locator("#maatregel-nieuw").ClickAsync();
        await page.WaitForURLAsync("**/beheer/maatregelen/nieuw");
        var kaart = page.Locator("#maatregelkaart");
        await Assertions.Expect(kaart).ToHaveAttributeAsync("data-klaar", "true");
        await BrowserFixture.AssertAccessibleAsync(page);

        // First a save with the place missing: a Dutch message, the input kept.
        await page.Locator("#type").SelectOptionAsync("handhaving");
        await page.Locator("#titel").FillAsync(titel);
        await page.Locator("#omschrijving").FillAsync("Handhavers staan twee weken bij het brengen en halen.");
        await page.Locator("#verantwoordelijke").FillAsync("Team Handhaving");
        await page.Locator("#status").SelectOptionAsync("lopend");
        await page.Locator("#meldingen").FillAsync(melding.Volgcode);
        // Started sixty days ago, so the wijk page shows the before/after chart (its counts are small here).
        var start = Tijd.Lokaal(DateTimeOffset.UtcNow).Date.AddDays(-60).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await page.Locator("#startdatum").FillAsync(start);
        await page.Locator("#maatregel-opslaan").ClickAsync();
        await Assertions.Expect(page.Locator("#fout-Punten")).ToContainTextAsync("precies één punt");
        await Assertions.Expect(page.Locator("#titel")).ToHaveValueAsync(titel);
        await BrowserFixture.AssertAccessibleAsync(page);
        // The refused form answers 400, which Chromium logs as a failed resource; that one entry and nothing else.
        Assert.Equal(
            "console error: Failed to load resource: the server responded with a status of 400 (Bad Request)",
            Assert.Single(problems)
        );
        problems.Clear();

        // Then the point by a click in the middle of the map (the municipality's centre).
        var vak = (await kaart.BoundingBoxAsync())!;
        await kaart.ClickAsync(
            new LocatorClickOptions
            {
                Position = new Position { X = vak.Width / 2, Y = vak.Height / 2 },
            }
        );
        await Assertions.Expect(kaart).ToHaveAttributeAsync("data-punten", "1");
        var punt = await page.Locator("#punten").InputValueAsync();
        Assert.Matches(@"^5[0-9]\.[0-9]+, [0-9]\.[0-9]+$", punt);
        await page.Locator("#maatregel-opslaan").ClickAsync();
        await Assertions.Expect(page.Locator("#bevestiging")).ToContainTextAsync("vastgelegd");
        var id = long.Parse(new Uri(page.Url).Segments[^1], CultureInfo.InvariantCulture);
        await Assertions.Expect(page.Locator("#gekoppeld")).ToContainTextAsync(melding.Volgcode);
        await BrowserFixture.AssertAccessibleAsync(page);

        string wijk;
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            var rij = await connection.QuerySingleAsync<(int Srid, string Type, string Wijk)>(
                "SELECT ST_SRID(geom), GeometryType(geom), wijk_code FROM maatregel WHERE id = @id",
                new { id }
            );
            Assert.Equal((28992, "POINT"), (rij.Srid, rij.Type));
            wijk = rij.Wijk;
        }

        // A resident on a phone.
        var (telefoon, problems2) = await fixture.OpenAsync(Telefoon390);
        Assert.Equal(200, (await telefoon.GotoAsync(Url($"/wijken/{wijk}")))?.Status);
        var sectie = telefoon.Locator($"#maatregel-{id}");
        await Assertions.Expect(sectie).ToContainTextAsync(titel);
        await Assertions.Expect(sectie.Locator("[data-status]")).ToHaveTextAsync("Loopt");
        await Assertions.Expect(sectie.Locator($"[data-volgcode='{melding.Volgcode}']")).ToBeVisibleAsync();
        await Assertions.Expect(sectie.Locator($"#maatregel-{id}-voorna")).ToBeVisibleAsync();
        await Assertions.Expect(sectie.Locator($"#maatregel-{id}-voorna [data-voorna='na'] td")).ToHaveTextAsync("< 5");
        await sectie.ScrollIntoViewIfNeededAsync();
        await BrowserFixture.AssertAccessibleAsync(telefoon);
        // Nothing on the phone is wider than the screen.
        Assert.True(await telefoon.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"));
        await BrowserFixture.SchermafdrukAsync(telefoon, "maatregelen-wijk-telefoon");

        // The optional layer on the map, switched on by the link's ?maatregelen=1.
        Assert.Equal(200, (await telefoon.GotoAsync(Url("/kaart?maatregelen=1")))?.Status);
        await Assertions.Expect(telefoon.Locator("#laag-maatregelen")).ToBeCheckedAsync();
        await Assertions.Expect(telefoon.Locator("#kaart")).ToHaveAttributeAsync("data-maatregelen", new Regex("^[1-9][0-9]*$"));
        await BrowserFixture.AssertAccessibleAsync(telefoon);

        Assert.Equal(200, (await telefoon.GotoAsync(Url("/wat-gebeurt-er")))?.Status);
        await Assertions.Expect(telefoon.Locator("#wat-aantallen")).ToBeVisibleAsync();
        await BrowserFixture.AssertAccessibleAsync(telefoon);

        Assert.Empty(problems);
        Assert.Empty(problems2);
    }
}
