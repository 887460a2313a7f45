using System.Text.Json;
using Microsoft.Playwright;
using Wijkmeldingen.Testing;

namespace Wijkmeldingen.BrowserTests.Features.Melden;

/// <summary>The screen-reader pass of filing on a phone (issue 21), kept as a test: Chromium's own
/// accessibility tree (what VoiceOver and TalkBack are given) read over the DevTools protocol while
/// the report is filed with the keyboard only at 390 × 844. Every control has a name, a refused
/// submit moves the focus to an announced error summary and marks each field invalid with its error
/// as its description, the address search is a combobox with named options, the chosen place and the
/// category are announced, and the thank-you page names the tracking code.</summary>
[Collection(BrowserGroup.Name)]
public sealed class MeldenSchermlezerBrowserTests(BrowserFixture fixture)
{
    private static readonly HashSet<string> Bedieningen =
    [
        "button",
        "link",
        "textbox",
        "searchbox",
        "combobox",
        "radio",
        "checkbox",
        "listbox",
        "option",
        "menuitem",
        "spinbutton",
        "slider",
        "switch",
        "tab",
    ];

    private sealed record AxKnoop(string Rol, string Naam, string Beschrijving, IReadOnlyDictionary<string, string> Eigenschappen)
    {
        public string Eigenschap(string naam) => Eigenschappen.GetValueOrDefault(naam, "");
    }

    private static string Waarde(JsonElement knoop, string veld) =>
        knoop.TryGetProperty(veld, out var v) && v.TryGetProperty("value", out var w) ? w.ToString() : "";

    private static AxKnoop Lees(JsonElement knoop) =>
        new(
            Waarde(knoop, "role"),
            Waarde(knoop, "name"),
            Waarde(knoop, "description"),
            knoop.TryGetProperty("properties", out var eigenschappen)
                ? eigenschappen
                    .EnumerateArray()
                    .ToDictionary(
                        p => p.GetProperty("name").GetString()!,
                        p => p.GetProperty("value").TryGetProperty("value", out var w) ? w.ToString().ToLowerInvariant() : ""
                    )
                : new Dictionary<string, string>()
        );

    /// <summary>The nodes a screen reader is given (ignored ones left out).</summary>
    private static async Task<List<AxKnoop>> BoomAsync(ICDPSession cdp)
    {
        var antwoord = (await cdp.SendAsync("Accessibility.getFullAXTree"))!.Value;
        return antwoord
            .GetProperty("nodes")
            .EnumerateArray()
            .Where(n => !(n.TryGetProperty("ignored", out var i) && i.GetBoolean()))
            .Select(Lees)
            .ToList();
    }

    /// <summary>The accessibility node of the element <paramref name="selector"/> finds.</summary>
    private static async Task<AxKnoop> KnoopAsync(ICDPSession cdp, string selector)
    {
        var document = (await cdp.SendAsync("DOM.getDocument", new() { ["depth"] = 0 }))!.Value;
        var wortel = document.GetProperty("root").GetProperty("nodeId").GetInt32();
        var gevonden = (await cdp.SendAsync("DOM.querySelector", new() { ["nodeId"] = wortel, ["selector"] = selector }))!.Value;
        var nodeId = gevonden.GetProperty("nodeId").GetInt32();
        Assert.True(nodeId != 0, $"no element {selector}");
        var deel = (
            await cdp.SendAsync("Accessibility.getPartialAXTree", new() { ["nodeId"] = nodeId, ["fetchRelatives"] = false })
        )!.Value;
        return Lees(deel.GetProperty("nodes")[0]);
    }

    private static void ElkeBedieningHeeftEenNaam(List<AxKnoop> boom, string waar)
    {
        var naamloos = boom.Where(k => Bedieningen.Contains(k.Rol) && string.IsNullOrWhiteSpace(k.Naam)).Select(k => k.Rol).ToList();
        Assert.True(naamloos.Count == 0, $"{waar}: controls without a name: {string.Join(", ", naamloos)}");
    }

    [Fact]
    public async Task Filing_by_keyboard_on_a_phone_is_named_and_announced_step_by_step()
    {
        var (page, problems) = await fixture.OpenAsync(BrowserFixture.Phone390);
        await page.GotoAsync(new Uri(fixture.BaseAddress, "/melden").ToString());
        await Assertions.Expect(page.Locator("#meldformulier")).ToHaveAttributeAsync("data-klaar", "true");
        var cdp = await page.Context.NewCDPSessionAsync(page);
        await cdp.SendAsync("Accessibility.enable");

        // 1. The empty form: one level-1 heading, the landmarks, and a name on every control.
        var boom = await BoomAsync(cdp);
        ElkeBedieningHeeftEenNaam(boom, "/melden");
        Assert.Single(boom, k => k.Rol == "heading" && k.Eigenschap("level") == "1");
        Assert.Contains(boom, k => k.Rol == "main");
        Assert.Contains(boom, k => k.Rol == "banner");
        Assert.Contains(boom, k => k.Rol == "contentinfo");
        // The categories are one named group (a fieldset with its legend), so a screen reader says what is chosen.
        var groep = await KnoopAsync(cdp, "fieldset:has(input[name='Invoer.Rubriek'])");
        Assert.True(groep.Rol is "group" or "radiogroup", $"the category group is a {groep.Rol}");
        Assert.False(string.IsNullOrWhiteSpace(groep.Naam), "the category group has no name");

        // 2. Sent empty with the keyboard: the focus lands on the error summary (an alert), and every
        // field in it is marked invalid with its own error as its description.
        await BrowserFixture.TabNaarAsync(page, "#versturen");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#foutoverzicht")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#foutoverzicht")).ToBeFocusedAsync();
        cdp = await page.Context.NewCDPSessionAsync(page);
        Assert.Equal("alert", (await KnoopAsync(cdp, "#foutoverzicht")).Rol);
        var omschrijving = await KnoopAsync(cdp, "#omschrijving");
        Assert.Equal("textbox", omschrijving.Rol);
        Assert.Equal("true", omschrijving.Eigenschap("invalid"));
        var fout = (await page.Locator("#fout-Omschrijving").InnerTextAsync()).Trim();
        Assert.Contains(fout, omschrijving.Beschrijving, StringComparison.Ordinal);
        var links = await page.Locator("#foutoverzicht a[href^='#']").AllAsync();
        Assert.NotEmpty(links);
        ElkeBedieningHeeftEenNaam(await BoomAsync(cdp), "/melden after a refused submit");

        // 3. The place by address search: a combobox whose options have names; the choice is announced.
        await BrowserFixture.TabNaarAsync(page, "#adres-zoek");
        var buurt = TestGemeente.ZoekBuurt;
        await page.Keyboard.TypeAsync(buurt.Zoek);
        await Assertions.Expect(page.Locator("#adres-suggesties [role=option]").First).ToContainTextAsync(buurt.Naam);
        var zoek = await KnoopAsync(cdp, "#adres-zoek");
        Assert.Equal("combobox", zoek.Rol);
        Assert.False(string.IsNullOrWhiteSpace(zoek.Naam));
        Assert.Equal("true", zoek.Eigenschap("expanded"));
        var optie = await KnoopAsync(cdp, "#adres-suggesties [role=option]");
        Assert.Equal("option", optie.Rol);
        Assert.Contains(buurt.Naam, optie.Naam, StringComparison.Ordinal);
        await page.Keyboard.PressAsync("ArrowDown");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#plek-gekozen")).ToContainTextAsync(buurt.Naam);
        Assert.Equal("status", (await KnoopAsync(cdp, "#plek-gekozen")).Rol);

        // 4. The category: a named radio in a group, checked with the arrow keys.
        await BrowserFixture.TabNaarAsync(page, "input[name='Invoer.Rubriek']");
        await page.Keyboard.PressAsync("ArrowDown");
        var gekozen = await KnoopAsync(cdp, "input[name='Invoer.Rubriek']:checked");
        Assert.Equal("radio", gekozen.Rol);
        Assert.Equal("true", gekozen.Eigenschap("checked"));
        Assert.False(string.IsNullOrWhiteSpace(gekozen.Naam));

        // 5. The description, then send: the thank-you page names the tracking code under its heading.
        await BrowserFixture.TabNaarAsync(page, "#omschrijving");
        await page.Keyboard.TypeAsync("Elke vrijdagavond een groep met scooters en harde muziek bij het bruggetje.");
        await BrowserFixture.TabNaarAsync(page, "#versturen");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync("**/melden/bedankt/**");
        var code = (await page.Locator("#volgcode").InnerTextAsync()).Trim();
        cdp = await page.Context.NewCDPSessionAsync(page);
        var bedankt = await BoomAsync(cdp);
        ElkeBedieningHeeftEenNaam(bedankt, "/melden/bedankt");
        Assert.Single(bedankt, k => k.Rol == "heading" && k.Eigenschap("level") == "1");
        Assert.Contains(bedankt, k => k.Rol == "StaticText" && k.Naam.Contains(code, StringComparison.Ordinal));
        await BrowserFixture.AssertAccessibleAsync(page);

        // The one console line is the refused submit's 400.
        Assert.Contains("status of 400", Assert.Single(problems), StringComparison.Ordinal);
    }
}
