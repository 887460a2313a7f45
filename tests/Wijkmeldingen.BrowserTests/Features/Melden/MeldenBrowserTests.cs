using System.Globalization;
using Dapper;
using MetadataExtractor;
using MetadataExtractor.Formats.Exif;
using Microsoft.Playwright;
using Wijkmeldingen.Testing;

namespace Wijkmeldingen.BrowserTests.Features.Melden;

/// <summary>Filing a report as residents do: on a phone with touch, with the keyboard only, and
/// without a connection halfway. axe-core runs on every page visited.</summary>
[Collection(BrowserGroup.Name)]
public sealed class MeldenBrowserTests(BrowserFixture fixture)
{
    private string Url(string pad) => new Uri(fixture.BaseAddress, pad).ToString();

    private async Task<long> Aantal(string code)
    {
        await using var dataSource = fixture.Database.CreateDataSource();
        await using var connection = await dataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM melding WHERE volgcode = @code", new { code });
    }

    private static async Task OpenMeldenAsync(IPage page, string url)
    {
        await page.GotoAsync(url);
        await Assertions.Expect(page.Locator("#meldformulier")).ToHaveAttributeAsync("data-klaar", "true");
        await Assertions.Expect(page.Locator("#meldkaart")).ToHaveAttributeAsync("data-klaar", "true");
    }

    private static async Task TikOpKaartAsync(IPage page)
    {
        var kaart = page.Locator("#meldkaart");
        await kaart.ScrollIntoViewIfNeededAsync();
        // Let the map fit the municipality first: its centre is then inside the municipality.
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#meldkaart path').length > 0");
        await page.WaitForTimeoutAsync(400);
        var box = (await kaart.BoundingBoxAsync())!;
        await page.Touchscreen.TapAsync(box.X + box.Width / 2, box.Y + box.Height / 2);
        await Assertions.Expect(page.Locator("#plek-gekozen")).ToContainTextAsync("Gekozen plek:");
        await Assertions.Expect(page.Locator("#lat")).Not.ToHaveValueAsync("");
    }

    [Fact]
    public async Task On_a_phone_tap_the_map_pick_describe_attach_a_photo_submit_and_follow()
    {
        var (page, problems) = await fixture.OpenAsync(BrowserFixture.Phone);
        await OpenMeldenAsync(page, Url("/melden"));
        var tekst = await page.Locator("main").InnerTextAsync();
        Assert.True(
            tekst.IndexOf("Bij spoed of gevaar: bel 112", StringComparison.Ordinal)
                < tekst.IndexOf("Waar is het?", StringComparison.Ordinal)
        );
        await BrowserFixture.AssertAccessibleAsync(page);

        await TikOpKaartAsync(page);
        await page.Locator("label[for=rubriek-drugsafval]").TapAsync();
        await Assertions.Expect(page.Locator("#advies-drugsafval")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#advies-drugsafval")).ToContainTextAsync("Raak het afval niet aan");
        await page.Locator("label[for=rubriek-parkeeroverlast]").TapAsync();
        await Assertions.Expect(page.Locator("#advies-drugsafval")).ToBeHiddenAsync();
        await page.Locator("#omschrijving").FillAsync("Bestelbus staat al dagen half op de stoep, rolstoelen kunnen er niet langs.");
        await page.Locator("#fotos")
            .SetInputFilesAsync(
                new FilePayload
                {
                    Name = "IMG_0001.jpg",
                    MimeType = "image/jpeg",
                    Buffer = TestFotos.JpegMetGps(TestGemeente.Lat, TestGemeente.Lon),
                }
            );
        await page.Locator("#email").FillAsync("bewoner@example.nl");
        await BrowserFixture.AssertAccessibleAsync(page);
        // The README's picture of filing on a phone: the place chosen, the category and the text.
        await page.EvaluateAsync("() => document.getElementById('stap-waar').scrollIntoView()");
        await BrowserFixture.SchermafdrukAsync(page, "melden-telefoon");
        await page.Locator("#versturen").TapAsync();

        await page.WaitForURLAsync("**/melden/bedankt/**");
        var code = (await page.Locator("#volgcode").InnerTextAsync()).Trim();
        Assert.Equal(1, await Aantal(code));
        await BrowserFixture.AssertAccessibleAsync(page);
        await BrowserFixture.SchermafdrukAsync(page, "melden-bedankt-telefoon");

        // The stored photo carries no metadata at all.
        await using (var dataSource = fixture.Database.CreateDataSource())
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            var jpeg = await connection.QuerySingleAsync<byte[]>(
                "SELECT f.jpeg FROM melding_foto f JOIN melding m ON m.id = f.melding_id WHERE m.volgcode = @code",
                new { code }
            );
            var metadata = ImageMetadataReader.ReadMetadata(new MemoryStream(jpeg));
            Assert.Empty(metadata.OfType<GpsDirectory>());
            Assert.Empty(metadata.OfType<ExifIfd0Directory>());
        }

        // The private page works and passes axe.
        var priveLink = await page.Locator("#prive-link").GetAttributeAsync("href");
        Assert.Matches($"^/melding/{code}/opvolgen/", priveLink);

        await page.Locator("#volg-link").TapAsync();
        await page.WaitForURLAsync($"**/melding/{code}");
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("Gemeld");
        await Assertions.Expect(page.Locator("#rubriek")).ToContainTextAsync("Parkeeroverlast");
        await BrowserFixture.AssertAccessibleAsync(page);

        await page.GotoAsync(Url(priveLink!));
        await Assertions.Expect(page.Locator("#eigen-email")).ToHaveTextAsync("bewoner@example.nl");
        await BrowserFixture.AssertAccessibleAsync(page);

        // The confirmation e-mail arrived, with the tracking link, sent by the background sender.
        var mail = await WachtOpMailAsync("bewoner@example.nl", code);
        Assert.Contains($"/melding/{code}", mail.TextBody);
        Assert.Contains($"/melding/{code}/opvolgen/", mail.TextBody);
        Assert.Empty(problems);
    }

    private async Task<MimeKit.MimeMessage> WachtOpMailAsync(string aan, string code)
    {
        for (var i = 0; i < 100; i++)
        {
            var mail = fixture.Smtp.Messages.FirstOrDefault(m =>
                m.To.ToString().Contains(aan, StringComparison.Ordinal) && (m.Subject ?? "").Contains(code, StringComparison.Ordinal)
            );
            if (mail is not null)
            {
                return mail;
            }
            await Task.Delay(200);
        }
        throw new Xunit.Sdk.XunitException($"no e-mail to {aan} about {code} within 20 s");
    }

    /// <summary>Issue 18: the chosen category's extra questions on a phone (390×844); a stop answered
    /// "ja" shows what to do and the number to call, and nothing can be sent; "nee" lets the melder go on.</summary>
    [Fact]
    public async Task The_extra_questions_of_a_category_and_the_stop_with_the_emergency_number_on_a_phone()
    {
        var (page, problems) = await fixture.OpenAsync(BrowserFixture.Phone390);
        await OpenMeldenAsync(page, Url("/melden"));
        await TikOpKaartAsync(page);
        await page.Locator("label[for=rubriek-drugsafval]").TapAsync();
        var vragen = page.Locator("#vragen-drugsafval");
        await Assertions.Expect(vragen).ToBeVisibleAsync();
        await Assertions.Expect(vragen).ToContainTextAsync("Wat heeft u gevonden?");
        await Assertions.Expect(page.Locator("#stop-drugsafval-gevaar")).ToBeHiddenAsync();
        await BrowserFixture.AssertAccessibleAsync(page);

        await page.Locator("label[for=vraag-drugsafval-gevaar-0]").TapAsync();
        var stop = page.Locator("#stop-drugsafval-gevaar");
        await Assertions.Expect(stop).ToBeVisibleAsync();
        await Assertions.Expect(stop).ToContainTextAsync("Ga direct weg bij het afval.");
        await Assertions.Expect(stop.Locator("a[href='tel:112']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#versturen")).ToBeDisabledAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"));
        await BrowserFixture.AssertAccessibleAsync(page);

        await page.Locator("label[for=vraag-drugsafval-gevaar-1]").TapAsync();
        await Assertions.Expect(stop).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#versturen")).ToBeEnabledAsync();
        // Another category's questions are not shown (nor sent) with this one.
        await page.Locator("label[for=rubriek-parkeeroverlast]").TapAsync();
        await Assertions.Expect(vragen).ToBeHiddenAsync();
        await BrowserFixture.AssertAccessibleAsync(page);
        Assert.Empty(problems);
    }

    [Fact]
    public async Task A_photo_with_gps_offers_its_place_when_none_was_chosen()
    {
        var fotoPlek = TestGemeente.Plek(52.3421, 4.6262);
        var (page, problems) = await fixture.OpenAsync(BrowserFixture.Phone);
        await OpenMeldenAsync(page, Url("/melden"));

        await page.Locator("#fotos")
            .SetInputFilesAsync(
                new FilePayload
                {
                    Name = "IMG_0002.jpg",
                    MimeType = "image/jpeg",
                    Buffer = TestFotos.JpegMetGps(fotoPlek.Lat, fotoPlek.Lon),
                }
            );
        await Assertions.Expect(page.Locator("#foto-gps")).ToBeVisibleAsync();
        await BrowserFixture.AssertAccessibleAsync(page);
        await page.Locator("#foto-gps-gebruiken").TapAsync();

        await Assertions.Expect(page.Locator("#lat")).ToHaveValueAsync(fotoPlek.Lat.ToString("F6", CultureInfo.InvariantCulture));
        await Assertions.Expect(page.Locator("#lon")).ToHaveValueAsync(fotoPlek.Lon.ToString("F6", CultureInfo.InvariantCulture));
        await Assertions.Expect(page.Locator("#plek-gekozen")).ToContainTextAsync("Gekozen plek:");
        await Assertions.Expect(page.Locator("#foto-gps")).ToBeHiddenAsync();
        Assert.Empty(problems);
    }

    [Fact]
    public async Task With_the_keyboard_only_and_address_search()
    {
        var (page, problems) = await fixture.OpenAsync(BrowserFixture.Desktop);
        await OpenMeldenAsync(page, Url("/melden"));

        await BrowserFixture.TabNaarAsync(page, "#adres-zoek");
        var buurt = TestGemeente.ZoekBuurt;
        await page.Keyboard.TypeAsync(buurt.Zoek);
        await Assertions.Expect(page.Locator("#adres-suggesties [role=option]").First).ToContainTextAsync(buurt.Naam);
        await Assertions.Expect(page.Locator("#adres-zoek")).ToHaveAttributeAsync("aria-expanded", "true");
        await BrowserFixture.AssertAccessibleAsync(page);
        await page.Keyboard.PressAsync("ArrowDown");
        await Assertions.Expect(page.Locator("#adres-zoek")).ToHaveAttributeAsync("aria-activedescendant", "adres-optie-0");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#plek-gekozen")).ToContainTextAsync(buurt.Naam);

        // Radios: Tab enters the group, arrow keys choose.
        await BrowserFixture.TabNaarAsync(page, "input[name='Invoer.Rubriek']");
        await page.Keyboard.PressAsync("ArrowDown");
        await Assertions.Expect(page.Locator("#rubriek-jeugdoverlast")).ToBeCheckedAsync();
        await BrowserFixture.TabNaarAsync(page, "#omschrijving");
        await page.Keyboard.TypeAsync("Elke vrijdagavond een groep met scooters en harde muziek bij het bruggetje.");
        await BrowserFixture.TabNaarAsync(page, "#versturen");
        await page.Keyboard.PressAsync("Enter");

        await page.WaitForURLAsync("**/melden/bedankt/**");
        var code = (await page.Locator("#volgcode").InnerTextAsync()).Trim();
        await using (var dataSource = fixture.Database.CreateDataSource())
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            Assert.Equal(
                buurt.Code,
                await connection.QuerySingleAsync<string>("SELECT buurt_code FROM melding WHERE volgcode = @code", new { code })
            );
        }
        await BrowserFixture.AssertAccessibleAsync(page);
        Assert.Empty(problems);
    }

    [Fact]
    public async Task Offline_mid_draft_the_report_waits_and_is_sent_when_the_connection_is_back()
    {
        var (page, problems) = await fixture.OpenAsync(BrowserFixture.Phone);
        await OpenMeldenAsync(page, Url("/melden"));
        await TikOpKaartAsync(page);
        await page.Locator("label[for=rubriek-te-hard-rijden]").TapAsync();

        await page.Context.SetOfflineAsync(true);
        await page.Locator("#omschrijving").FillAsync("Auto's scheuren hier elke ochtend rond half negen langs de school.");
        var sleutel = await page.Locator("input[name='Invoer.IdempotentieSleutel']").InputValueAsync();
        await page.Locator("#versturen").TapAsync();
        await Assertions.Expect(page.Locator("#concept-status")).ToContainTextAsync("Geen verbinding");
        Assert.EndsWith("/melden", page.Url);
        await using (var dataSource = fixture.Database.CreateDataSource())
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            Assert.Equal(
                0,
                await connection.ExecuteScalarAsync<long>(
                    "SELECT count(*) FROM melding WHERE idempotentie_sleutel = @s::uuid",
                    new { s = sleutel }
                )
            );
        }

        await page.Context.SetOfflineAsync(false);
        await page.WaitForURLAsync("**/melden/bedankt/**", new PageWaitForURLOptions { Timeout = 20_000 });
        var code = (await page.Locator("#volgcode").InnerTextAsync()).Trim();
        Assert.Equal(1, await Aantal(code));
        await using (var dataSource = fixture.Database.CreateDataSource())
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            Assert.Equal(
                code,
                await connection.QuerySingleAsync<string>(
                    "SELECT volgcode FROM melding WHERE idempotentie_sleutel = @s::uuid",
                    new { s = sleutel }
                )
            );
        }
        // Failed loads while offline are expected; nothing else may go wrong.
        Assert.DoesNotContain(problems, p => !p.Contains("ERR_INTERNET_DISCONNECTED", StringComparison.Ordinal));
    }

    /// <summary>Waits until the service worker controls the page (it has cached the form by then).</summary>
    private static async Task WachtOpServiceWorkerAsync(IPage page)
    {
        // Playwright's offline switch reaches the service worker's requests too (Playwright 1.64).
        await page.WaitForFunctionAsync(
            "() => navigator.serviceWorker.controller !== null",
            null,
            new PageWaitForFunctionOptions { Timeout = 30_000 }
        );
    }

    private static async Task<(string Sleutel, string Omschrijving)> SchrijfOfflineAsync(IPage page, string rubriek, string omschrijving)
    {
        await TikOpKaartAsync(page);
        await page.Locator($"label[for=rubriek-{rubriek}]").TapAsync();
        await page.Locator("#omschrijving").FillAsync(omschrijving);
        var sleutel = await page.Locator("input[name='Invoer.IdempotentieSleutel']").InputValueAsync();
        await page.Locator("#versturen").TapAsync();
        await Assertions.Expect(page.Locator("#concept-status")).ToContainTextAsync("Geen verbinding");
        return (sleutel, omschrijving);
    }

    [Fact]
    public async Task Melden_opened_while_already_offline_shows_the_form_from_the_cache()
    {
        var (page, problems) = await fixture.OpenAsync(BrowserFixture.Phone);
        await OpenMeldenAsync(page, Url("/melden"));
        await WachtOpServiceWorkerAsync(page);
        var online = await page.Locator("input[name='Invoer.IdempotentieSleutel']").InputValueAsync();
        await page.Context.SetOfflineAsync(true);

        // A new tab, opened without a connection.
        var offline = await page.Context.NewPageAsync();
        offline.PageError += (_, e) => problems.Add("script error: " + e);
        await OpenMeldenAsync(offline, Url("/melden"));

        await Assertions.Expect(offline.Locator("h1")).ToHaveTextAsync("Melding doen");
        await Assertions.Expect(offline.Locator("#omschrijving")).ToBeEditableAsync();
        await Assertions.Expect(offline.Locator("#versturen")).ToBeVisibleAsync();
        // The draft started here has a key of its own, not the one of the form in the cache.
        var sleutel = await offline.Locator("input[name='Invoer.IdempotentieSleutel']").InputValueAsync();
        var inCache = await offline.EvaluateAsync<string>(
            """
            async () => {
              const html = await (await caches.match('/melden')).text();
              return /name="Invoer.IdempotentieSleutel"[^>]*value="([^"]+)"/.exec(html)[1];
            }
            """
        );
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", sleutel);
        Assert.NotEqual(online, sleutel);
        Assert.NotEqual(inCache, sleutel);
        await page.Context.SetOfflineAsync(false);
        await BrowserFixture.AssertAccessibleAsync(offline);
        Assert.DoesNotContain(problems, p => !p.Contains("ERR_INTERNET_DISCONNECTED", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Two_reports_written_offline_arrive_as_two_reports_with_two_tracking_codes()
    {
        var (page, problems) = await fixture.OpenAsync(BrowserFixture.Phone);
        await OpenMeldenAsync(page, Url("/melden"));
        await WachtOpServiceWorkerAsync(page);
        await page.Context.SetOfflineAsync(true);

        // The first in the form loaded online; the second in /melden opened again offline, from the cache.
        var eerste = await SchrijfOfflineAsync(page, "te-hard-rijden", "Brommers racen 's avonds over het fietspad langs de vaart.");
        await OpenMeldenAsync(page, Url("/melden"));
        var tweede = await SchrijfOfflineAsync(
            page,
            "parkeeroverlast",
            "Vrachtwagen staat elke nacht met draaiende koelmotor voor de deur."
        );
        Assert.NotEqual(eerste.Sleutel, tweede.Sleutel);
        await using var dataSource = fixture.Database.CreateDataSource();
        await using var connection = await dataSource.OpenConnectionAsync();
        const string Opgeslagen = "SELECT idempotentie_sleutel::text, volgcode FROM melding WHERE omschrijving = ANY(@o)";
        var omschrijvingen = new[] { eerste.Omschrijving, tweede.Omschrijving };
        Assert.Empty(await connection.QueryAsync(Opgeslagen, new { o = omschrijvingen }));

        await page.Context.SetOfflineAsync(false);

        var codes = page.Locator("#concept-status a.verzonden-code");
        await Assertions.Expect(codes).ToHaveCountAsync(2, new LocatorAssertionsToHaveCountOptions { Timeout = 30_000 });
        var getoond = (await codes.AllInnerTextsAsync()).Select(c => c.Trim()).ToList();
        var rijen = (await connection.QueryAsync<(string Sleutel, string Volgcode)>(Opgeslagen, new { o = omschrijvingen })).ToList();
        Assert.Equal(2, rijen.Count);
        Assert.Equal(
            new[] { eerste.Sleutel, tweede.Sleutel }.Order(StringComparer.Ordinal),
            rijen.Select(r => r.Sleutel).Order(StringComparer.Ordinal)
        );
        Assert.NotEqual(rijen[0].Volgcode, rijen[1].Volgcode);
        Assert.Equal(rijen.Select(r => r.Volgcode).Order(StringComparer.Ordinal), getoond.Order(StringComparer.Ordinal));
        await BrowserFixture.AssertAccessibleAsync(page);
        Assert.DoesNotContain(problems, p => !p.Contains("ERR_INTERNET_DISCONNECTED", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_draft_survives_a_closed_tab()
    {
        await using var profiel = await fixture.NieuwProfielAsync(BrowserFixture.Phone);
        var problems = new List<string>();
        var page = await profiel.NewPageAsync();
        page.PageError += (_, e) => problems.Add("script error: " + e);
        await OpenMeldenAsync(page, Url("/melden"));
        await page.Locator("label[for=rubriek-woonoverlast]").TapAsync();
        await page.Locator("#omschrijving").FillAsync("De buren draaien elke nacht harde muziek tot vier uur.");
        // The draft is in IndexedDB (read through the page's own module).
        var bewaard = false;
        for (var i = 0; i < 50 && !bewaard; i++)
        {
            await Task.Delay(100);
            bewaard = await page.EvaluateAsync<bool>(
                "async () => { const c = await (await import('/js/concept.js')).leesConcept('melden'); "
                    + "return c?.velden?.Omschrijving?.includes('vier uur') ?? false; }"
            );
        }
        Assert.True(bewaard, "the draft was not saved in IndexedDB");
        await page.CloseAsync();

        var nieuw = await profiel.NewPageAsync();
        nieuw.PageError += (_, e) => problems.Add("script error: " + e);
        await OpenMeldenAsync(nieuw, Url("/melden"));

        await Assertions.Expect(nieuw.Locator("#omschrijving")).ToHaveValueAsync("De buren draaien elke nacht harde muziek tot vier uur.");
        await Assertions.Expect(nieuw.Locator("#rubriek-woonoverlast")).ToBeCheckedAsync();
        await Assertions.Expect(nieuw.Locator("#concept-status")).ToContainTextAsync("Uw concept is teruggezet");
        await BrowserFixture.AssertAccessibleAsync(nieuw);
        Assert.Empty(problems);
    }

    [Fact]
    public async Task The_form_is_available_in_english()
    {
        var (page, problems) = await fixture.OpenAsync(BrowserFixture.Desktop);
        await OpenMeldenAsync(page, Url("/melden"));

        // The header's menu (the footer repeats it).
        await page.Locator("#hoofdmenu a[hreflang=en]").ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Make a report");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await BrowserFixture.AssertAccessibleAsync(page);

        await page.Locator("#hoofdmenu a[hreflang=nl]").ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Melding doen");
        Assert.Empty(problems);
    }

    [Theory]
    [InlineData("/privacy")]
    [InlineData("/toegankelijkheid")]
    [InlineData("/open311")]
    public async Task Statement_pages_pass_axe(string pad)
    {
        var (page, problems) = await fixture.OpenAsync(BrowserFixture.Phone);
        await page.GotoAsync(Url(pad));
        await Assertions.Expect(page.Locator("h1")).ToBeVisibleAsync();
        await BrowserFixture.AssertAccessibleAsync(page);
        Assert.Empty(problems);
    }
}
