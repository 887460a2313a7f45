using System.Net;
using System.Text.RegularExpressions;
using Wijkmeldingen.Testing;

namespace Wijkmeldingen.Tests.Hosting;

/// <summary>The NL Design System look (issue 21) leaves the pages' markup alone: only the layout's body
/// (.utrecht-theme) and main (.utrecht-html) carry a Utrecht class, and the look comes in one stylesheet
/// (nlds.css) after site.css, which imports Utrecht's two files from this origin.</summary>
public sealed partial class NldsOpmaakTests : AppTest
{
    [GeneratedRegex("class=\"[^\"]*utrecht-[^\"]*\"")]
    private static partial Regex UtrechtKlasse();

    [GeneratedRegex("<link rel=\"stylesheet\" href=\"(/[^\"]+)\"")]
    private static partial Regex Stijlblad();

    [Theory]
    [InlineData("/")]
    [InlineData("/melden")]
    [InlineData("/kaart")]
    [InlineData("/wijken")]
    [InlineData("/privacy")]
    [InlineData("/toegankelijkheid")]
    public async Task Only_body_and_main_carry_a_Utrecht_class(string pad)
    {
        var html = await App.CreateClient().GetStringAsync(pad);

        Assert.Equal(["class=\"utrecht-theme\"", "class=\"inhoud utrecht-html\""], UtrechtKlasse().Matches(html).Select(m => m.Value));
        Assert.Contains("<html lang=\"nl\">", html);
        Assert.Contains("\" class=\"utrecht-theme\">", html);
        Assert.Contains("<main id=\"inhoud\" class=\"inhoud utrecht-html\" tabindex=\"-1\">", html);
        var bladen = Stijlblad().Matches(html).Select(m => m.Groups[1].Value).ToList();
        var site = bladen.FindIndex(b => b.StartsWith("/css/site.", StringComparison.Ordinal));
        Assert.True(site >= 1, string.Join(", ", bladen));
        Assert.StartsWith("/css/nlds.", bladen[site + 1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_look_imports_Utrechts_files_from_this_origin_into_layers()
    {
        var client = App.CreateClient();
        var nlds = await client.GetStringAsync("/css/nlds.css");

        Assert.Contains("@layer nlds-tokens, nlds-html;", nlds, StringComparison.Ordinal);
        foreach (
            var (bestand, laag, regel) in new[]
            {
                ("/lib/utrecht/design-tokens/theme.css", "nlds-tokens", ".utrecht-theme {"),
                ("/lib/utrecht/component-library-css/html.css", "nlds-html", ".utrecht-html h1 {"),
            }
        )
        {
            Assert.Contains($"@import url(\"..{bestand}?v=", nlds, StringComparison.Ordinal);
            Assert.Matches($@"@import url\(""\.\.{Regex.Escape(bestand)}\?v=[0-9.]+""\) layer\({laag}\);", nlds);
            using var antwoord = await client.GetAsync(bestand);
            Assert.Equal(HttpStatusCode.OK, antwoord.StatusCode);
            Assert.Equal("text/css", antwoord.Content.Headers.ContentType?.MediaType);
            Assert.Contains(regel, await antwoord.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }
}
