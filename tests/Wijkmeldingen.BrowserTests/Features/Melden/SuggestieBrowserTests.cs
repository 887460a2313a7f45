using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Wijkmeldingen.Web.Features.Melden;

namespace Wijkmeldingen.BrowserTests.Features.Melden;

/// <summary>The category suggestion while typing, on a phone (390×844) with axe: a model trained on
/// the labelled set is stored as the training round stores it, the page suggests the category of a
/// clear description, one tap chooses it, and a vague text gets no suggestion.</summary>
[Collection(BrowserGroup.Name)]
public sealed class SuggestieBrowserTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Typing_a_clear_description_suggests_its_category_and_one_tap_chooses_it_on_a_phone()
    {
        // The model as the round would store it, without adding handled reports that other browser tests would see.
        var rijen = ClassifierEval.LeesCsv(Path.Combine(AppContext.BaseDirectory, ClassifierEval.StandaardCsv));
        var (ml, model, schema) = RubriekModel.Train(rijen);
        await using (var dataSource = fixture.Database.CreateDataSource())
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync(
                "INSERT INTO rubriek_model (aantal, rubrieken, tot, model) VALUES (@aantal, 9, now(), @bytes)",
                new { aantal = rijen.Count, bytes = RubriekModel.NaarBytes(ml, model, schema) }
            );
        }
        await fixture.Services.GetRequiredService<RubriekSuggesties>().LaadAsync(CancellationToken.None);

        var (telefoon, problemen) = await fixture.OpenAsync(BrowserFixture.Phone390);
        await telefoon.GotoAsync(new Uri(fixture.BaseAddress, "/melden").ToString());
        var suggestie = telefoon.Locator("#suggestie");
        await telefoon.Locator("#omschrijving").FillAsync("Graag wil ik iets doorgeven, kunt u contact opnemen?");
        await telefoon.WaitForTimeoutAsync(1500);
        await Assertions.Expect(suggestie).ToBeHiddenAsync();

        await telefoon.Locator("#omschrijving").FillAsync("Auto's racen elke avond veel te hard door onze straat, zeker 70 waar 30 mag.");
        await Assertions.Expect(suggestie).ToBeVisibleAsync();
        await Assertions
            .Expect(telefoon.Locator("#suggestie-naam"))
            .ToHaveTextAsync(
                new System.Text.RegularExpressions.Regex("hard rijden", System.Text.RegularExpressions.RegexOptions.IgnoreCase)
            );
        await BrowserFixture.AssertAccessibleAsync(telefoon);

        await telefoon.Locator("#suggestie-kiezen").TapAsync();
        await Assertions.Expect(telefoon.Locator("input[name='Invoer.Rubriek'][value='te-hard-rijden']")).ToBeCheckedAsync();
        await Assertions.Expect(suggestie).ToBeHiddenAsync();
        await Assertions.Expect(telefoon.Locator("input[name='Invoer.Rubriek'][value='te-hard-rijden']")).ToBeFocusedAsync();
        await BrowserFixture.AssertAccessibleAsync(telefoon);
        Assert.Empty(problemen);
    }
}
