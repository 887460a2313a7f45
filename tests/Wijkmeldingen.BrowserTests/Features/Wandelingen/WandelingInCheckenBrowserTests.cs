using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Features.Wandelingen;

namespace Wijkmeldingen.BrowserTests.Features.Wandelingen;

/// <summary>At the meeting point the organiser checks people in on a phone: the participant's QR code
/// opens the check-in page with the code filled in, a wrong code is refused in Dutch, a walk-in is
/// added and taken off again. Then the public report of a past walk and the staff page that writes it.
/// axe-core on every page and state.</summary>
[Collection(BrowserGroup.Name)]
public sealed class WandelingInCheckenBrowserTests(BrowserFixture fixture)
{
    private const string Email = "browser-incheck@heemstede.nl";

    private string Url(string pad) => new Uri(fixture.BaseAddress, pad).ToString();

    [Fact]
    public async Task On_a_phone_the_organiser_checks_in_by_qr_link_and_code_adds_and_removes_a_walk_in()
    {
        await using var dataSource = fixture.Database.CreateDataSource();
        await BeheerAccounts.MaakInDatabaseAsync(dataSource, Email, "Ilse Incheck", Rollen.Organisator);
        var id = await Een.Wandeling(fixture.Services)
            .Titel("Schouw Stationsbuurt")
            .Over(TimeSpan.FromMinutes(45))
            .Capaciteit(10)
            .OpgeslagenAsync();
        var aanmeldingen = fixture.Services.GetRequiredService<Aanmeldingen>();
        var anna = await aanmeldingen.AanmeldenEnBevestigenAsync(id, "Anna Jansen", "anna.incheck@example.nl", 2, CancellationToken.None);
        await aanmeldingen.AanmeldenEnBevestigenAsync(id, "Bram de Wit", "bram.incheck@example.nl", 1, CancellationToken.None);

        var (page, problems) = await fixture.OpenAsync(BrowserFixture.Phone);
        // The QR code on Anna's page links here with her code; the phone's camera opens it.
        var pad = $"/beheer/wandelingen/{id}/inchecken";
        await page.GotoAsync(Url($"{pad}?code={anna.Code}"));
        await page.WaitForURLAsync("**/beheer/inloggen?terug=*");
        await page.Locator("#email").FillAsync(Email);
        await page.Locator("#wachtwoord").FillAsync(BeheerAccounts.Wachtwoord);
        await page.Locator("#inloggen").TapAsync();
        await page.WaitForURLAsync($"**{pad}?code={anna.Code}");
        await Assertions.Expect(page.Locator("#code")).ToHaveValueAsync(anna.Code!);
        await Assertions.Expect(page.Locator("#aanwezig-telling")).ToHaveTextAsync("0 aanwezig · 3 aangemeld");
        await BrowserFixture.AssertAccessibleAsync(page);
        await page.Locator("#inchecken").TapAsync();
        await Assertions.Expect(page.Locator("#bevestiging")).ToHaveTextAsync("Anna Jansen is ingecheckt (2 persoon/personen).");
        await Assertions.Expect(page.Locator("#aanwezig-telling")).ToHaveTextAsync("2 aanwezig · 3 aangemeld");
        await BrowserFixture.AssertAccessibleAsync(page);

        // A typo: refused in Dutch, what was typed stays.
        await page.Locator("#code").FillAsync("QQQQ22");
        await page.Locator("#inchecken").TapAsync();
        await Assertions.Expect(page.Locator("#fout-Code")).ToContainTextAsync("hoort niet bij een bevestigde aanmelding");
        await Assertions.Expect(page.Locator("#code")).ToHaveValueAsync("QQQQ22");
        await BrowserFixture.AssertAccessibleAsync(page);

        // Bram forgot his phone: tap his name. Then a walk-in joins, and leaves again.
        await page.GetByRole(AriaRole.Button, new() { Name = "Bram de Wit aanwezig melden" }).TapAsync();
        await Assertions.Expect(page.Locator("#aanwezig-telling")).ToHaveTextAsync("3 aanwezig · 3 aangemeld");
        await page.Locator("#naam").FillAsync("Dirk Buurman");
        await page.Locator("#aantal").SelectOptionAsync("2");
        await page.Locator("#toevoegen").TapAsync();
        await Assertions.Expect(page.Locator("#bevestiging")).ToContainTextAsync("Dirk Buurman is toegevoegd");
        await Assertions.Expect(page.Locator("#aanwezig-telling")).ToHaveTextAsync("5 aanwezig · 3 aangemeld");
        await BrowserFixture.AssertAccessibleAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Dirk Buurman weghalen als aanwezig" }).TapAsync();
        await Assertions.Expect(page.Locator("#bevestiging")).ToHaveTextAsync("Dirk Buurman staat niet meer als aanwezig.");
        await Assertions.Expect(page.Locator("#aanwezig-telling")).ToHaveTextAsync("3 aanwezig · 3 aangemeld");
        await Assertions.Expect(page.Locator("#personen")).Not.ToContainTextAsync("Dirk Buurman");
        await BrowserFixture.AssertAccessibleAsync(page);
        // No sideways scrolling on the phone.
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"));

        // Anna's own page: her code, its QR code, and that she is checked in.
        await page.GotoAsync(Url($"/wijkwandelingen/aanmelding/{anna.Sleutel}"));
        await Assertions.Expect(page.Locator("#code")).ToHaveTextAsync(anna.Code!);
        await Assertions.Expect(page.Locator("#qr")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#aanwezig")).ToBeVisibleAsync();
        await BrowserFixture.AssertAccessibleAsync(page);

        // A past walk: the staff page that writes its public report, and the report itself.
        var voorbij = await Een.Wandeling(fixture.Services).Titel("Voorjaarsronde").Over(TimeSpan.FromDays(-3)).Duur(60).OpgeslagenAsync();
        await page.GotoAsync(Url($"/beheer/wandelingen/{voorbij}/verslag"));
        await page.Locator("#samenvatting").FillAsync("Veel zwerfvuil bij de vijver; de gemeente plaatst een extra afvalbak.");
        await page.Locator("#samenvatting-opslaan").TapAsync();
        await Assertions.Expect(page.Locator("#bevestiging")).ToHaveTextAsync("De samenvatting is opgeslagen.");
        await BrowserFixture.AssertAccessibleAsync(page);
        await page.Locator("#foto-toevoegen").TapAsync();
        await Assertions.Expect(page.Locator("#fout-Foto")).ToHaveTextAsync("Kies een foto.");
        await BrowserFixture.AssertAccessibleAsync(page);
        await page.Locator("#publiek-verslag").TapAsync();
        await page.WaitForURLAsync($"**/wijkwandelingen/{voorbij}/verslag");
        await Assertions.Expect(page.Locator("#samenvatting")).ToContainTextAsync("extra afvalbak");
        await Assertions.Expect(page.Locator("#aanwezig")).ToHaveTextAsync("0 personen");
        await BrowserFixture.AssertAccessibleAsync(page);

        await using var connection = await dataSource.OpenConnectionAsync();
        Assert.Equal(
            3,
            await connection.ExecuteScalarAsync<long>(
                "SELECT coalesce(sum(aantal_personen), 0) FROM wandeling_aanmelding WHERE wandeling_id = @id AND aanwezig_op IS NOT NULL",
                new { id }
            )
        );
        // The two refusals (the wrong code, the photo form without a photo) answer 400, which the browser
        // logs; nothing else may show up.
        Assert.Equal(2, problems.Count);
        Assert.All(problems, p => Assert.Contains("the server responded with a status of 400", p, StringComparison.Ordinal));
    }
}
