using System.Net;
using System.Text.RegularExpressions;
using Wijkmeldingen.Testing;

namespace Wijkmeldingen.Tests.Hosting;

/// <summary>The NL Design System look (issue 21) leaves the pages' markup alone: only the layout's body
/// (.utrecht-theme) and main (.utrecht-html) carry a Utrecht class; Utrecht's two files come from this
/// origin before site.css, the html-content one inside a cascade layer, and nlds.css right after site.css.</summary>
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
    public async Task The_look_links_Utrechts_tokens_and_its_html_content_in_a_layer_from_this_origin()
    {
        var client = App.CreateClient();
        var html = await client.GetStringAsync("/melden");
        var bladen = Stijlblad().Matches(html).Select(m => m.Groups[1].Value).ToList();

        var tokens = bladen.FindIndex(b => Regex.IsMatch(b, @"^/lib/utrecht/design-tokens/theme\.[a-z0-9]+\.css$"));
        var laag = bladen.FindIndex(b => Regex.IsMatch(b, @"^/lib/utrecht/component-library-css/html\.laag\.[a-z0-9]+\.css$"));
        var site = bladen.FindIndex(b => b.StartsWith("/css/site.", StringComparison.Ordinal));
        Assert.True(tokens >= 0 && laag >= 0 && tokens < site && laag < site, string.Join(", ", bladen));

        var themaCss = await client.GetStringAsync(bladen[tokens]);
        Assert.Contains(".utrecht-theme {", themaCss, StringComparison.Ordinal);
        using var antwoord = await client.GetAsync(bladen[laag]);
        Assert.Equal(HttpStatusCode.OK, antwoord.StatusCode);
        Assert.Equal("text/css", antwoord.Content.Headers.ContentType?.MediaType);
        var laagCss = await antwoord.Content.ReadAsStringAsync();
        // The whole of Utrecht's html-content stylesheet, inside the one layer.
        var begin = laagCss.IndexOf("@layer nlds-html {", StringComparison.Ordinal);
        Assert.InRange(begin, 1, 200);
        Assert.EndsWith("}\n", laagCss, StringComparison.Ordinal);
        Assert.True(laagCss.IndexOf(".utrecht-html h1 {", StringComparison.Ordinal) > begin);
        Assert.DoesNotContain("@charset", laagCss, StringComparison.Ordinal);
        Assert.DoesNotContain("@import", laagCss + await client.GetStringAsync("/css/nlds.css"), StringComparison.Ordinal);
    }
}
