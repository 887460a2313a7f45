using Dapper;
using Microsoft.Playwright;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.BrowserTests.Features.Hosting;

/// <summary>Scale-out: two portal instances (two Kestrel servers on two ports, one database) and one
/// Chromium session. Staff sign in on A; B knows the session (Data Protection keys are shared through
/// PostgreSQL) and accepts a form post carrying the antiforgery token A rendered.</summary>
[Collection(BrowserGroup.Name)]
public sealed class TweeInstantiesBrowserTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Signed_in_on_instance_a_the_browser_works_on_instance_b_with_a_token_from_a()
    {
        await using var dataSource = fixture.Database.CreateDataSource();
        await BeheerAccounts.MaakInDatabaseAsync(dataSource, "twee-instanties@heemstede.nl", "Tineke Twee", Rollen.Beheerder);
        await using var instantieB = new WijkAppFactory(fixture.Database.ConnectionString);
        instantieB.UseKestrel(0);
        instantieB.StartServer();
        var a = fixture.BaseAddress;
        var b = instantieB.ClientOptions.BaseAddress;
        Assert.NotEqual(a.Port, b.Port);

        await using var context = await fixture.Browser.NewContextAsync(BrowserFixture.Desktop);
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(a, "/beheer/inloggen").ToString());
        await page.Locator("#email").FillAsync("twee-instanties@heemstede.nl");
        await page.Locator("#wachtwoord").FillAsync(BeheerAccounts.Wachtwoord);
        await page.Locator("#inloggen").ClickAsync();
        await page.WaitForURLAsync(u => !u.Contains("/inloggen", StringComparison.Ordinal));

        // The same browser on B: no sign-in page, the beheerder's page.
        await page.GotoAsync(new Uri(b, "/beheer/medewerkers").ToString());
        Assert.StartsWith(new Uri(b, "/beheer/medewerkers").ToString(), page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("twee-instanties@heemstede.nl");

        // The invitation form as A renders it; its token is posted to B with the browser's cookies.
        await page.GotoAsync(new Uri(a, "/beheer/medewerkers").ToString());
        var token = await page.Locator("form[action*='Uitnodigen'] input[name='__RequestVerificationToken']").InputValueAsync();
        var formulier = context.APIRequest.CreateFormData();
        formulier.Set("__RequestVerificationToken", token);
        formulier.Set("Naam", "Bert Browser");
        formulier.Set("Email", "bert-browser@heemstede.nl");
        formulier.Set("Rollen", "organisator");
        var antwoord = await context.APIRequest.PostAsync(
            new Uri(b, "/beheer/medewerkers?handler=Uitnodigen").ToString(),
            new APIRequestContextOptions { Form = formulier, MaxRedirects = 0 }
        );
        Assert.Equal(302, antwoord.Status);

        // And the same post without the token is refused by B: the check is real.
        var zonderToken = context.APIRequest.CreateFormData();
        zonderToken.Set("Naam", "Zonder Token");
        zonderToken.Set("Email", "zonder-token@heemstede.nl");
        zonderToken.Set("Rollen", "organisator");
        var geweigerd = await context.APIRequest.PostAsync(
            new Uri(b, "/beheer/medewerkers?handler=Uitnodigen").ToString(),
            new APIRequestContextOptions { Form = zonderToken, MaxRedirects = 0 }
        );
        Assert.Equal(400, geweigerd.Status);

        await using var connection = await dataSource.OpenConnectionAsync();
        Assert.Equal(
            1,
            await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM medewerker WHERE email = 'bert-browser@heemstede.nl'")
        );
        Assert.Equal(
            0,
            await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM medewerker WHERE email = 'zonder-token@heemstede.nl'")
        );
    }
}
