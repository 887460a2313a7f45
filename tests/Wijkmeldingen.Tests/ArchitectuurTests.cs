using System.Reflection;
using System.Text.RegularExpressions;
using NetArchTest.Rules;
using Xunit.Abstractions;

namespace Wijkmeldingen.Tests;

/// <summary>
/// Keeps the arrows pointing down (docs/ARCHITECTURE.md): a feature never imports another feature;
/// the ground floor (Domein) imports no feature; the shared technical parts (Data, Geo, Mail, Fotos,
/// Hosting, Csv) import neither a feature nor the ground floor. The compiled Razor views are checked too:
/// they are named after their folder (Features_Kaart_Index), not their namespace.
/// Only the back-office shell's start page may show what features offer (Features/Beheer/Index and
/// its menu); it names them explicitly below.
/// </summary>
public sealed class ArchitectuurTests(ITestOutputHelper output)
{
    private const string Web = "Wijkmeldingen.Web";
    private static readonly Assembly Assembly = typeof(Program).Assembly;
    private static readonly string[] Gedeeld = ["Data", "Geo", "Mail", "Fotos", "Hosting", "Csv"];

    /// <summary>The features: every folder under Features/ with C# of its own, Shared excepted.</summary>
    public static IReadOnlyList<string> Features { get; } =
        Assembly
            .GetTypes()
            .Select(t => t.Namespace ?? "")
            .Select(ns => Regex.Match(ns, $@"^{Regex.Escape(Web)}\.Features\.(\w+)"))
            .Where(m => m.Success)
            .Select(m => m.Groups[1].Value)
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();

    public static TheoryData<string> FeatureNamen()
    {
        var data = new TheoryData<string>();
        foreach (var f in Features)
        {
            data.Add(f);
        }
        return data;
    }

    [Fact]
    public void The_expected_floors_exist()
    {
        Assert.Contains("Melden", Features);
        Assert.Contains("Wandelingen", Features);
        Assert.Contains("Wijkbeeld", Features);
        Assert.Contains("Beheer", Features);
        Assert.Contains(Assembly.GetTypes(), t => t.Namespace == $"{Web}.Domein");
        // The views are checked by their generated names; make sure that naming still holds.
        Assert.Contains(Assembly.GetTypes(), t => t.Name.StartsWith("Features_Kaart_", StringComparison.Ordinal));
        Assert.Contains(Assembly.GetTypes(), t => t.Name.StartsWith("Features_Wandelingen_Beheer_", StringComparison.Ordinal));
        foreach (var deel in Gedeeld)
        {
            Assert.Contains(Assembly.GetTypes(), t => t.Namespace == $"{Web}.{deel}");
        }
    }

    [Theory]
    [MemberData(nameof(FeatureNamen))]
    public void A_feature_imports_no_other_feature(string feature)
    {
        var anderen = Features.Where(f => f != feature).ToArray();
        var fouten = Overtredingen(() => InFeature(feature), anderen.Select(FeatureNamespace));
        fouten.AddRange(Overtredingen(() => ViewsVan(feature), anderen.Select(FeatureNamespace)));
        Assert.True(fouten.Count == 0, $"Features/{feature} imports another feature:\n" + string.Join('\n', fouten));
    }

    [Fact]
    public void The_ground_floor_imports_no_feature()
    {
        var fouten = Overtredingen(() => InNamespace($"{Web}.Domein"), Features.Select(FeatureNamespace));
        Assert.True(fouten.Count == 0, "Domein imports a feature:\n" + string.Join('\n', fouten));
    }

    [Theory]
    [InlineData("Data")]
    [InlineData("Geo")]
    [InlineData("Mail")]
    [InlineData("Fotos")]
    [InlineData("Hosting")]
    [InlineData("Csv")]
    public void A_shared_part_imports_no_feature_and_not_the_ground_floor(string deel)
    {
        var verboden = Features.Select(FeatureNamespace).Append($"{Web}.Domein");
        var fouten = Overtredingen(() => InNamespace($"{Web}.{deel}"), verboden);
        Assert.True(fouten.Count == 0, $"{deel} imports upwards:\n" + string.Join('\n', fouten));
    }

    /// <summary>The rule itself must be able to fail: a type that does import another feature is
    /// caught (the test data builder's own namespace is outside the app, so use an app type).</summary>
    [Fact]
    public void The_check_catches_an_import_of_another_feature()
    {
        // Features.Meldingen's page model uses Domein types; pretend Domein were a feature.
        var fouten = Overtredingen(() => InFeature("Meldingen"), [$"{Web}.Domein"]);
        Assert.NotEmpty(fouten);
        // And a prefix is not a match: Features.Melding is not Features.Meldingen.
        Assert.Empty(Overtredingen(() => InFeature("Melding"), [FeatureNamespace("Meldingen")]));
    }

    /// <summary>Long lines are hard to read in review and on a laptop: .editorconfig's
    /// max_line_length = 140 holds for every C# file of the app and the tests (views are HTML and
    /// follow the markup's own shape).</summary>
    [Fact]
    public void No_source_line_is_longer_than_140_characters()
    {
        var root = RepoRoot();
        var te_lang = new List<string>();
        foreach (var map in new[] { "web", "tests" })
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(root, map), "*.cs", SearchOption.AllDirectories))
            {
                var rel = Path.GetRelativePath(root, file);
                if (
                    rel.Contains("/obj/", StringComparison.Ordinal)
                    || rel.Contains("/bin/", StringComparison.Ordinal)
                    || rel.Contains("node_modules", StringComparison.Ordinal)
                    || rel.Contains("wwwroot/lib", StringComparison.Ordinal)
                )
                {
                    continue;
                }
                var nummer = 0;
                foreach (var regel in File.ReadLines(file))
                {
                    nummer++;
                    if (regel.Length > 140)
                    {
                        te_lang.Add($"{rel}:{nummer} ({regel.Length})");
                    }
                }
            }
        }
        output.WriteLine($"{te_lang.Count} lines over 140 characters");
        Assert.True(te_lang.Count == 0, "Lines over 140 characters:\n" + string.Join('\n', te_lang.Take(50)));
    }

    /// <summary>Issue 16: no municipality is written into the product. The web project's code, views,
    /// texts, scripts, styles, Open311 description and settings never name Heemstede or its CBS code
    /// 0397; those live only in its profile (web/Gemeenten/heemstede/). Third-party files (wwwroot/lib,
    /// node_modules) and build output are not ours and not read. Before the profile, 230 lines in 30 files did.</summary>
    [Fact]
    public void No_municipality_is_named_outside_its_profile()
    {
        var gevonden = GemeenteVermeldingen(Path.Combine(RepoRoot(), "web"));
        output.WriteLine($"{gevonden.Count} lines name Heemstede or 0397 outside web/Gemeenten/");
        Assert.True(gevonden.Count == 0, "Heemstede or 0397 outside the profile:\n" + string.Join('\n', gevonden.Take(50)));
    }

    [Fact]
    public void The_municipality_scan_finds_a_name_in_code_texts_scripts_and_styles_but_not_in_the_profile()
    {
        var web = Directory.CreateTempSubdirectory("wijk-scan-").FullName;
        try
        {
            void Schrijf(string pad, string tekst)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(web, pad))!);
                File.WriteAllText(Path.Combine(web, pad), tekst);
            }
            Schrijf("Features/X/Pagina.cs", "var s = \"Gemeente HEEMSTEDE\";");
            Schrijf("Features/X/Pagina.cshtml", "<p>ok</p>\n<p>heemstede</p>");
            Schrijf("Resources/Tekst.resx", "<value>WK039700</value>");
            Schrijf("wwwroot/js/kaart.js", "const code = '0397';");
            Schrijf("wwwroot/css/site.css", ":root { --heemstede-x: 1px; }");
            Schrijf("wwwroot/open311/openapi.json", "{\"title\": \"Heemstede\"}");
            Schrijf("appsettings.Production.json", "{\"Gemeente\": {\"Profiel\": \"heemstede\"}}");
            Schrijf("Gemeenten/heemstede/profiel.json", "{\"Naam\": \"Heemstede\", \"CbsCode\": \"GM0397\"}");
            Schrijf("wwwroot/lib/leaflet/leaflet.js", "// heemstede");
            Schrijf("obj/Release/x.cs", "// heemstede");
            Schrijf("Features/X/Schoon.cs", "var s = profiel.Naam;");

            var gevonden = GemeenteVermeldingen(web);

            Assert.Equal(
                [
                    "Features/X/Pagina.cs:1",
                    "Features/X/Pagina.cshtml:2",
                    "Resources/Tekst.resx:1",
                    "appsettings.Production.json:1",
                    "wwwroot/css/site.css:1",
                    "wwwroot/js/kaart.js:1",
                    "wwwroot/open311/openapi.json:1",
                ],
                gevonden.Select(g => g[..g.IndexOf(' ', StringComparison.Ordinal)]).Order(StringComparer.Ordinal)
            );
        }
        finally
        {
            Directory.Delete(web, recursive: true);
        }
    }

    /// <summary>"path:line text" for every line naming Heemstede or 0397 (any case) in the web project's
    /// C#, views, resources, scripts, styles, openapi.json and appsettings*.json, outside Gemeenten/.</summary>
    private static List<string> GemeenteVermeldingen(string web)
    {
        string[] eigen = [".cs", ".cshtml", ".resx", ".js", ".css"];
        var gevonden = new List<string>();
        foreach (var file in Directory.EnumerateFiles(web, "*", SearchOption.AllDirectories))
        {
            var rel = Path.GetRelativePath(web, file).Replace('\\', '/');
            var naam = Path.GetFileName(rel);
            var gelezen =
                eigen.Contains(Path.GetExtension(rel), StringComparer.OrdinalIgnoreCase)
                || naam.Equals("openapi.json", StringComparison.OrdinalIgnoreCase)
                || (naam.StartsWith("appsettings", StringComparison.OrdinalIgnoreCase) && naam.EndsWith(".json", StringComparison.Ordinal));
            string[] buiten = ["Gemeenten/", "bin/", "obj/", "node_modules/", "wwwroot/lib/"];
            if (!gelezen || buiten.Any(b => rel.StartsWith(b, StringComparison.Ordinal)))
            {
                continue;
            }
            var nummer = 0;
            foreach (var regel in File.ReadLines(file))
            {
                nummer++;
                if (regel.Contains("heemstede", StringComparison.OrdinalIgnoreCase) || regel.Contains("0397", StringComparison.Ordinal))
                {
                    gevonden.Add($"{rel}:{nummer} {regel.Trim()}");
                }
            }
        }
        return gevonden;
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Wijkmeldingen.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("Wijkmeldingen.sln not found above " + AppContext.BaseDirectory);
    }

    private static string FeatureNamespace(string feature) => $"{Web}.Features.{feature}";

    private static PredicateList InNamespace(string ns) =>
        Types.InAssembly(Assembly).That().ResideInNamespaceMatching($@"^{Regex.Escape(ns)}(\.|$)");

    private static PredicateList InFeature(string feature) => InNamespace(FeatureNamespace(feature));

    /// <summary>The compiled views of a feature's folder (Razor names them Features_Kaart_Index).
    /// The back office's start page and menu (the shell) may link to every feature's staff half.</summary>
    private static PredicateList ViewsVan(string feature) =>
        Types.InAssembly(Assembly).That().HaveNameMatching($@"^Features_{feature}_").And().DoNotHaveNameMatching("^Features_Beheer_Index$");

    /// <summary>Types of <paramref name="types"/> that use a type of any of the namespaces (exactly
    /// that namespace or below it, never a longer name that merely starts the same).</summary>
    private static List<string> Overtredingen(Func<PredicateList> types, IEnumerable<string> namespaces)
    {
        var fouten = new List<string>();
        foreach (var ns in namespaces)
        {
            var result = types().ShouldNot().HaveDependencyOnAny(ns + ".").GetResult();
            if (!result.IsSuccessful)
            {
                fouten.AddRange(result.FailingTypeNames.Select(t => $"  {t} -> {ns}"));
            }
            // Types directly in the namespace (no sub-namespace) are matched by their full names.
            var direct = Assembly.GetTypes().Where(t => t.Namespace == ns).Select(t => t.FullName!).ToArray();
            if (direct.Length > 0)
            {
                var directResult = types().ShouldNot().HaveDependencyOnAny(direct).GetResult();
                if (!directResult.IsSuccessful)
                {
                    fouten.AddRange(directResult.FailingTypeNames.Select(t => $"  {t} -> {ns}"));
                }
            }
        }
        return fouten.Distinct().ToList();
    }
}
