using Dapper;
using Microsoft.Playwright;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Features.Beheer.Accounts;

namespace Wijkmeldingen.BrowserTests.Features.Wijken;

/// <summary>The staff hotspot map and staff wijk picture in a real browser, on a desktop and on a
/// phone: the cells and the DBSCAN clusters load, the ranked table is there, axe-core is clean. The
/// reports are drugsafval (a sensitive category) so only the staff pages show them.</summary>
[Collection(BrowserGroup.Name)]
public sealed class WijkbeeldBeheerBrowserTests(BrowserFixture fixture) : IAsyncLifetime
{
    public static TheoryData<string> Viewports => ["telefoon", "desktop"];

    private string Url(string pad) => new Uri(fixture.BaseAddress, pad).ToString();

    public async Task InitializeAsync()
    {
        await using var dataSource = fixture.Database.CreateDataSource();
        await using var connection = await dataSource.OpenConnectionAsync();
        // 30 drugsafval reports last month in a tight spot: a hot cell and a DBSCAN cluster.
        await connection.ExecuteAsync(
            """
            INSERT INTO melding (rubriek_id, omschrijving, locatie, aangemaakt_op)
            SELECT (SELECT id FROM rubriek WHERE code = 'drugsafval'), 'Browsertest hotspots beheer',
                   ST_Translate(ST_PointOnSurface(b.geom), (i % 4) * 5, (i % 3) * 5),
                   date_trunc('month', now()) - interval '10 days' + make_interval(hours => i)
            FROM buurt b, generate_series(1, 30) i
            WHERE b.code = 'BU03970100' AND NOT EXISTS (SELECT 1 FROM melding WHERE omschrijving = 'Browsertest hotspots beheer');
            SELECT wijkbeeld_ververs('{100,250}');
            """);
        if (await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM medewerker WHERE email = 'browser-hotspots@heemstede.nl'") == 0)
        {
            await BeheerAccounts.MaakInDatabaseAsync(dataSource, "browser-hotspots@heemstede.nl", "Hanna Hotspot", Rollen.Wijkprofessional);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [MemberData(nameof(Viewports))]
    public async Task Staff_hotspot_map_and_wijk_picture_load_and_pass_axe(string viewport)
    {
        var (page, problems) = await fixture.OpenAsync(viewport == "telefoon" ? BrowserFixture.Phone : BrowserFixture.Desktop);
        await page.GotoAsync(Url("/beheer/inloggen"));
        await page.Locator("#email").FillAsync("browser-hotspots@heemstede.nl");
        await page.Locator("#wachtwoord").FillAsync(BeheerAccounts.Wachtwoord);
        await page.Locator("#inloggen").ClickAsync();
        await page.WaitForURLAsync("**/beheer");

        await page.GotoAsync(Url("/beheer/hotspots?cel=100"));
        await Assertions.Expect(page.Locator("#hotspot-status")).ToContainTextAsync("cellen");
        await Assertions.Expect(page.Locator("#hotspotkaart")).ToHaveAttributeAsync("data-clusters", new System.Text.RegularExpressions.Regex("^[1-9]"));
        Assert.True(await page.Locator("#hotspotkaart path").CountAsync() > 50);
        await Assertions.Expect(page.Locator("#ranglijst tr[data-buurt=BU03970100]").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#clusters tbody tr").First).ToBeVisibleAsync();
        await BrowserFixture.AssertAccessibleAsync(page);

        // Filtering by the sensitive category is a plain GET form.
        await page.Locator("#h-rubriek").SelectOptionAsync("drugsafval");
        await page.Locator("#hotspots-toon").ClickAsync();
        await page.WaitForURLAsync("**/beheer/hotspots?*rubriek=drugsafval*");
        await Assertions.Expect(page.Locator("#hotspot-status")).ToContainTextAsync("cellen");

        await page.GotoAsync(Url("/beheer/wijken/WK039701?soort=maand&maand=" + DateTime.Today.AddMonths(-1).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture)));
        await Assertions.Expect(page.Locator("tr[data-code=drugsafval] td").First).ToHaveTextAsync("30");
        await BrowserFixture.AssertAccessibleAsync(page);
        await page.GotoAsync(Url("/beheer/wijken"));
        await BrowserFixture.AssertAccessibleAsync(page);
        Assert.Empty(problems);
    }
}
