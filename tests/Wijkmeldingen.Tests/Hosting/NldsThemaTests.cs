using System.Text.RegularExpressions;
using Wijkmeldingen.Web.Domein;
using Xunit.Abstractions;

namespace Wijkmeldingen.Tests.Hosting;

/// <summary>The NL Design System theme (issue 21, wwwroot/css/nlds.css) over Utrecht's base tokens and the
/// html-content component the portal ships (wwwroot/lib/utrecht, copied from npm by LibMan during the build):
/// no token the component reads may end in Utrecht's brand colours (its reds and blues) unless the theme
/// sets it or a token on its way, and the theme reads only colours the municipality profile gives.</summary>
public sealed partial class NldsThemaTests(ITestOutputHelper output)
{
    [GeneratedRegex(@"var\(\s*(--utrecht-[a-z0-9-]+)")]
    private static partial Regex VarVerwijzing();

    [GeneratedRegex(@"(--[a-z0-9-]+)\s*:\s*([^;]+);")]
    private static partial Regex Definitie();

    [GeneratedRegex(@"^--utrecht-color-(red|blue)-[0-9]+$")]
    private static partial Regex UtrechtsMerk();

    [GeneratedRegex(@"var\(\s*(--huisstijl-color-[a-z-]+)")]
    private static partial Regex HuisstijlVerwijzing();

    private static string Web()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Wijkmeldingen.sln")))
        {
            dir = dir.Parent;
        }
        return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("Wijkmeldingen.sln not found"), "web");
    }

    private static Dictionary<string, string> Definities(string css)
    {
        var zonderCommentaar = Regex.Replace(css, @"/\*.*?\*/", "", RegexOptions.Singleline);
        var uit = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match m in Definitie().Matches(zonderCommentaar))
        {
            uit[m.Groups[1].Value] = m.Groups[2].Value.Trim();
        }
        return uit;
    }

    /// <summary>The brand colours a token ends in when the theme does not intervene: Utrecht's palette
    /// entries (red and blue shades) reached through Utrecht's definitions, stopping wherever the theme
    /// sets a token on the way.</summary>
    private static List<string> Merkkleuren(
        string token,
        IReadOnlyDictionary<string, string> utrecht,
        IReadOnlyDictionary<string, string> thema,
        HashSet<string> bezocht
    )
    {
        if (thema.ContainsKey(token) || !bezocht.Add(token))
        {
            return [];
        }
        if (UtrechtsMerk().IsMatch(token))
        {
            return [token];
        }
        if (!utrecht.TryGetValue(token, out var waarde))
        {
            return [];
        }
        var uit = VarVerwijzing().Matches(waarde).SelectMany(m => Merkkleuren(m.Groups[1].Value, utrecht, thema, bezocht)).ToList();
        if (waarde.Contains("#d63433", StringComparison.OrdinalIgnoreCase))
        {
            uit.Add(token + " (#d63433)");
        }
        return uit;
    }

    private static (Dictionary<string, string> Utrecht, Dictionary<string, string> Thema, List<string> Componenten) Lees()
    {
        var web = Web();
        var lib = Path.Combine(web, "wwwroot", "lib", "utrecht");
        Assert.True(Directory.Exists(lib), $"{lib} is missing: LibMan copies it during the build of web/");
        var utrecht = Definities(File.ReadAllText(Path.Combine(lib, "design-tokens", "theme.css")));
        var thema = Definities(File.ReadAllText(Path.Combine(web, "wwwroot", "css", "nlds.css")));
        var componenten = new List<string> { File.ReadAllText(Path.Combine(lib, "component-library-css", "html.css")) };
        return (utrecht, thema, componenten);
    }

    [Fact]
    public void No_shipped_component_reads_a_token_that_ends_in_Utrechts_brand_colours()
    {
        var (utrecht, thema, componenten) = Lees();
        // The html-content component styles the plain elements the pages use.
        foreach (var regel in new[] { ".utrecht-html h1 {", ".utrecht-html td {", ".utrecht-html button {", ".utrecht-html select {" })
        {
            Assert.Contains(regel, componenten[0], StringComparison.Ordinal);
        }
        var gelezen = componenten
            .SelectMany(css => VarVerwijzing().Matches(css).Select(m => m.Groups[1].Value))
            .ToHashSet(StringComparer.Ordinal);
        output.WriteLine($"{gelezen.Count} tokens read by {componenten.Count} components; {thema.Count} set by the theme");

        var fout = gelezen
            .SelectMany(t => Merkkleuren(t, utrecht, thema, []).Select(k => $"{t} -> {k}"))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.True(fout.Count == 0, "tokens still in Utrecht's brand colours:\n" + string.Join('\n', fout));
    }

    [Fact]
    public void The_check_finds_a_brand_colour_when_the_theme_leaves_it_alone()
    {
        var (utrecht, thema, _) = Lees();
        var zonderPalet = thema
            .Where(t => !UtrechtsMerk().IsMatch(t.Key) && t.Key != "--utrecht-link-color")
            .ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);

        Assert.Empty(Merkkleuren("--utrecht-link-color", utrecht, thema, []));
        Assert.Equal(["--utrecht-color-blue-35"], Merkkleuren("--utrecht-link-color", utrecht, zonderPalet, []));
        Assert.Contains(
            "--utrecht-page-footer-background-image (#d63433)",
            Merkkleuren("--utrecht-page-footer-background-image", utrecht, new Dictionary<string, string>(), [])
        );
    }

    [Fact]
    public void The_theme_takes_its_colours_from_the_municipality_profile()
    {
        var css = File.ReadAllText(Path.Combine(Web(), "wwwroot", "css", "nlds.css"));
        var profiel = new HuisstijlProfiel().Tokens().Select(t => t.Naam).ToHashSet(StringComparer.Ordinal);
        var gebruikt = HuisstijlVerwijzing().Matches(css).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

        Assert.Contains("--huisstijl-color-primary", gebruikt);
        Assert.Contains("--huisstijl-color-primary-dark", gebruikt);
        Assert.Empty(gebruikt.Except(profiel));
    }
}
