using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OtpNet;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.BrowserTests.Features.Beheer;

/// <summary>Issue 19's staff tools in a real browser, on a desktop and on a phone, with axe on every
/// page: setting up two-step sign-in (QR code, key as text, recovery codes) and signing in with a
/// recovery code; forwarding a report to an outside party, their answer without an account, and the
/// answer on the report; the mails a report caused, and sending a failed one again.</summary>
[Collection(BrowserGroup.Name)]
public sealed partial class BalieBrowserTests(BrowserFixture fixture)
{
    private string Url(string pad) => new Uri(fixture.BaseAddress, pad).ToString();

    private static BrowserNewContextOptions Scherm(string scherm) =>
        scherm == "telefoon" ? BrowserFixture.Phone390 : BrowserFixture.Desktop;

    [Theory]
    [InlineData("desktop")]
    [InlineData("telefoon")]
    public async Task Two_step_set_up_with_a_QR_code_and_sign_in_with_a_recovery_code(string scherm)
    {
        var email = $"tweestaps-{scherm}@heemstede.nl";
        await using var dataSource = fixture.Database.CreateDataSource();
        await BeheerAccounts.MaakInDatabaseAsync(dataSource, email, $"Tessa Tweestaps {scherm}", Rollen.Wijkprofessional);
        var (page, problems) = await fixture.OpenAsync(Scherm(scherm));
        await InloggenAsync(page, email);

        await page.GotoAsync(Url("/beheer/tweestaps"));
        var qr = page.Locator("#tweestaps-qr");
        await Assertions.Expect(qr).ToBeVisibleAsync();
        Assert.True(await qr.EvaluateAsync<bool>("img => img.complete && img.naturalWidth > 100"));
        await BrowserFixture.AssertAccessibleAsync(page);
        var sleutel = (await page.Locator("#sleutel").InnerTextAsync()).Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        Assert.Contains($"secret={sleutel}", await page.Locator("#otpauth").InnerTextAsync(), StringComparison.Ordinal);

        // A wrong code first: a Dutch message, nothing switched on.
        await page.Locator("#code").FillAsync("000000" == Code(sleutel) ? "111111" : "000000");
        await page.Locator("#tweestaps-aanzetten").ClickAsync();
        await Assertions.Expect(page.Locator("#tweestapsfout")).ToBeVisibleAsync();
        await BrowserFixture.AssertAccessibleAsync(page);

        await page.Locator("#code").FillAsync(Code(sleutel));
        await page.Locator("#tweestaps-aanzetten").ClickAsync();
        await Assertions.Expect(page.Locator("#herstelcodes li")).ToHaveCountAsync(10);
        await Assertions.Expect(page.Locator("#tweestaps-status")).ToBeVisibleAsync();
        await BrowserFixture.AssertAccessibleAsync(page);
        var code = (await page.Locator("#herstelcodes li").Nth(3).InnerTextAsync()).Trim();

        // Shown once: a reload shows how many are left, not the codes.
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#herstelcodes")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#herstelcodes-over")).ToContainTextAsync("10");

        // Another device: password, then a recovery code instead of the app.
        var (tweede, problemen2) = await fixture.OpenAsync(Scherm(scherm));
        await tweede.GotoAsync(Url("/beheer/inloggen"));
        await tweede.Locator("#email").FillAsync(email);
        await tweede.Locator("#wachtwoord").FillAsync(BeheerAccounts.Wachtwoord);
        await tweede.Locator("#inloggen").ClickAsync();
        await tweede.WaitForURLAsync("**/beheer/inloggen/code*");
        await BrowserFixture.AssertAccessibleAsync(tweede);
        await tweede.Locator("#herstel summary").ClickAsync();
        await tweede.Locator("#herstelcode").FillAsync("AAAAA-BBBBB");
        await tweede.Locator("#herstel-inloggen").ClickAsync();
        await Assertions.Expect(tweede.Locator("#herstelfout")).ToBeVisibleAsync();
        await Assertions.Expect(tweede.Locator("#herstelcode")).ToHaveValueAsync("AAAAA-BBBBB");
        await BrowserFixture.AssertAccessibleAsync(tweede);
        await tweede.Locator("#herstelcode").FillAsync(code);
        await tweede.Locator("#herstel-inloggen").ClickAsync();
        await tweede.WaitForURLAsync(new Regex("/beheer$"));

        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#herstelcodes-over")).ToContainTextAsync("9");
        // Each page got one deliberate bad input, answered 400 with a Dutch message; nothing else went wrong.
        EenVerwachte400(problems);
        EenVerwachte400(problemen2);
    }

    [Theory]
    [InlineData("desktop")]
    [InlineData("telefoon")]
    public async Task Forward_to_an_outside_party_and_their_answer_lands_on_the_report(string scherm)
    {
        var email = $"doorsturen-{scherm}@heemstede.nl";
        var partij = $"corporatie-{scherm}@elan.example";
        await using var dataSource = fixture.Database.CreateDataSource();
        await BeheerAccounts.MaakInDatabaseAsync(dataSource, email, $"Dirk Doorsturen {scherm}", Rollen.Wijkprofessional);
        var melding = await Een.Melding(dataSource)
            .Rubriek("jeugdoverlast")
            .Met($"Portiekdeur flat 12 sluit niet ({scherm}).")
            .Email($"melder-{scherm}@example.nl")
            .OpgeslagenAsync();
        var (page, problems) = await fixture.OpenAsync(Scherm(scherm));
        await InloggenAsync(page, email);

        await page.GotoAsync(Url($"/beheer/meldingen/{melding.Id}"));
        await page.Locator("#doorsturen-partij").FillAsync("Woonstichting Elan");
        await page.Locator("#doorsturen-email").FillAsync("geen adres");
        await page.Locator("#doorsturen-bericht").FillAsync("Kunt u de deur laten maken?");
        // The browser's own check would stop the bad address; the server's message is what we test.
        await page.Locator("#doorsturen-formulier").EvaluateAsync("f => f.noValidate = true");
        await page.Locator("#doorsturen").ClickAsync();
        await Assertions.Expect(page.Locator("#fout-doorsturen")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#doorsturen-bericht")).ToHaveValueAsync("Kunt u de deur laten maken?");
        await BrowserFixture.AssertAccessibleAsync(page);

        await page.Locator("#doorsturen-email").FillAsync(partij);
        await page.Locator("#doorsturen").ClickAsync();
        await Assertions.Expect(page.Locator("#bevestiging")).ToContainTextAsync("doorgestuurd");
        await Assertions.Expect(page.Locator("#doorsturingen .label--wacht")).ToBeVisibleAsync();
        await BrowserFixture.AssertAccessibleAsync(page);

        var mail = await WachtOpMailAsync(partij);
        Assert.DoesNotContain($"melder-{scherm}@example.nl", mail.TextBody ?? "", StringComparison.Ordinal);
        var pad = LinkPattern().Match(mail.TextBody ?? "").Value;
        Assert.NotEmpty(pad);

        // The outside party: no account, no cookie of the back office.
        var (extern_, problemen2) = await fixture.OpenAsync(Scherm(scherm));
        await extern_.GotoAsync(Url(pad));
        await Assertions.Expect(extern_.Locator("#doorgestuurd-melding")).ToContainTextAsync("Portiekdeur flat 12");
        await Assertions.Expect(extern_.Locator("#doorgestuurd-bericht")).ToContainTextAsync("Kunt u de deur laten maken?");
        await BrowserFixture.AssertAccessibleAsync(extern_);
        await extern_.Locator("#naam").FillAsync("Els de Vries");
        await extern_.Locator("#doorgestuurd-formulier").EvaluateAsync("f => f.noValidate = true");
        await extern_.Locator("#doorgestuurd-versturen").ClickAsync();
        await Assertions.Expect(extern_.Locator("#fout-antwoord")).ToBeVisibleAsync();
        await Assertions.Expect(extern_.Locator("#naam")).ToHaveValueAsync("Els de Vries");
        await BrowserFixture.AssertAccessibleAsync(extern_);
        await extern_.Locator("#antwoord").FillAsync("De slotenmaker komt donderdag.");
        await extern_.Locator("#doorgestuurd-versturen").ClickAsync();
        await Assertions.Expect(extern_.Locator("#doorgestuurd-beantwoord")).ToBeVisibleAsync();
        await Assertions.Expect(extern_.Locator("#doorgestuurd-antwoord")).ToHaveTextAsync("De slotenmaker komt donderdag.");
        await BrowserFixture.AssertAccessibleAsync(extern_);

        // Back on the report: the answer is there and the report no longer waits.
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#notities")).ToContainTextAsync("De slotenmaker komt donderdag.");
        await Assertions.Expect(page.Locator("#notities")).ToContainTextAsync("Els de Vries, Woonstichting Elan (extern)");
        await Assertions.Expect(page.Locator("#doorsturingen .label--wacht")).ToHaveCountAsync(0);
        await BrowserFixture.AssertAccessibleAsync(page);
        // Each page got one deliberate bad input, answered 400 with a Dutch message; nothing else went wrong.
        EenVerwachte400(problems);
        EenVerwachte400(problemen2);
    }

    [Theory]
    [InlineData("desktop")]
    [InlineData("telefoon")]
    public async Task The_mails_of_a_report_and_send_again_for_a_failed_one(string scherm)
    {
        var email = $"mails-{scherm}@heemstede.nl";
        var melder = $"melder.mails-{scherm}@example.nl";
        await using var dataSource = fixture.Database.CreateDataSource();
        await BeheerAccounts.MaakInDatabaseAsync(dataSource, email, $"Mira Mails {scherm}", Rollen.Wijkprofessional);
        var melding = await Een.Melding(dataSource)
            .Rubriek("jeugdoverlast")
            .Met($"Bushokje vernield ({scherm}).")
            .Email(melder)
            .OpgeslagenAsync();
        long mislukt;
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            // A status mail the sender gave up on: a permanent refusal that quotes the address.
            mislukt = await Dapper.SqlMapper.QuerySingleAsync<long>(
                connection,
                """
                INSERT INTO mail_outbox (sleutel, aan, onderwerp, tekst, melding_id, pogingen, volgende_poging_op, laatste_fout)
                VALUES (@sleutel, @melder, @onderwerp, 'Uw melding is in behandeling.', @Id, 1, 'infinity',
                        'SMTP 550: <' || @melder || '>: Mailbox unavailable')
                RETURNING id
                """,
                new
                {
                    sleutel = $"melding-bericht:{melding.Id}:browser-{scherm}",
                    melder,
                    onderwerp = $"Uw melding {melding.Volgcode}",
                    melding.Id,
                }
            );
        }
        var (page, problems) = await fixture.OpenAsync(Scherm(scherm));
        await InloggenAsync(page, email);

        await page.GotoAsync(Url($"/beheer/meldingen/{melding.Id}"));
        var rij = page.Locator($"#mail-{mislukt}");
        await Assertions.Expect(rij).ToHaveAttributeAsync("data-staat", "mislukt");
        await Assertions.Expect(rij).ToContainTextAsync("Mislukt");
        await Assertions.Expect(rij).ToContainTextAsync("Mailbox unavailable");
        await Assertions.Expect(rij).ToContainTextAsync($"m…@example.nl");
        Assert.DoesNotContain(melder, await page.Locator("#mails").InnerTextAsync(), StringComparison.Ordinal);
        await rij.ScrollIntoViewIfNeededAsync();
        await Assertions.Expect(page.Locator($"#opnieuw-{mislukt}")).ToBeVisibleAsync();
        await BrowserFixture.AssertAccessibleAsync(page);

        await page.Locator($"#opnieuw-{mislukt}").ClickAsync();
        await Assertions.Expect(page.Locator("#bevestiging")).ToContainTextAsync("opnieuw in de wachtrij");
        await Assertions.Expect(page.Locator($"#opnieuw-{mislukt}")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#mails > li")).ToHaveCountAsync(2);
        await BrowserFixture.AssertAccessibleAsync(page);

        // The copy goes through the outbox to the SMTP server, and the list shows it sent.
        var mail = await WachtOpMailAsync(melder);
        Assert.Contains(melding.Volgcode, mail.Subject, StringComparison.Ordinal);
        for (var i = 0; i < 50 && await page.Locator("#mails > li[data-staat=verzonden]").CountAsync() == 0; i++)
        {
            await Task.Delay(200);
            await page.ReloadAsync();
        }
        await Assertions.Expect(page.Locator("#mails > li[data-staat=verzonden]")).ToContainTextAsync("opnieuw verstuurd");
        await Assertions.Expect(page.Locator($"#mail-{mislukt}")).ToHaveAttributeAsync("data-staat", "mislukt");
        await BrowserFixture.AssertAccessibleAsync(page);
        Assert.Empty(problems);
    }

    private async Task InloggenAsync(IPage page, string email)
    {
        await page.GotoAsync(Url("/beheer/inloggen"));
        await page.Locator("#email").FillAsync(email);
        await page.Locator("#wachtwoord").FillAsync(BeheerAccounts.Wachtwoord);
        await page.Locator("#inloggen").ClickAsync();
        await page.WaitForURLAsync(new Regex("/beheer$"));
    }

    private static string Code(string sleutel) => new Totp(Base32Encoding.ToBytes(sleutel)).ComputeTotp();

    private async Task<MimeKit.MimeMessage> WachtOpMailAsync(string aan)
    {
        for (var i = 0; i < 150; i++)
        {
            var mail = fixture.Smtp.Messages.FirstOrDefault(m => m.To.ToString().Contains(aan, StringComparison.Ordinal));
            if (mail is not null)
            {
                return mail;
            }
            await Task.Delay(200);
        }
        throw new Xunit.Sdk.XunitException($"no e-mail to {aan} within 30 s");
    }

    [GeneratedRegex(@"/doorgestuurd/[A-Za-z0-9_-]+")]
    private static partial Regex LinkPattern();

    private static void EenVerwachte400(IReadOnlyCollection<string> problemen) =>
        Assert.Contains("status of 400", Assert.Single(problemen), StringComparison.Ordinal);
}
