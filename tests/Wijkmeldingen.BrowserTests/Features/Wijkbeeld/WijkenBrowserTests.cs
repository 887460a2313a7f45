using Dapper;
using Microsoft.Playwright;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.BrowserTests.Features.Wijkbeeld;

/// <summary>The public wijk picture in a real browser, on a phone and on a desktop: charts, tables,
/// the hotspot map, no horizontal scrolling, nothing from outside, axe-core clean. The reports are
/// in a category the other browser tests do not use (verkeersagressie) and in the default period.</summary>
[Collection(BrowserGroup.Name)]
public sealed class WijkenBrowserTests(BrowserFixture fixture) : IAsyncLifetime
{
    public static TheoryData<string> Viewports => ["telefoon", "desktop"];

    public async Task InitializeAsync()
    {
        await using var dataSource = fixture.Database.CreateDataSource();
        await using var connection = await dataSource.OpenConnectionAsync();
        var kwartaal = Periode.Standaard(DateTime.Today);
        var vorig = kwartaal.Vorige;
        // Raw on purpose: seeded once into the browser fixture's shared database (the NOT EXISTS guard makes the
        // second viewport's run a no-op), spread over a month in one statement per quarter.
        await connection.ExecuteAsync(
            """
            INSERT INTO melding (rubriek_id, omschrijving, locatie, aangemaakt_op, status)
            SELECT (SELECT id FROM rubriek WHERE code = 'verkeersagressie'), 'Browsertest wijkbeeld',
                   ST_Translate(ST_PointOnSurface(b.geom), (i % 5) * 7, (i % 3) * 7),
                   (@maand::timestamp + make_interval(days => i % 27, hours => 7 + i % 12)) AT TIME ZONE 'Europe/Amsterdam',
                   CASE WHEN i % 2 = 0 THEN 'afgehandeld' ELSE 'gemeld' END
            FROM buurt b, generate_series(1, @aantal) i
            WHERE b.code = @buurt AND NOT EXISTS (SELECT 1 FROM melding WHERE omschrijving = 'Browsertest wijkbeeld' AND buurt_code = @buurt
                AND aangemaakt_op >= @maand::timestamp AT TIME ZONE 'Europe/Amsterdam'
                AND aangemaakt_op < (@maand::timestamp + interval '1 month') AT TIME ZONE 'Europe/Amsterdam')
            """,
            new[]
            {
                new
                {
                    maand = kwartaal.Van.AddMonths(1),
                    aantal = 40,
                    buurt = TestGemeente.StilleWijkBuurt,
                },
                new
                {
                    maand = vorig.Van,
                    aantal = 12,
                    buurt = TestGemeente.StilleWijkBuurt,
                },
                new
                {
                    maand = kwartaal.Van,
                    aantal = 25,
                    buurt = TestGemeente.EersteBuurt,
                },
            }
        );
        await connection.ExecuteAsync("SELECT wijkbeeld_ververs('{100,250}')");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [MemberData(nameof(Viewports))]
    public async Task Overview_shows_the_wijken_and_the_hotspot_map_and_passes_axe(string viewport)
    {
        var (page, problems) = await fixture.OpenAsync(viewport == "telefoon" ? BrowserFixture.Phone : BrowserFixture.Desktop);

        await page.GotoAsync(new Uri(fixture.BaseAddress, "/wijken").ToString());

        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Wijkbeeld");
        // The map draws one hexagon per cell of the public grid (and the wijk outlines).
        await Assertions.Expect(page.Locator("#hotspot-status")).ToContainTextAsync("cellen");
        Assert.True(await page.Locator("#hotspotkaart path").CountAsync() > 50);
        if (viewport == "desktop")
        {
            await BrowserFixture.SchermafdrukAsync(page, "wijken-hotspots-desktop");
        }
        // Every wijk and the municipality in the table; the chart has a bar per wijk.
        Assert.Equal(
            TestGemeente.AantalWijken + 1,
            await page.Locator("[aria-labelledby=overzicht-kop] table.tabel--cijfers tbody tr").CountAsync()
        );
        Assert.True(await page.Locator("svg.grafiek__svg rect.grafiek__nu").CountAsync() >= TestGemeente.AantalWijken);
        await AssertNoHorizontalScrollAsync(page);
        await BrowserFixture.AssertAccessibleAsync(page);
        Assert.Empty(problems);
    }

    [Theory]
    [MemberData(nameof(Viewports))]
    public async Task Wijk_picture_has_charts_with_tables_and_passes_axe(string viewport)
    {
        var (page, problems) = await fixture.OpenAsync(viewport == "telefoon" ? BrowserFixture.Phone : BrowserFixture.Desktop);

        await page.GotoAsync(new Uri(fixture.BaseAddress, "/wijken/" + TestGemeente.StilleWijk).ToString());

        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(TestGemeente.StilleWijkNaam);
        await Assertions.Expect(page.Locator("[data-kern=aantal]")).ToHaveTextAsync("40");
        await Assertions.Expect(page.Locator("[data-kern=verandering]")).ToHaveTextAsync("+233 %");
        // Bars, a line and a heat matrix, each an image with a title, each with its table.
        Assert.Equal(3, await page.Locator("svg[role=img] title").CountAsync());
        // No label or value runs past the edge of its chart (the SVG cuts it off there): "36,9 per 1.000" was "36,9 per 1".
        var waarden = await page.Locator("svg.grafiek__svg text.grafiek__waarde").AllTextContentsAsync();
        Assert.Contains(waarden, w => w.EndsWith("per 1.000", StringComparison.Ordinal));
        Assert.Empty(await AfgekaptAsync(page));
        // The README's picture of a wijk picture (on a desktop, the whole page).
        if (viewport == "desktop")
        {
            await BrowserFixture.SchermafdrukAsync(page, "wijkbeeld-desktop", volledig: true);
        }
        await page.Locator("summary").First.ClickAsync();
        await Assertions.Expect(page.Locator("details[open] table")).ToBeVisibleAsync();
        await AssertNoHorizontalScrollAsync(page);
        await BrowserFixture.AssertAccessibleAsync(page);

        // Choosing another period works without JavaScript: a plain GET form.
        await page.Locator("#soort-jaar").CheckAsync();
        await page.Locator("#p-jaar").FillAsync("2024");
        await page.Locator("form.periode button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator(".intro")).ToContainTextAsync("2024");
        Assert.Empty(problems);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Wijk_picture_leads_with_the_key_figures_and_the_period_shows_only_the_chosen_kind(bool javascript)
    {
        var opties = BrowserFixture.Phone390;
        opties.JavaScriptEnabled = javascript;
        var (page, problems) = await fixture.OpenAsync(opties);

        await page.GotoAsync(new Uri(fixture.BaseAddress, "/wijken/" + TestGemeente.StilleWijk).ToString());

        // The key figures come first, in the first screen; the period control after them.
        var kern = (await page.Locator("dl.kerncijfers").BoundingBoxAsync())!;
        var periode = (await page.Locator("form.periode").BoundingBoxAsync())!;
        Assert.True(kern.Y < 844 && kern.Y < periode.Y, $"key figures at {kern.Y} px, the period at {periode.Y} px");
        // The default period is a quarter: only its field shows.
        await Assertions.Expect(page.Locator("#soort-kwartaal")).ToBeCheckedAsync();
        await Assertions.Expect(page.Locator("#p-kwartaal")).ToBeVisibleAsync();
        foreach (var verborgen in new[] { "#p-maand", "#p-jaar", "#p-van", "#p-tot" })
        {
            await Assertions.Expect(page.Locator(verborgen)).ToBeHiddenAsync();
        }
        Assert.True(periode.Height < 320, $"the period control is {periode.Height} px high");

        await page.Locator("label[for=soort-vrij]").TapAsync();
        await Assertions.Expect(page.Locator("#p-van")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#p-tot")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#p-kwartaal")).ToBeHiddenAsync();
        await page.Locator("label[for=soort-jaar]").TapAsync();
        await Assertions.Expect(page.Locator("#p-jaar")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#p-van")).ToBeHiddenAsync();
        if (javascript)
        {
            // axe-core needs JavaScript in the page.
            await BrowserFixture.AssertAccessibleAsync(page);
        }

        // The same query parameters as before reach the server.
        await page.Locator("#p-jaar").FillAsync("2024");
        await page.Locator("form.periode button[type=submit]").TapAsync();
        await page.WaitForURLAsync("**soort=jaar**");
        Assert.Contains("jaar=2024", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator(".intro")).ToContainTextAsync("2024");
        await Assertions.Expect(page.Locator("#p-jaar")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#p-kwartaal")).ToBeHiddenAsync();
        Assert.Empty(problems);
    }

    [Theory]
    [MemberData(nameof(Viewports))]
    public async Task Wijk_has_its_own_map_of_buurten_readable_by_keyboard_and_without_colour(string viewport)
    {
        var telefoon = viewport == "telefoon";
        var (page, problems) = await fixture.OpenAsync(telefoon ? BrowserFixture.Phone390 : BrowserFixture.Desktop);

        await page.GotoAsync(new Uri(fixture.BaseAddress, "/wijken/" + TestGemeente.EersteWijk).ToString());

        var kaart = page.Locator("#buurtkaart");
        var rijen = await page.Locator("table tr[id^=buurt-]").CountAsync();
        Assert.True(rijen >= 2, $"{rijen} buurten in the table");
        await Assertions
            .Expect(kaart)
            .ToHaveAttributeAsync("data-geladen", rijen.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Assertions.Expect(page.Locator("#buurtkaart-status")).ToHaveTextAsync($"{rijen} buurten op de kaart.");
        // Every buurt is a named link on the map, with its figure as a label (not colour only).
        var buurten = page.Locator("#buurtkaart path[role=link]");
        Assert.Equal(rijen, await buurten.CountAsync());
        var centrum = page.Locator($"#buurtkaart path[data-code={TestGemeente.EersteBuurt}]");
        var naam = (await centrum.GetAttributeAsync("aria-label"))!;
        var rij = page.Locator($"#buurt-{TestGemeente.EersteBuurt}");
        var aantal = (await rij.Locator("td").Nth(1).TextContentAsync())!.Trim();
        var per1000 = (await rij.Locator("td").Nth(3).TextContentAsync())!.Trim();
        var klasse = (await rij.Locator("td[data-klasse]").TextContentAsync())!.Trim();
        Assert.Matches(
            @"^[^:]+: "
                + System.Text.RegularExpressions.Regex.Escape(per1000)
                + " per 1.000 inwoners, "
                + System.Text.RegularExpressions.Regex.Escape(aantal)
                + " meldingen, klasse "
                + System.Text.RegularExpressions.Regex.Escape(klasse)
                + "$",
            naam
        );
        Assert.Contains(per1000, await page.Locator(".buurtkaart__label").AllTextContentsAsync());
        // Buurten with fewer than 5 reports show "< 5" and say so.
        var klein = page.Locator("#buurtkaart path[aria-label*='minder dan 5 meldingen']");
        Assert.True(await klein.CountAsync() >= 1);
        Assert.Contains("< 5", await page.Locator(".buurtkaart__label").AllTextContentsAsync());
        await Assertions.Expect(page.Locator("#buurtkaart-legenda li")).Not.ToHaveCountAsync(0);

        if (telefoon)
        {
            // On a phone the wijk picture leads with its key figures (issue 21); the buurten map follows
            // right after them, before the period control, within the second screen, and nearly full width.
            var box = (await kaart.BoundingBoxAsync())!;
            var kern = (await page.Locator("dl.kerncijfers").BoundingBoxAsync())!;
            var periode = (await page.Locator("form.periode").BoundingBoxAsync())!;
            Assert.True(kern.Y < box.Y && box.Y < periode.Y, $"key figures at {kern.Y} px, map at {box.Y} px, period at {periode.Y} px");
            Assert.True(box.Y < 2 * 844, $"the buurten map starts at {box.Y} px");
            Assert.True(box.Height >= 280 && box.Width >= 340, $"the buurten map is {box.Width} × {box.Height} px");
        }
        else
        {
            await BrowserFixture.SchermafdrukAsync(page, "wijk-buurtkaart-desktop");
        }

        // Keyboard only: Tab reaches a buurt, Enter moves the focus to its row in the table.
        await page.Locator("#naar-buurtentabel").FocusAsync();
        await BrowserFixture.TabNaarAsync(page, "#buurtkaart path[role=link]", 20);
        var code = await page.EvaluateAsync<string>("() => document.activeElement.dataset.code");
        await page.Keyboard.PressAsync("Enter");
        Assert.True(
            await page.EvaluateAsync<bool>($"() => document.activeElement.matches('#buurt-{code} th')"),
            "Enter on a buurt moves the focus to its row"
        );
        await BrowserFixture.AssertAccessibleAsync(page);
        Assert.Empty(problems);
    }

    [Fact]
    public async Task Without_javascript_the_buurten_map_points_to_the_table()
    {
        var opties = BrowserFixture.Phone390;
        opties.JavaScriptEnabled = false;
        var (page, problems) = await fixture.OpenAsync(opties);

        await page.GotoAsync(new Uri(fixture.BaseAddress, "/wijken/" + TestGemeente.EersteWijk).ToString());

        await Assertions.Expect(page.Locator("#buurtkaart .kaart__geen-script")).ToContainTextAsync("tabel");
        await Assertions.Expect(page.Locator($"#buurt-{TestGemeente.EersteBuurt} td[data-klasse]")).Not.ToHaveTextAsync("–");
        Assert.Empty(problems);
    }

    [Theory]
    [MemberData(nameof(Viewports))]
    public async Task Kpi_page_passes_axe(string viewport)
    {
        var (page, problems) = await fixture.OpenAsync(viewport == "telefoon" ? BrowserFixture.Phone : BrowserFixture.Desktop);

        await page.GotoAsync(new Uri(fixture.BaseAddress, "/wijken/kpi").ToString());

        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("KPI's Veilig & Leefbaar");
        await Assertions.Expect(page.Locator("tr[data-code=verkeer]")).ToHaveCountAsync(1);
        await AssertNoHorizontalScrollAsync(page);
        await BrowserFixture.AssertAccessibleAsync(page);
        Assert.Empty(problems);
    }

    /// <summary>The texts of the charts that reach outside their SVG (and are therefore cut off), with
    /// how far, in CSS pixels.</summary>
    internal static async Task<string[]> AfgekaptAsync(IPage page) =>
        await page.EvaluateAsync<string[]>(
            """
            () => [...document.querySelectorAll('svg.grafiek__svg')].flatMap(svg => {
                const r = svg.getBoundingClientRect();
                return [...svg.querySelectorAll('text')]
                    .map(t => [t.textContent, t.getBoundingClientRect()])
                    .filter(([, b]) => b.width > 0 && (b.right > r.right + 0.5 || b.left < r.left - 0.5))
                    .map(([tekst, b]) => `${tekst} (${Math.round(Math.max(b.right - r.right, r.left - b.left))} px)`);
            })
            """
        );

    private static async Task AssertNoHorizontalScrollAsync(IPage page)
    {
        var overflow = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > document.documentElement.clientWidth");
        Assert.False(overflow, "the page scrolls horizontally");
    }
}
