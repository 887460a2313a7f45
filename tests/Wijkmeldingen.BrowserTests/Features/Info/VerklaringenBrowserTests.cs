using Microsoft.Playwright;
using Wijkmeldingen.Testing;

namespace Wijkmeldingen.BrowserTests.Features.Info;

/// <summary>The privacy and accessibility statements (issue 21) pass axe for both profiles (the demo
/// profile and the synthetic Voorbeeldstad, each on its own server), in Dutch and English,
/// on a phone and a desktop.</summary>
[Collection(BrowserGroup.Name)]
public sealed class VerklaringenBrowserTests(BrowserFixture fixture)
{
    private static readonly string[] Paginas = ["/privacy", "/toegankelijkheid", "/privacy?culture=en", "/toegankelijkheid?culture=en"];

    private async Task AllemaalToegankelijkAsync(Uri basis, string gemeente)
    {
        foreach (var opties in new[] { BrowserFixture.Phone, BrowserFixture.Desktop })
        {
            await using var context = await fixture.Browser.NewContextAsync(opties);
            var page = await context.NewPageAsync();
            var problems = new List<string>();
            page.Console += (_, message) =>
            {
                if (message.Type == "error")
                {
                    problems.Add("console error: " + message.Text);
                }
            };
            page.PageError += (_, error) => problems.Add("script error: " + error);
            foreach (var pad in Paginas)
            {
                await page.GotoAsync(new Uri(basis, pad).ToString());
                await Assertions.Expect(page.Locator("h1")).ToBeVisibleAsync();
                await Assertions.Expect(page.Locator("main")).ToContainTextAsync(gemeente);
                await BrowserFixture.AssertAccessibleAsync(page);
            }
            Assert.Empty(problems);
        }
    }

    [Fact]
    public async Task Statements_of_the_demo_profile_pass_axe()
    {
        // On a server of its own: the fixture serves Voorbeeldstad's profile when the tests run with it only.
        await using var database = await TestDatabase.CreateAsync();
        await using var app = new WijkAppFactory(database.ConnectionString, TestGemeente.DemoProfiel());
        app.UseKestrel(0);
        app.StartServer();

        await AllemaalToegankelijkAsync(app.ClientOptions.BaseAddress, "Heemstede");
    }

    [Fact]
    public async Task Statements_of_the_second_municipality_pass_axe()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var app = new WijkAppFactory(database.ConnectionString, Voorbeeldstad.Instellingen());
        app.UseKestrel(0);
        app.StartServer();

        await AllemaalToegankelijkAsync(app.ClientOptions.BaseAddress, "Voorbeeldstad");
    }
}
