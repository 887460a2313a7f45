using Dapper;
using Microsoft.Playwright;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.BrowserTests.Features.Wijkbeeld;

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
        // Raw on purpose: seeded once into the browser fixture's shared database (the NOT EXISTS guard makes
        // every later run a no-op), in one statement together with the rollup refresh.
        await connection.ExecuteAsync(
            """
            INSERT INTO melding (rubriek_id, omschrijving, locatie, aangemaakt_op)
            SELECT (SELECT id FROM rubriek WHERE code = 'drugsafval'), 'Browsertest hotspots beheer',
                   ST_Translate(ST_PointOnSurface(b.geom), (i % 4) * 5, (i % 3) * 5),
                   date_trunc('month', now()) - interval '10 days' + make_interval(hours => i)
            FROM buurt b, generate_series(1, 30) i
            WHERE b.code = @buurt AND NOT EXISTS (SELECT 1 FROM melding WHERE omschrijving = 'Browsertest hotspots beheer');
            SELECT wijkbeeld_ververs('{100,250}');
            """,
            new { buurt = TestGemeente.AndereWijkBuurt }
        );
        if (await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM medewerker WHERE email = 'browser-hotspots@heemstede.nl'") == 0)
        {
            await BeheerAccounts.MaakInDatabaseAsync(
                dataSource,
                "browser-hotspots@heemstede.nl",
                "Hanna Hotspot",
                Rollen.Wijkprofessional,
                Rollen.Beheerder
            );
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<(IPage Page, List<string> Problems)> InloggenAsync(string viewport)
    {
        var (page, problems) = await fixture.OpenAsync(viewport == "telefoon" ? BrowserFixture.Phone : BrowserFixture.Desktop);
        await page.GotoAsync(Url("/beheer/inloggen"));
        await page.Locator("#email").FillAsync("browser-hotspots@heemstede.nl");
        await page.Locator("#wachtwoord").FillAsync(BeheerAccounts.Wachtwoord);
        await page.Locator("#inloggen").ClickAsync();
        await page.WaitForURLAsync("**/beheer");
        return (page, problems);
    }

    [Theory]
    [MemberData(nameof(Viewports))]
    public async Task Narratives_alerts_and_the_import_page_work_and_pass_axe(string viewport)
    {
        // An open alert, as the background round would store it.
        await using (var dataSource = fixture.Database.CreateDataSource())
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            await connection.ExecuteAsync(
                """
                INSERT INTO wijk_signaal (soort, regel, plek, locatie, buurt_code, wijk_code, aantal, omschrijving)
                SELECT 'herhaling', 'browsertest', @plek, ST_PointOnSurface(b.geom), b.code, b.wijk_code, 3, 'Browsertest signaal ' || @plek
                FROM buurt b WHERE b.code = @buurt
                """,
                new { plek = viewport, buurt = TestGemeente.EersteBuurt }
            );
        }
        var (page, problems) = await InloggenAsync(viewport);

        var signaal = page.Locator("#start-signalen li", new() { HasText = "Browsertest signaal " + viewport });
        await Assertions.Expect(signaal).ToBeVisibleAsync();
        await BrowserFixture.AssertAccessibleAsync(page);
        await signaal.Locator("button").ClickAsync();
        await page.WaitForURLAsync("**/beheer");
        await Assertions
            .Expect(page.Locator("#start-signalen li", new() { HasText = "Browsertest signaal " + viewport }))
            .ToHaveCountAsync(0);
        await page.GotoAsync(Url("/beheer/signalen"));
        await Assertions.Expect(page.Locator("#geziene-signalen")).ToContainTextAsync("Browsertest signaal " + viewport);
        await BrowserFixture.AssertAccessibleAsync(page);

        // A narrative: a wrong form keeps the input and names the field; then saved and published.
        await page.GotoAsync(Url("/beheer/verhalen/nieuw"));
        await BrowserFixture.AssertAccessibleAsync(page);
        await page.Locator("#wijk").SelectOptionAsync(TestGemeente.AndereWijk);
        await page.Locator("#van").FillAsync("2025-12");
        await page.Locator("#tot").FillAsync("2025-10");
        await page.Locator("#titel").FillAsync("Browsertest verhaal " + viewport);
        await page.Locator("#tekst").FillAsync("Eerste alinea.\n\nTweede alinea.");
        await page.Locator("#verhaal-opslaan").ClickAsync();
        await Assertions.Expect(page.Locator("#fout-tot")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#titel")).ToHaveValueAsync("Browsertest verhaal " + viewport);
        await BrowserFixture.AssertAccessibleAsync(page);
        await page.Locator("#van").FillAsync("2025-10");
        await page.Locator("#tot").FillAsync("2025-12");
        await page.Locator("#verhaal-opslaan").ClickAsync();
        await page.WaitForURLAsync("**/beheer/verhalen");
        var rij = page.Locator("#verhalen tr", new() { HasText = "Browsertest verhaal " + viewport });
        await rij.Locator("button").ClickAsync();
        await Assertions.Expect(page.Locator("#bevestiging")).ToContainTextAsync("openbare wijkpagina");
        await BrowserFixture.AssertAccessibleAsync(page);
        await page.GotoAsync(Url($"/wijken/{TestGemeente.AndereWijk}?soort=kwartaal&kwartaal=2025-4"));
        await Assertions.Expect(page.Locator("section.verhaal", new() { HasText = "Browsertest verhaal " + viewport })).ToBeVisibleAsync();

        // The import page with a file that has an error.
        await page.GotoAsync(Url("/beheer/beleving"));
        await BrowserFixture.AssertAccessibleAsync(page);
        await page.Locator("#bestand")
            .SetInputFilesAsync(
                new FilePayload
                {
                    Name = "fout.csv",
                    MimeType = "text/csv",
                    Buffer = System.Text.Encoding.UTF8.GetBytes(
                        "wijk_code;jaar;indicator;omschrijving;waarde;eenheid;bron\n"
                            + $"WK{TestGemeente.Code[2..]}98;2025;veilig;Veilig;80;%;Test\n"
                    ),
                }
            );
        await page.Locator("#beleving-voorbeeld").ClickAsync();
        await Assertions.Expect(page.Locator("#csv-fouten")).ToContainTextAsync("Regel 2: onbekende wijk");
        await BrowserFixture.AssertAccessibleAsync(page);
        // Refused forms answer 400 (as every form here does), which Chromium logs; nothing else may appear.
        Assert.DoesNotContain(problems, p => !p.Contains("status of 400", StringComparison.Ordinal));
    }

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
        await Assertions
            .Expect(page.Locator("#hotspotkaart"))
            .ToHaveAttributeAsync("data-clusters", new System.Text.RegularExpressions.Regex("^[1-9]"));
        Assert.True(await page.Locator("#hotspotkaart path").CountAsync() > 50);
        await Assertions.Expect(page.Locator($"#ranglijst tr[data-buurt={TestGemeente.AndereWijkBuurt}]").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#clusters tbody tr").First).ToBeVisibleAsync();
        await BrowserFixture.AssertAccessibleAsync(page);

        // The switch to "unusual for this place" recolours the same cells and swaps the legend, without
        // a reload; its table is on the page either way.
        await Assertions.Expect(page.Locator("#legenda-ongewoon")).ToBeHiddenAsync();
        await page.GetByLabel("Ongewoon voor deze plek: elke cel tegen zijn eigen verleden").CheckAsync();
        await Assertions.Expect(page.Locator("#hotspotkaart")).ToHaveAttributeAsync("data-laag", "ongewoon");
        await Assertions.Expect(page.Locator("#legenda-ongewoon")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#legenda-gi")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#ongewoon-kop")).ToBeVisibleAsync();
        Assert.Equal("/beheer/hotspots", new Uri(page.Url).AbsolutePath);
        await BrowserFixture.AssertAccessibleAsync(page);

        // Filtering by the sensitive category is a plain GET form.
        await page.Locator("#h-rubriek").SelectOptionAsync("drugsafval");
        await page.Locator("#hotspots-toon").ClickAsync();
        await page.WaitForURLAsync("**/beheer/hotspots?*rubriek=drugsafval*");
        await Assertions.Expect(page.Locator("#hotspot-status")).ToContainTextAsync("cellen");

        await page.GotoAsync(
            Url(
                $"/beheer/wijken/{TestGemeente.AndereWijk}?soort=maand&maand="
                    + DateTime.Today.AddMonths(-1).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture)
            )
        );
        await Assertions.Expect(page.Locator("tr[data-code=drugsafval] td").First).ToHaveTextAsync("30");
        await BrowserFixture.AssertAccessibleAsync(page);
        await page.GotoAsync(Url("/beheer/wijken"));
        await BrowserFixture.AssertAccessibleAsync(page);
        Assert.Empty(problems);
    }
}
