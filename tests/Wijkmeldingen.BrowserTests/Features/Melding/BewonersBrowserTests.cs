using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.BrowserTests.Features.Melding;

/// <summary>On a phone (390×844): a resident says "Ik heb dit ook" on an open report and "Nog niet
/// opgelost" on a closed one, without an account; a member of staff, also on a phone, sees the count
/// and rejects the request with a reason that then shows on the public page. axe-core runs on every
/// page on the way.</summary>
[Collection(BrowserGroup.Name)]
public sealed partial class BewonersBrowserTests(BrowserFixture fixture)
{
    private string Url(string pad) => new Uri(fixture.BaseAddress, pad).ToString();

    [Fact]
    public async Task Ik_heb_dit_ook_and_nog_niet_opgelost_on_a_phone()
    {
        await using var dataSource = fixture.Database.CreateDataSource();
        await BeheerAccounts.MaakInDatabaseAsync(dataSource, "browser-bewoners@heemstede.nl", "Bea Beheer", Rollen.Wijkprofessional);
        var open = await Een.Melding(dataSource).Met("Fietswrak tegen het hek van het park.").Verschoven(-300, 120).OpgeslagenAsync();
        var gesloten = await Een.Melding(dataSource).Met("Lantaarn kapot.").Verschoven(-320, 140).Status("afgehandeld").OpgeslagenAsync();
        var (telefoon, problemen) = await fixture.OpenAsync(BrowserFixture.Phone);

        await telefoon.GotoAsync(Url($"/melding/{open.Volgcode}#ikheb"));
        await Assertions.Expect(telefoon.Locator("#steun-aantal")).ToHaveTextAsync("0 buurtbewoners");
        await Assertions.Expect(telefoon.Locator("#steun-knop")).ToBeInViewportAsync();
        await BrowserFixture.AssertAccessibleAsync(telefoon);
        await telefoon.Locator("#steun-knop").TapAsync();
        await Assertions.Expect(telefoon.Locator("#bevestiging")).ToContainTextAsync("We tellen u mee");
        await Assertions.Expect(telefoon.Locator("#steun-aantal")).ToHaveTextAsync("1 buurtbewoner");
        await Assertions.Expect(telefoon.Locator("#steun-gedaan")).ToBeVisibleAsync();
        await BrowserFixture.AssertAccessibleAsync(telefoon);

        await telefoon.GotoAsync(Url($"/melding/{gesloten.Volgcode}"));
        await Assertions.Expect(telefoon.Locator("#steun-knop")).ToHaveCountAsync(0);
        await telefoon.Locator("#heropen-toelichting").FillAsync("De lamp is nog steeds donker.");
        await BrowserFixture.AssertAccessibleAsync(telefoon);
        await telefoon.Locator("#heropen-knop").TapAsync();
        await Assertions.Expect(telefoon.Locator("#bevestiging")).ToContainTextAsync("Een medewerker bekijkt");
        await Assertions.Expect(telefoon.Locator("#heropen-gedaan")).ToBeVisibleAsync();
        await Assertions.Expect(telefoon.Locator("#status")).ToHaveTextAsync("Afgehandeld");
        await BrowserFixture.AssertAccessibleAsync(telefoon);

        // Staff on a phone: the request on the report page, rejected with a public reason.
        var (staf, problemenStaf) = await fixture.OpenAsync(BrowserFixture.Phone);
        await staf.GotoAsync(Url($"/beheer/meldingen/{gesloten.Id}"));
        await staf.WaitForURLAsync("**/beheer/inloggen?terug=*");
        await staf.Locator("#email").FillAsync("browser-bewoners@heemstede.nl");
        await staf.Locator("#wachtwoord").FillAsync(BeheerAccounts.Wachtwoord);
        await staf.Locator("#inloggen").ClickAsync();
        await staf.WaitForURLAsync($"**/beheer/meldingen/{gesloten.Id}");
        await Assertions.Expect(staf.Locator("#nietopgelost")).ToContainTextAsync("De lamp is nog steeds donker.");
        await BrowserFixture.AssertAccessibleAsync(staf);
        await staf.Locator("#nietopgelost textarea[name='NietOpgelostTekst'][required]")
            .FillAsync("Het is een andere lamp; die is gemeld.");
        await staf.Locator("#nietopgelost button.knop--secundair").TapAsync();
        await Assertions.Expect(staf.Locator("#nietopgelost")).ToContainTextAsync("afgewezen");
        await BrowserFixture.AssertAccessibleAsync(staf);
        await staf.GotoAsync(Url($"/beheer/meldingen/{open.Id}"));
        await Assertions.Expect(staf.Locator("#steun-aantal")).ToHaveTextAsync("1");

        await telefoon.GotoAsync(Url($"/melding/{gesloten.Volgcode}"));
        await Assertions.Expect(telefoon.Locator("#heropen-reden")).ToHaveTextAsync("Het is een andere lamp; die is gemeld.");
        await BrowserFixture.AssertAccessibleAsync(telefoon);
        Assert.Empty(problemen);
        Assert.Empty(problemenStaf);
    }

    [GeneratedRegex(@"/melding/[A-Z0-9-]+/vraag/[A-Za-z0-9_-]+")]
    private static partial Regex VraagLink();

    [Fact]
    public async Task Staff_ask_a_question_and_the_melder_answers_through_the_mail_on_a_phone()
    {
        await using var dataSource = fixture.Database.CreateDataSource();
        await BeheerAccounts.MaakInDatabaseAsync(dataSource, "browser-vraag@heemstede.nl", "Vera Vraag", Rollen.Wijkprofessional);
        var melding = await Een.Melding(dataSource)
            .Met("Container staat al dagen vol.")
            .Email("browser-vraag-melder@example.nl")
            .Verschoven(-340, 160)
            .OpgeslagenAsync();
        var (staf, problemenStaf) = await fixture.OpenAsync(BrowserFixture.Phone);
        await staf.GotoAsync(Url($"/beheer/meldingen/{melding.Id}"));
        await staf.WaitForURLAsync("**/beheer/inloggen?terug=*");
        await staf.Locator("#email").FillAsync("browser-vraag@heemstede.nl");
        await staf.Locator("#wachtwoord").FillAsync(BeheerAccounts.Wachtwoord);
        await staf.Locator("#inloggen").ClickAsync();
        await staf.WaitForURLAsync($"**/beheer/meldingen/{melding.Id}");
        await staf.Locator("#vraag").FillAsync("Welke container bedoelt u precies?");
        await staf.Locator("#vraag-stellen").TapAsync();
        await Assertions.Expect(staf.Locator("#vragen")).ToContainTextAsync("Welke container bedoelt u precies?");
        await BrowserFixture.AssertAccessibleAsync(staf);

        var link = VraagLink().Match(await WachtOpMailAsync("browser-vraag-melder@example.nl", melding.Volgcode)).Value;
        Assert.NotEmpty(link);
        var (telefoon, problemen) = await fixture.OpenAsync(BrowserFixture.Phone);
        await telefoon.GotoAsync(Url(link));
        await Assertions.Expect(telefoon.Locator("#vraag-tekst")).ToContainTextAsync("Welke container");
        await BrowserFixture.AssertAccessibleAsync(telefoon);
        // Sent empty: the server says so in Dutch (no JavaScript needed).
        await telefoon.Locator("#antwoord-versturen").TapAsync();
        await Assertions.Expect(telefoon.Locator("#foutoverzicht")).ToContainTextAsync("Schrijf uw antwoord in het vak.");
        await BrowserFixture.AssertAccessibleAsync(telefoon);
        await telefoon.Locator("#antwoord").FillAsync("De groene container bij nummer 12.");
        await telefoon.Locator("#antwoord-versturen").TapAsync();
        await Assertions.Expect(telefoon.Locator("#bevestiging")).ToContainTextAsync("Dank u wel");
        await BrowserFixture.AssertAccessibleAsync(telefoon);
        // The link is spent.
        await telefoon.GotoAsync(Url(link));
        await Assertions.Expect(telefoon.Locator("#vraag-staat")).ToContainTextAsync("al beantwoord");

        await staf.ReloadAsync();
        await Assertions.Expect(staf.Locator("#vragen")).ToContainTextAsync("De groene container bij nummer 12.");
        // The one expected console line is the deliberate empty answer's 400 (the page with the Dutch message).
        Assert.Contains("status of 400", Assert.Single(problemen), StringComparison.Ordinal);
        Assert.Empty(problemenStaf);
    }

    private async Task<string> WachtOpMailAsync(string aan, string code)
    {
        for (var i = 0; i < 100; i++)
        {
            var mail = fixture.Smtp.Messages.FirstOrDefault(m =>
                m.To.ToString().Contains(aan, StringComparison.Ordinal) && (m.Subject ?? "").Contains(code, StringComparison.Ordinal)
            );
            if (mail is not null)
            {
                return mail.TextBody ?? "";
            }
            await Task.Delay(200);
        }
        throw new Xunit.Sdk.XunitException($"no question e-mail to {aan} about {code} within 20 s");
    }
}
