using Microsoft.Playwright;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.BrowserTests.Features.Beheer;

/// <summary>A wijkprofessional at a desktop: signs in, filters the list, opens a report, replies
/// with a message; the melder's e-mail arrives and the tracking page shows the reply. axe-core
/// runs on every back-office page visited.</summary>
[Collection(BrowserGroup.Name)]
public sealed class BeheerBrowserTests(BrowserFixture fixture)
{
    private string Url(string pad) => new Uri(fixture.BaseAddress, pad).ToString();

    [Fact]
    public async Task Sign_in_filter_open_reply_and_the_melder_hears_about_it()
    {
        await using var dataSource = fixture.Database.CreateDataSource();
        await BeheerAccounts.MaakInDatabaseAsync(
            dataSource,
            "browser-wijkagent@heemstede.nl",
            "Bram Wijkagent",
            Rollen.Wijkprofessional,
            Rollen.Beheerder
        );
        var melding = await Een.Melding(dataSource)
            .Rubriek("jeugdoverlast")
            .Met("Brommers scheuren elke avond over het fietspad langs de vijver.")
            .Email("browser-melder@example.nl")
            .OpgeslagenAsync();
        await Een.Melding(dataSource).Met("Auto op de stoep.").Op(TestGemeente.Plek(52.3480, 4.6050)).OpgeslagenAsync();
        var (page, problems) = await fixture.OpenAsync(BrowserFixture.Desktop);

        // Anonymous: the list sends us to the sign-in page.
        await page.GotoAsync(Url("/beheer/meldingen"));
        await page.WaitForURLAsync("**/beheer/inloggen?terug=*");
        await BrowserFixture.AssertAccessibleAsync(page);
        await page.Locator("#email").FillAsync("browser-wijkagent@heemstede.nl");
        await page.Locator("#wachtwoord").FillAsync(BeheerAccounts.Wachtwoord);
        await page.Locator("#inloggen").ClickAsync();
        await page.WaitForURLAsync("**/beheer/meldingen");
        await Assertions.Expect(page.Locator("#beheerkaart")).ToHaveAttributeAsync("data-klaar", "true");
        await BrowserFixture.AssertAccessibleAsync(page);

        // Filter: category and a word from the text; list and map agree.
        await page.Locator("#f-rubriek").SelectOptionAsync("r:jeugdoverlast");
        await page.Locator("#f-q").FillAsync("fietspad");
        await page.Locator("#filteren").ClickAsync();
        await page.WaitForURLAsync("**/beheer/meldingen?*rubriek=r%3Ajeugdoverlast*");
        await Assertions.Expect(page.Locator("#meldingen tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#beheerkaart")).ToHaveAttributeAsync("data-aantal", "1");
        await BrowserFixture.AssertAccessibleAsync(page);

        // Open the report and reply with a message, starting from a template.
        await page.Locator($"#meldingen a:text('{melding.Volgcode}')").ClickAsync();
        await page.WaitForURLAsync($"**/beheer/meldingen/{melding.Id}");
        await Assertions.Expect(page.Locator("#omschrijving")).ToContainTextAsync("fietspad langs de vijver");
        await Assertions.Expect(page.Locator("#beheermeldingkaart")).ToHaveAttributeAsync("data-klaar", "true");
        await BrowserFixture.AssertAccessibleAsync(page);
        await page.Locator("#naar-status").SelectOptionAsync("in-behandeling");
        await page.Locator("#sjabloon").SelectOptionAsync(new SelectOptionValue { Label = "In behandeling genomen" });
        await Assertions
            .Expect(page.Locator("#bericht"))
            .ToHaveValueAsync(new System.Text.RegularExpressions.Regex("in behandeling genomen"));
        await page.Locator("#bericht").FillAsync("De handhavers controleren deze week 's avonds bij de vijver.");
        await page.Locator("#status-opslaan").ClickAsync();
        await Assertions.Expect(page.Locator("#bevestiging")).ToContainTextAsync("bijgewerkt");
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("In behandeling");
        await Assertions.Expect(page.Locator("#historie")).ToContainTextAsync("controleren deze week");
        await Assertions.Expect(page.Locator("#audit")).ToContainTextAsync("Bram Wijkagent");
        await BrowserFixture.AssertAccessibleAsync(page);

        // The other back-office pages pass axe too.
        Guid bram;
        int regel;
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            bram = await Dapper.SqlMapper.QuerySingleAsync<Guid>(
                connection,
                "SELECT id FROM medewerker WHERE email = 'browser-wijkagent@heemstede.nl'"
            );
            regel = await Dapper.SqlMapper.QuerySingleAsync<int>(connection, "SELECT min(id) FROM routeringsregel WHERE actief");
        }
        foreach (
            var pad in new[]
            {
                "/beheer",
                "/beheer/signalering",
                "/beheer/routering",
                $"/beheer/routering?bewerk={regel}",
                "/beheer/rubrieken",
                "/beheer/rubrieken/nieuw",
                "/beheer/rubrieken/1",
                "/beheer/medewerkers",
                $"/beheer/medewerkers/{bram}",
                "/beheer/sjablonen",
                "/beheer/sjablonen/nieuw",
                "/beheer/sjablonen/1",
                "/beheer/api-sleutels",
                "/beheer/tweestaps",
                "/beheer/uitloggen",
                $"/beheer/wachtwoord/{Guid.NewGuid()}?token=x",
            }
        )
        {
            var antwoord = await page.GotoAsync(Url(pad));
            Assert.Equal(200, antwoord?.Status);
            await BrowserFixture.AssertAccessibleAsync(page);
        }

        // Signing out from the menu ends the session.
        await page.GotoAsync(Url("/beheer"));
        await page.Locator(".beheermenu__uit button").ClickAsync();
        await page.WaitForURLAsync("**/beheer/inloggen");
        await page.GotoAsync(Url("/beheer/meldingen"));
        await page.WaitForURLAsync("**/beheer/inloggen?terug=*");

        // The melder's e-mail arrives (background sender) and the tracking page shows the reply.
        var mail = await WachtOpMailAsync("browser-melder@example.nl", melding.Volgcode);
        Assert.Contains("De handhavers controleren deze week 's avonds bij de vijver.", mail.TextBody);
        Assert.Contains($"/melding/{melding.Volgcode}", mail.TextBody);
        await page.GotoAsync(Url($"/melding/{melding.Volgcode}"));
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("In behandeling");
        await Assertions.Expect(page.Locator("#historie")).ToContainTextAsync("De handhavers controleren deze week");
        Assert.Empty(problems);
    }

    private async Task<MimeKit.MimeMessage> WachtOpMailAsync(string aan, string code)
    {
        for (var i = 0; i < 100; i++)
        {
            var mail = fixture.Smtp.Messages.FirstOrDefault(m =>
                m.To.ToString().Contains(aan, StringComparison.Ordinal)
                && (m.Subject ?? "").Contains(code, StringComparison.Ordinal)
                && (m.Subject ?? "").StartsWith("Nieuws", StringComparison.Ordinal)
            );
            if (mail is not null)
            {
                return mail;
            }
            await Task.Delay(200);
        }
        throw new Xunit.Sdk.XunitException($"no e-mail to {aan} about {code} within 20 s");
    }
}
