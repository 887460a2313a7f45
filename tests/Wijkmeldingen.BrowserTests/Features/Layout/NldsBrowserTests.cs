using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.BrowserTests.Features.Layout;

/// <summary>The NL Design System look (issue 21): Utrecht's tokens and its html-content component come
/// from this origin in cascade layers below the portal's own styles, the portal's building blocks are
/// painted with the component tokens, and everything is in the colours of the municipality's profile,
/// never in Utrecht's: the demo profile (Heemstede, green) and Voorbeeldstad (purple) each get their own.
/// Also takes the pictures of /melden, a wijk picture and the back office in the new look, phone and
/// desktop (infra/wijk screenshots writes them into docs/img).</summary>
[Collection(BrowserGroup.Name)]
public sealed class NldsBrowserTests(BrowserFixture fixture)
{
    /// <summary>Utrecht's own brand colours (its red and its blue shades, from @utrecht/design-tokens):
    /// none of them may be the colour, background or border of anything on the page.</summary>
    private static readonly string[] UtrechtseKleuren =
    [
        "hsl(0 100% 40%)",
        "hsl(0 100% 30%)",
        "hsl(211 60% 40%)",
        "hsl(211 60% 35%)",
        "hsl(211 60% 30%)",
        "hsl(211 60% 20%)",
        "#d63433",
    ];

    private const string Meting = """
        kleuren => {
          const probe = document.createElement('span');
          document.body.append(probe);
          const rgb = c => { probe.style.color = c; return getComputedStyle(probe).color; };
          const verboden = new Set(kleuren.map(rgb));
          const primair = rgb(getComputedStyle(document.documentElement).getPropertyValue('--huisstijl-color-primary').trim());
          const primairDonker = rgb(getComputedStyle(document.documentElement).getPropertyValue('--huisstijl-color-primary-dark').trim());
          probe.remove();
          const stijl = s => getComputedStyle(document.querySelector(s));
          const gevonden = [];
          for (const el of document.querySelectorAll('body *')) {
            const cs = getComputedStyle(el);
            for (const p of ['color', 'background-color', 'border-top-color', 'border-left-color', 'border-bottom-color']) {
              if (verboden.has(cs.getPropertyValue(p)) && el.getClientRects().length > 0) {
                gevonden.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')} ${p} ${cs.getPropertyValue(p)}`);
              }
            }
          }
          const utrecht = [...document.styleSheets].filter(s => (s.href ?? '').includes('/lib/utrecht/'));
          const radio = document.querySelector('main input[type=radio]');
          return {
            primair,
            primairDonker,
            token: getComputedStyle(document.body).getPropertyValue('--utrecht-button-primary-action-background-color').trim(),
            knop: stijl('main .knop--primair').backgroundColor,
            kop: stijl('header.kop').backgroundColor,
            voet: stijl('footer.voet').backgroundColor,
            link: stijl('main .privacy-hint a').color,
            radioUiterlijk: radio ? getComputedStyle(radio).appearance : '',
            lagen: utrecht.map(s => `${new URL(s.href).pathname} ${[...s.cssRules].map(r => r instanceof CSSLayerBlockRule
              ? `layer:${r.name}:${r.cssRules.length}` : r.constructor.name).join(' ')}`),
            utrechtKlassen: [...document.querySelectorAll('[class*="utrecht-"]')].map(e => e.tagName.toLowerCase() + '.' + e.className),
            gevonden,
          };
        }
        """;

    private sealed class Uitkomst
    {
        public string Primair { get; set; } = "";
        public string PrimairDonker { get; set; } = "";
        public string Token { get; set; } = "";
        public string Knop { get; set; } = "";
        public string Kop { get; set; } = "";
        public string Voet { get; set; } = "";
        public string Link { get; set; } = "";
        public string RadioUiterlijk { get; set; } = "";
        public string[] Lagen { get; set; } = [];
        public string[] UtrechtKlassen { get; set; } = [];
        public string[] Gevonden { get; set; } = [];
    }

    private static string Rgb(string hex) =>
        $"rgb({Convert.ToInt32(hex[1..3], 16)}, {Convert.ToInt32(hex[3..5], 16)}, {Convert.ToInt32(hex[5..7], 16)})";

    /// <summary>/melden in the profile's colours: the primary button, the link, header and footer, and the
    /// token the components read, all from the profile; nothing in Utrecht's brand colours. Utrecht's two
    /// files arrive from this origin (the html-content one as one layer), and only body and main carry a
    /// Utrecht class.</summary>
    private static async Task InDeHuisstijlAsync(IPage page, Uri basis, string primair, string primairDonker)
    {
        await page.GotoAsync(new Uri(basis, "/melden").ToString());
        await Assertions.Expect(page.Locator("main h1")).ToBeVisibleAsync();

        var uit = await page.EvaluateAsync<Uitkomst>(Meting, UtrechtseKleuren);
        Assert.Equal(Rgb(primair), uit.Primair);
        Assert.Equal(Rgb(primairDonker), uit.PrimairDonker);
        Assert.Equal(primair, uit.Token, ignoreCase: true);
        Assert.Equal(Rgb(primair), uit.Knop);
        Assert.Equal(Rgb(primair), uit.Kop);
        Assert.Equal(Rgb(primairDonker), uit.Voet);
        Assert.Equal(Rgb(primair), uit.Link);
        // The html-content component reaches the plain elements in main: its radio buttons are drawn by it.
        Assert.Equal("none", uit.RadioUiterlijk);
        Assert.Equal(2, uit.Lagen.Length);
        Assert.Matches(@"^/lib/utrecht/design-tokens/theme\.[a-z0-9]+\.css CSSStyleRule$", uit.Lagen[0]);
        Assert.Matches(@"^/lib/utrecht/component-library-css/html\.laag\.[a-z0-9]+\.css layer:nlds-html:[1-9][0-9]{2,}$", uit.Lagen[1]);
        Assert.Equal(["body.utrecht-theme", "main.inhoud utrecht-html"], uit.UtrechtKlassen);
        Assert.True(uit.Gevonden.Length == 0, "Utrecht's brand colours on the page: " + string.Join("; ", uit.Gevonden));
    }

    [Fact]
    public async Task The_demo_profile_paints_the_components_in_its_own_colours()
    {
        // On a server of its own: the fixture serves Voorbeeldstad's profile when the tests run with it only.
        await using var database = await TestDatabase.CreateAsync();
        await using var app = new WijkAppFactory(database.ConnectionString, TestGemeente.DemoProfiel());
        app.UseKestrel(0);
        app.StartServer();
        var profiel = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<GemeenteProfiel>>().Value;
        var (page, problems) = await fixture.OpenAsync(BrowserFixture.Desktop, app.ClientOptions.BaseAddress);

        await InDeHuisstijlAsync(page, app.ClientOptions.BaseAddress, profiel.Huisstijl.Primair, profiel.Huisstijl.PrimairDonker);
        Assert.Equal("#00594f", profiel.Huisstijl.Primair);
        await BrowserFixture.AssertAccessibleAsync(page);
        Assert.Empty(problems);
    }

    [Fact]
    public async Task The_second_municipality_gets_its_own_colours_in_the_components()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var app = new WijkAppFactory(database.ConnectionString, Voorbeeldstad.Instellingen());
        app.UseKestrel(0);
        app.StartServer();
        await using var context = await fixture.Browser.NewContextAsync(BrowserFixture.Desktop);
        var page = await context.NewPageAsync();

        await InDeHuisstijlAsync(page, app.ClientOptions.BaseAddress, "#6b2c91", "#4a1d66");
        await BrowserFixture.AssertAccessibleAsync(page);
    }

    /// <summary>List items in main with no bullet of their own (menus, tiles, legends) that still show
    /// a marker: Utrecht's html-content draws its bullet as the marker's content.</summary>
    private const string Kogels = """
        () => [...document.querySelectorAll('main li')]
          .filter(li => li.getClientRects().length > 0 && getComputedStyle(li).listStyleType === 'none')
          .filter(li => !['normal', 'none'].includes(getComputedStyle(li, '::marker').content))
          .map(li => li.textContent.trim().slice(0, 40))
        """;

    public static TheoryData<string> Schermen => new() { "telefoon", "desktop" };

    /// <summary>The README's pictures of the new look: /melden, a wijk picture and the back office's
    /// list, on a phone (390 × 844) and a desktop; axe-core on each, and the privacy and accessibility
    /// statements in the look without an axe finding.</summary>
    [Theory]
    [MemberData(nameof(Schermen))]
    public async Task Pictures_of_the_new_look(string scherm)
    {
        var opties = scherm == "telefoon" ? BrowserFixture.Phone390 : BrowserFixture.Desktop;
        var (page, problems) = await fixture.OpenAsync(opties);

        await page.GotoAsync(new Uri(fixture.BaseAddress, "/melden").ToString());
        await Assertions.Expect(page.Locator("#meldkaart")).ToBeVisibleAsync();
        await BrowserFixture.AssertAccessibleAsync(page);
        await BrowserFixture.SchermafdrukAsync(page, $"nlds-melden-{scherm}");

        await page.GotoAsync(new Uri(fixture.BaseAddress, "/wijken/" + TestGemeente.StilleWijk).ToString());
        await Assertions.Expect(page.Locator("h1")).ToBeVisibleAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await BrowserFixture.AssertAccessibleAsync(page);
        await BrowserFixture.SchermafdrukAsync(page, $"nlds-wijk-{scherm}");
        Assert.Empty(await page.EvaluateAsync<string[]>(Kogels));

        foreach (var verklaring in new[] { "/privacy", "/toegankelijkheid" })
        {
            await page.GotoAsync(new Uri(fixture.BaseAddress, verklaring).ToString());
            await Assertions.Expect(page.Locator("main.utrecht-html h1")).ToBeVisibleAsync();
            Assert.True(await page.Locator("main h2").CountAsync() >= 3, $"{verklaring} lost its sections");
            await BrowserFixture.AssertAccessibleAsync(page);
        }

        await using var dataSource = fixture.Database.CreateDataSource();
        var email = $"nlds-{scherm}@heemstede.nl";
        await BeheerAccounts.MaakInDatabaseAsync(dataSource, email, "Noor Wijkcoördinator", Rollen.Wijkprofessional);
        await page.GotoAsync(new Uri(fixture.BaseAddress, "/beheer/meldingen").ToString());
        await page.WaitForURLAsync("**/beheer/inloggen?terug=*");
        await page.Locator("#email").FillAsync(email);
        await page.Locator("#wachtwoord").FillAsync(BeheerAccounts.Wachtwoord);
        await page.Locator("#inloggen").ClickAsync();
        await page.WaitForURLAsync("**/beheer/meldingen");
        await Assertions.Expect(page.Locator("#beheerkaart")).ToHaveAttributeAsync("data-klaar", "true");
        // The back office's table has the table component's header line in the municipality's colour.
        var kopLijn = await page.EvaluateAsync<string>(
            "() => getComputedStyle(document.querySelector('main table thead th')).borderBottomColor"
        );
        var profiel = fixture.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<GemeenteProfiel>>().Value;
        Assert.Equal(Rgb(profiel.Huisstijl.Primair), kopLijn);
        Assert.Empty(await page.EvaluateAsync<string[]>(Kogels));
        await BrowserFixture.AssertAccessibleAsync(page);
        await BrowserFixture.SchermafdrukAsync(page, $"nlds-beheer-{scherm}");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}
