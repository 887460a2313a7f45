using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Playwright;
using Wijkmeldingen.Testing;

namespace Wijkmeldingen.BrowserTests.Features.Wandelingen;

/// <summary>A resident on a phone signs up for a walk and confirms with the link from the e-mail; it
/// fills, and the next resident lands on the waitlist. axe-core on every page visited.</summary>
[Collection(BrowserGroup.Name)]
public sealed partial class WandelingenBrowserTests(BrowserFixture fixture)
{
    /// <summary>The confirmation link in the last confirmation mail to <paramref name="email"/>.</summary>
    private async Task<string> BevestigLinkAsync(string email)
    {
        await using var dataSource = fixture.Database.CreateDataSource();
        await using var connection = await dataSource.OpenConnectionAsync();
        var tekst = await connection.QuerySingleAsync<string>(
            "SELECT tekst FROM mail_outbox WHERE aan = @email AND sleutel LIKE 'wandeling-bevestigen:%' ORDER BY id DESC LIMIT 1",
            new { email }
        );
        return new Uri(fixture.BaseAddress, LinkPatroon().Match(tekst).Value).ToString();
    }

    [GeneratedRegex("/wijkwandelingen/aanmelding/[A-Za-z0-9_-]{43}")]
    private static partial Regex LinkPatroon();

    [Fact]
    public async Task On_a_phone_a_resident_signs_up_and_the_next_one_lands_on_the_waitlist()
    {
        var id = await Een.Wandeling(fixture.Services)
            .Titel("Avondwandeling Rivierenbuurt")
            .Over(TimeSpan.FromDays(4))
            .Duur(60)
            .Startpunt("Speeltuin Rivierenbuurt", TestGemeente.Plek(52.3477, 4.6059).Lat, TestGemeente.Plek(52.3477, 4.6059).Lon)
            .Route(TestGemeente.Plek(52.3477, 4.6059), TestGemeente.Plek(52.3490, 4.6080), TestGemeente.Plek(52.3480, 4.6100))
            .Omschrijving("Samen kijken naar verlichting en verkeersveiligheid.", "Ook met rolstoel of rollator.")
            .Capaciteit(2)
            .OpgeslagenAsync();
        var (page, problems) = await fixture.OpenAsync(BrowserFixture.Phone);
        await page.GotoAsync(new Uri(fixture.BaseAddress, "/wijkwandelingen").ToString());
        await BrowserFixture.AssertAccessibleAsync(page);
        await page.Locator($"a[href='/wijkwandelingen/{id}']").First.TapAsync();
        await Assertions.Expect(page.Locator("#plaatsen")).ToHaveTextAsync("Nog 2 plaatsen vrij");
        await Assertions.Expect(page.Locator("#wandelingkaart path.leaflet-interactive").First).ToBeVisibleAsync();
        await BrowserFixture.AssertAccessibleAsync(page);

        await page.Locator("#naam").FillAsync("Sanne");
        await page.Locator("#email").FillAsync("sanne@example.nl");
        await page.Locator("#personen").SelectOptionAsync("2");
        await page.Locator("#aanmelden").TapAsync();
        await Assertions.Expect(page.Locator("#uitkomst")).ToContainTextAsync("Bevestig uw aanmelding binnen 24 uur");
        await Assertions.Expect(page.Locator("#plaatsen")).ToHaveTextAsync("Nog 2 plaatsen vrij");
        await BrowserFixture.AssertAccessibleAsync(page);

        // The link from the e-mail asks first; confirming takes the places and shows the check-in code.
        await page.GotoAsync(await BevestigLinkAsync("sanne@example.nl"));
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("Nog niet bevestigd");
        await BrowserFixture.AssertAccessibleAsync(page);
        await page.Locator("#bevestigen").TapAsync();
        await Assertions.Expect(page.Locator("#uitkomst")).ToContainTextAsync("u loopt mee");
        await Assertions.Expect(page.Locator("#code")).ToHaveTextAsync(new Regex("^[A-HJ-NP-Z2-9]{6}$"));
        await Assertions.Expect(page.Locator("#qr")).ToBeVisibleAsync();
        await BrowserFixture.AssertAccessibleAsync(page);
        await page.GotoAsync(new Uri(fixture.BaseAddress, $"/wijkwandelingen/{id}").ToString());
        await Assertions.Expect(page.Locator("#plaatsen")).ToContainTextAsync("Vol");

        // The next resident finds the walk full and joins the waitlist.
        var (tweede, problems2) = await fixture.OpenAsync(BrowserFixture.Phone);
        await tweede.GotoAsync(new Uri(fixture.BaseAddress, $"/wijkwandelingen/{id}").ToString());
        await Assertions.Expect(tweede.Locator("#aanmelden")).ToHaveTextAsync("Op de wachtlijst");
        await tweede.Locator("#naam").FillAsync("Youssef");
        await tweede.Locator("#email").FillAsync("youssef@example.nl");
        await tweede.Locator("#aanmelden").TapAsync();
        await Assertions.Expect(tweede.Locator("#uitkomst")).ToContainTextAsync("Bevestig uw aanmelding");
        await tweede.GotoAsync(await BevestigLinkAsync("youssef@example.nl"));
        await tweede.Locator("#bevestigen").TapAsync();
        await Assertions.Expect(tweede.Locator("#uitkomst")).ToContainTextAsync("u staat op de wachtlijst");
        await BrowserFixture.AssertAccessibleAsync(tweede);
        Assert.Empty(problems);
        Assert.Empty(problems2);
    }
}
