using Microsoft.Playwright;
using Wijkmeldingen.Testing;

namespace Wijkmeldingen.BrowserTests.Features.Kaart;

/// <summary>The public map as residents use it: filter, zoom out (counts per cell) and in (points),
/// open a point, subscribe to a buurt. axe-core on every page visited.</summary>
[Collection(BrowserGroup.Name)]
public sealed class KaartMeldingenBrowserTests(BrowserFixture fixture)
{
    // An isolated spot (in Heemstede the Dichters- en Vogelbuurt, west of the railway).
    private static readonly (double Lat, double Lon) Eenzaam = TestGemeente.Plek(52.3440, 4.5975);

    /// <summary>The map's view in its URL (#zoom/lat/lon) over a demo-municipality place, moved like
    /// <see cref="TestGemeente.Plek"/>.</summary>
    private static string Beeld(int zoom, double lat, double lon)
    {
        var (b, l) = TestGemeente.PlekTekst(lat, lon);
        return $"#{zoom}/{b}/{l}";
    }

    private string Url(string pad) => new Uri(fixture.BaseAddress, pad).ToString();

    private async Task<string> MeldingAsync(string rubriek, double lat, double lon)
    {
        await using var dataSource = fixture.Database.CreateDataSource();
        var melding = await Een.Melding(dataSource)
            .Rubriek(rubriek)
            .Met("browsertest")
            .Op(lat, lon)
            .AangemaaktDagenGeleden(2)
            .OpgeslagenAsync();
        return melding.Volgcode;
    }

    public static TheoryData<string> Viewports => ["telefoon", "desktop"];

    [Theory]
    [MemberData(nameof(Viewports))]
    public async Task Filter_zoom_out_and_in_and_open_a_point(string viewport)
    {
        for (var i = 0; i < 7; i++)
        {
            await MeldingAsync("jeugdoverlast", TestGemeente.Lat + (i * 0.0001), TestGemeente.Lon);
        }
        // Each viewport gets its own category, so the two runs never cluster each other's point.
        var (rubriek, naam) = viewport == "telefoon" ? ("te-hard-rijden", "Te hard rijden") : ("verkeersagressie", "Verkeersagressie");
        var eenzaam = await MeldingAsync(rubriek, Eenzaam.Lat, Eenzaam.Lon);
        var (page, problems) = await fixture.OpenAsync(viewport == "telefoon" ? BrowserFixture.Phone : BrowserFixture.Desktop);

        await page.GotoAsync(Url("/kaart"));
        var kaart = page.Locator("#kaart");
        await Assertions.Expect(kaart).ToHaveAttributeAsync("data-modus", "cellen");
        await Assertions.Expect(page.Locator(".kaartcel").First).ToBeVisibleAsync();
        await BrowserFixture.AssertAccessibleAsync(page);

        // Filtering updates the map and the URL, so the view can be shared. On a phone the filters
        // open in a panel over the map first.
        if (viewport == "telefoon")
        {
            await page.Locator("#filters-knop").TapAsync();
        }
        await page.Locator("#filter-rubriek").SelectOptionAsync(rubriek);
        await page.WaitForURLAsync($"**rubriek={rubriek}**");
        await Assertions.Expect(page.Locator(".kaartcel")).ToHaveCountAsync(1);

        // Zoomed in at the lone report: points, and a popup with a link to its tracking page.
        await page.GotoAsync(Url($"/kaart?rubriek={rubriek}" + Beeld(17, 52.3440, 4.5975)));
        await Assertions.Expect(kaart).ToHaveAttributeAsync("data-modus", "punten");
        var marker = page.Locator($".leaflet-marker-icon[title^='{naam}']");
        await Assertions.Expect(marker).ToHaveCountAsync(1);
        await marker.ClickAsync();
        var popup = page.Locator(".leaflet-popup-content");
        await Assertions.Expect(popup).ToContainTextAsync(naam);
        await BrowserFixture.AssertAccessibleAsync(page);
        // An open report offers "Ik heb dit ook" (issue 18): to the form on its page, instead of a duplicate.
        await Assertions.Expect(popup.Locator("a.popup__steun")).ToHaveAttributeAsync("href", $"/melding/{eenzaam}#ikheb");
        await popup.Locator("a:not(.popup__steun)").ClickAsync();
        await page.WaitForURLAsync($"**/melding/{eenzaam}");
        await BrowserFixture.AssertAccessibleAsync(page);

        // Where reports share a public place: one marker that counts them, its popup lists each with a link.
        await page.GotoAsync(Url("/kaart?rubriek=jeugdoverlast" + Beeld(18, 52.3527, 4.6192)));
        await Assertions.Expect(kaart).ToHaveAttributeAsync("data-modus", "punten");
        var plek = page.Locator(".leaflet-marker-icon[title$='meldingen op deze plek']").First;
        await Assertions.Expect(plek).ToBeVisibleAsync();
        var titel = await plek.GetAttributeAsync("title");
        var aantal = int.Parse(titel!.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        // Seven reports 11 m apart over 25 m cells (the other viewport's run adds seven more on the same spots).
        Assert.InRange(aantal, 2, 14);
        await plek.ClickAsync();
        await Assertions.Expect(popup).ToContainTextAsync($"{aantal} meldingen op deze plek");
        // The newest five (Kaart:MeldingenPerPlek) are listed, the rest counted.
        await Assertions.Expect(popup.Locator("li a[href^='/melding/']:not(.popup__steun)")).ToHaveCountAsync(Math.Min(aantal, 5));
        await BrowserFixture.AssertAccessibleAsync(page);

        // Zooming out again shows counts per cell.
        await page.GotoAsync(Url("/kaart" + Beeld(13, 52.343, 4.615)));
        await Assertions.Expect(kaart).ToHaveAttributeAsync("data-modus", "cellen");
        Assert.Empty(problems);
    }

    [Fact]
    public async Task Subscribe_to_a_buurt_and_confirm_from_the_email()
    {
        var (page, problems) = await fixture.OpenAsync(BrowserFixture.Phone);
        await page.GotoAsync(Url("/kaart"));
        await page.Locator($"a[href='/kaart/volgen?buurt={TestGemeente.AndereWijkBuurt}']").ClickAsync();
        await Assertions.Expect(page.Locator("#buurt")).ToHaveValueAsync(TestGemeente.AndereWijkBuurt);
        await BrowserFixture.AssertAccessibleAsync(page);

        await page.Locator("label[for=freq-dagelijks]").TapAsync();
        await page.Locator("#email").FillAsync("rivierenbuurt@example.nl");
        await page.Locator("#aanmelden").TapAsync();
        await Assertions.Expect(page.Locator("#bevestiging")).ToContainTextAsync("rivierenbuurt@example.nl");
        await BrowserFixture.AssertAccessibleAsync(page);

        MimeKit.MimeMessage? mail = null;
        for (var i = 0; i < 100 && mail is null; i++)
        {
            mail = fixture.Smtp.Messages.FirstOrDefault(m =>
                m.To.ToString().Contains("rivierenbuurt@example.nl", StringComparison.Ordinal)
            );
            if (mail is null)
            {
                await Task.Delay(200);
            }
        }
        Assert.NotNull(mail);
        var link = System.Text.RegularExpressions.Regex.Match(mail.TextBody ?? "", "/kaart/volgen/bevestigen/[A-Za-z0-9_-]+").Value;
        await page.GotoAsync(Url(link));
        await Assertions.Expect(page.Locator("#resultaat")).ToContainTextAsync("bevestigd");
        await BrowserFixture.AssertAccessibleAsync(page);
        Assert.Empty(problems);
    }
}
