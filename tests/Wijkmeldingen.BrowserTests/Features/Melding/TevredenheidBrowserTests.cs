using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.BrowserTests.Features.Melding;

/// <summary>Staff close a report; the melder's mail has the one-click rating links; on a phone the
/// melder says "niet tevreden" with a reason; staff see the reopen request and reopen the report.
/// axe-core runs on every page on the way.</summary>
[Collection(BrowserGroup.Name)]
public sealed partial class TevredenheidBrowserTests(BrowserFixture fixture)
{
    private string Url(string pad) => new Uri(fixture.BaseAddress, pad).ToString();

    [GeneratedRegex(@"/melding/[A-Z0-9-]+/beoordelen\?t=[A-Za-z0-9_-]+&keuze=niet-tevreden")]
    private static partial Regex NietTevredenLink();

    [Fact]
    public async Task Close_rate_on_a_phone_and_reopen()
    {
        await using var dataSource = fixture.Database.CreateDataSource();
        await BeheerAccounts.MaakInDatabaseAsync(dataSource, "browser-tevreden@heemstede.nl", "Tess Triage", Rollen.Wijkprofessional);
        var melding = await Een.Melding(dataSource)
            .Met("Aanhanger staat al weken op de stoep bij de school.")
            .Email("browser-tevreden-melder@example.nl")
            .OpgeslagenAsync();
        var (staf, problemen) = await fixture.OpenAsync(BrowserFixture.Desktop);

        await staf.GotoAsync(Url($"/beheer/meldingen/{melding.Id}"));
        await staf.WaitForURLAsync("**/beheer/inloggen?terug=*");
        await staf.Locator("#email").FillAsync("browser-tevreden@heemstede.nl");
        await staf.Locator("#wachtwoord").FillAsync(BeheerAccounts.Wachtwoord);
        await staf.Locator("#inloggen").ClickAsync();
        await staf.WaitForURLAsync($"**/beheer/meldingen/{melding.Id}");
        await staf.Locator("#naar-status").SelectOptionAsync("afgehandeld");
        await staf.Locator("#bericht").FillAsync("De aanhanger is weggehaald.");
        await staf.Locator("#status-opslaan").ClickAsync();
        await Assertions.Expect(staf.Locator("#status")).ToHaveTextAsync("Afgehandeld");

        // The melder's mail carries the links; on a phone, "niet tevreden" opens with that choice made.
        var link = NietTevredenLink().Match(await WachtOpMailAsync("browser-tevreden-melder@example.nl", melding.Volgcode)).Value;
        Assert.NotEmpty(link);
        var (telefoon, problemenTelefoon) = await fixture.OpenAsync(BrowserFixture.Phone);
        // The mail's links use the configured public address; here the path goes to the test server.
        await telefoon.GotoAsync(Url(link));
        await Assertions.Expect(telefoon.Locator("#keuze-niet-tevreden")).ToBeCheckedAsync();
        await BrowserFixture.AssertAccessibleAsync(telefoon);
        await telefoon.Locator("#toelichting").FillAsync("Hij staat er nu een straat verderop.");
        await telefoon.Locator("#beoordeling-versturen").ClickAsync();
        await telefoon.WaitForURLAsync($"**/melding/{melding.Volgcode}");
        await Assertions.Expect(telefoon.Locator("#bevestiging")).ToContainTextAsync("Bedankt voor uw beoordeling");
        await BrowserFixture.AssertAccessibleAsync(telefoon);

        // Staff see the request, and reopen the report.
        await staf.GotoAsync(Url("/beheer/signalering"));
        await Assertions.Expect(staf.Locator("#heropenverzoeken")).ToContainTextAsync("straat verderop");
        await BrowserFixture.AssertAccessibleAsync(staf);
        await staf.Locator($"#heropenverzoeken a:text('{melding.Volgcode}')").ClickAsync();
        await Assertions.Expect(staf.Locator("#beoordelingen")).ToContainTextAsync("wacht op een medewerker");
        await BrowserFixture.AssertAccessibleAsync(staf);
        await staf.Locator("#beoordelingen button.knop--primair").ClickAsync();
        await Assertions.Expect(staf.Locator("#status")).ToHaveTextAsync("Heropend");
        await Assertions.Expect(staf.Locator("#beoordelingen")).ToContainTextAsync("geaccepteerd");
        Assert.Empty(problemen);
        Assert.Empty(problemenTelefoon);
    }

    private async Task<string> WachtOpMailAsync(string aan, string code)
    {
        for (var i = 0; i < 100; i++)
        {
            var mail = fixture.Smtp.Messages.FirstOrDefault(m =>
                m.To.ToString().Contains(aan, StringComparison.Ordinal)
                && (m.Subject ?? "").Contains(code, StringComparison.Ordinal)
                && (m.TextBody ?? "").Contains("beoordelen", StringComparison.Ordinal)
            );
            if (mail is not null)
            {
                return mail.TextBody ?? "";
            }
            await Task.Delay(200);
        }
        throw new Xunit.Sdk.XunitException($"no rating e-mail to {aan} about {code} within 20 s");
    }
}
