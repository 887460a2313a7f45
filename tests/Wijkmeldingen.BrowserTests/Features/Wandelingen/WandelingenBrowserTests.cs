using Dapper;
using Microsoft.Playwright;

namespace Wijkmeldingen.BrowserTests.Features.Wandelingen;

/// <summary>A resident on a phone signs up for a walk; it fills, and the next resident lands on the
/// waitlist. axe-core on every page visited.</summary>
[Collection(BrowserGroup.Name)]
public sealed class WandelingenBrowserTests(BrowserFixture fixture)
{
    [Fact]
    public async Task On_a_phone_a_resident_signs_up_and_the_next_one_lands_on_the_waitlist()
    {
        long id;
        await using (var dataSource = fixture.Database.CreateDataSource())
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            id = await connection.QuerySingleAsync<long>(
                """
                INSERT INTO wandeling (titel, wijk_code, begint_op, duur_minuten, startpunt, startpunt_naam, route, omschrijving,
                                       toegankelijkheid, capaciteit, status)
                VALUES ('Avondwandeling Rivierenbuurt', 'WK039700', now() + interval '4 days', 60,
                        ST_Transform(ST_SetSRID(ST_MakePoint(4.6059, 52.3477), 4326), 28992), 'Speeltuin Rivierenbuurt',
                        ST_Transform(
                            ST_SetSRID(ST_GeomFromText('LINESTRING(4.6059 52.3477, 4.6080 52.3490, 4.6100 52.3480)'), 4326), 28992),
                        'Samen kijken naar verlichting en verkeersveiligheid.', 'Ook met rolstoel of rollator.', 2, 'gepubliceerd')
                RETURNING id
                """
            );
        }
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
        await Assertions.Expect(page.Locator("#uitkomst")).ToContainTextAsync("U bent aangemeld");
        await Assertions.Expect(page.Locator("#plaatsen")).ToContainTextAsync("Vol");
        await BrowserFixture.AssertAccessibleAsync(page);

        // The next resident finds the walk full and joins the waitlist.
        var (tweede, problems2) = await fixture.OpenAsync(BrowserFixture.Phone);
        await tweede.GotoAsync(new Uri(fixture.BaseAddress, $"/wijkwandelingen/{id}").ToString());
        await Assertions.Expect(tweede.Locator("#aanmelden")).ToHaveTextAsync("Op de wachtlijst");
        await tweede.Locator("#naam").FillAsync("Youssef");
        await tweede.Locator("#email").FillAsync("youssef@example.nl");
        await tweede.Locator("#aanmelden").TapAsync();
        await Assertions.Expect(tweede.Locator("#uitkomst")).ToContainTextAsync("u staat op de wachtlijst");
        await BrowserFixture.AssertAccessibleAsync(tweede);
        Assert.Empty(problems);
        Assert.Empty(problems2);
    }
}
