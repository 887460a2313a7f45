using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Wijkmeldingen.Testing;

namespace Wijkmeldingen.BrowserTests.Features.Melding;

/// <summary>"Mijn meldingen" on a phone (390×844): a melder asks for the link (a bad address first:
/// the server's Dutch message), opens it from the mail and sees their reports with status, one column
/// without sideways scrolling; the same request also works with JavaScript switched off. axe-core on
/// every page.</summary>
[Collection(BrowserGroup.Name)]
public sealed partial class MijnMeldingenBrowserTests(BrowserFixture fixture)
{
    private string Url(string pad) => new Uri(fixture.BaseAddress, pad).ToString();

    [GeneratedRegex(@"/mijn-meldingen/[A-Za-z0-9_-]{43}")]
    private static partial Regex Link();

    [Fact]
    public async Task A_melder_asks_for_the_link_and_sees_their_reports_on_a_phone()
    {
        await using var dataSource = fixture.Database.CreateDataSource();
        var eerste = await Een.Melding(dataSource)
            .Rubriek("drugsafval")
            .Email("browser-mijn@example.nl")
            .Verschoven(-360, 180)
            .AangemaaktDagenGeleden(30)
            .OpgeslagenAsync();
        var tweede = await Een.Melding(dataSource)
            .Email("browser-mijn@example.nl")
            .Verschoven(-380, 200)
            .Status("afgehandeld")
            .OpgeslagenAsync();
        var (telefoon, problemen) = await fixture.OpenAsync(BrowserFixture.Phone390);

        await telefoon.GotoAsync(Url("/"));
        await telefoon.Locator("#mijn-meldingen-link").TapAsync();
        await telefoon.WaitForURLAsync("**/mijn-meldingen");
        await BrowserFixture.AssertAccessibleAsync(telefoon);
        await telefoon.Locator("#email").FillAsync("browser-mijn@example");
        await telefoon.Locator("#mijn-versturen").TapAsync();
        await Assertions.Expect(telefoon.Locator("#foutoverzicht")).ToContainTextAsync("Vul een geldig e-mailadres in");
        await Assertions.Expect(telefoon.Locator("#email")).ToHaveValueAsync("browser-mijn@example");
        await BrowserFixture.AssertAccessibleAsync(telefoon);
        await telefoon.Locator("#email").FillAsync("browser-mijn@example.nl");
        await telefoon.Locator("#mijn-versturen").TapAsync();
        await Assertions.Expect(telefoon.Locator("#bevestiging")).ToContainTextAsync("Als er meldingen met dit e-mailadres zijn");
        await BrowserFixture.AssertAccessibleAsync(telefoon);

        var link = Link().Match(await WachtOpMailAsync("browser-mijn@example.nl")).Value;
        Assert.NotEmpty(link);
        await telefoon.GotoAsync(Url(link));
        var items = telefoon.Locator("#mijn-lijst li");
        await Assertions.Expect(items).ToHaveCountAsync(2);
        await Assertions.Expect(items.Nth(0)).ToContainTextAsync(tweede.Volgcode);
        await Assertions.Expect(items.Nth(0)).ToContainTextAsync("Afgehandeld");
        await Assertions.Expect(items.Nth(1)).ToContainTextAsync("Drugsafval");
        await Assertions.Expect(items.Nth(1)).ToContainTextAsync("Gemeld");
        Assert.True(
            await telefoon.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"),
            "no sideways scroll"
        );
        await BrowserFixture.AssertAccessibleAsync(telefoon);
        await items.Nth(1).Locator("a").TapAsync();
        await telefoon.WaitForURLAsync($"**/melding/{eerste.Volgcode}");
        // The one expected console line is the deliberate bad address's 400 (the page with the Dutch message).
        Assert.Contains("status of 400", Assert.Single(problemen), StringComparison.Ordinal);

        // Without JavaScript the form works the same (a plain POST and redirect).
        var zonderJs = BrowserFixture.Phone390;
        zonderJs.JavaScriptEnabled = false;
        var (kaal, problemenKaal) = await fixture.OpenAsync(zonderJs);
        await kaal.GotoAsync(Url("/mijn-meldingen"));
        await kaal.Locator("#email").FillAsync("browser-mijn-geen@example.nl");
        await kaal.Locator("#mijn-versturen").ClickAsync();
        await Assertions.Expect(kaal.Locator("#bevestiging")).ToContainTextAsync("Als er meldingen met dit e-mailadres zijn");
        Assert.Empty(problemenKaal);
    }

    private async Task<string> WachtOpMailAsync(string aan)
    {
        for (var i = 0; i < 100; i++)
        {
            var mail = fixture.Smtp.Messages.FirstOrDefault(m =>
                m.To.ToString().Contains(aan, StringComparison.Ordinal) && m.Subject == "Uw link naar Mijn meldingen"
            );
            if (mail is not null)
            {
                return mail.TextBody ?? "";
            }
            await Task.Delay(200);
        }
        throw new Xunit.Sdk.XunitException($"no Mijn meldingen e-mail to {aan} within 20 s");
    }
}
