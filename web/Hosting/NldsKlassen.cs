using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc.TagHelpers;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Wijkmeldingen.Web.Hosting;

/// <summary>The NL Design System look without rewriting the pages: every view's plain HTML building
/// blocks get the class names of the Utrecht community components (<c>@utrecht/component-library-css</c>)
/// beside their own. Headings, paragraphs, links, tables, labels, fieldsets and form controls get them by
/// element; the portal's own classes (<c>knop</c>, <c>veld</c>, <c>hint</c>, <c>fout</c>, <c>melding</c> …)
/// get their component's classes by name. The existing class names and ids stay, so site.css and the
/// scripts keep working; the component CSS and the theme tokens do the rest (see wwwroot/css/nlds.css).
/// Markup that scripts build at run time is not touched.</summary>
[HtmlTargetElement("h1")]
[HtmlTargetElement("h2")]
[HtmlTargetElement("h3")]
[HtmlTargetElement("h4")]
[HtmlTargetElement("p")]
[HtmlTargetElement("a")]
[HtmlTargetElement("button")]
[HtmlTargetElement("input", TagStructure = TagStructure.WithoutEndTag)]
[HtmlTargetElement("select")]
[HtmlTargetElement("textarea")]
[HtmlTargetElement("label")]
[HtmlTargetElement("fieldset")]
[HtmlTargetElement("legend")]
[HtmlTargetElement("table")]
[HtmlTargetElement("caption")]
[HtmlTargetElement("thead")]
[HtmlTargetElement("tbody")]
[HtmlTargetElement("tfoot")]
[HtmlTargetElement("tr")]
[HtmlTargetElement("th")]
[HtmlTargetElement("td")]
[HtmlTargetElement("div", Attributes = "class")]
[HtmlTargetElement("section", Attributes = "class")]
[HtmlTargetElement("aside", Attributes = "class")]
[HtmlTargetElement("article", Attributes = "class")]
[HtmlTargetElement("span", Attributes = "class")]
public sealed class NldsKlassen : TagHelper
{
    /// <summary>The portal's own class names and the component classes that go beside them, on any element.</summary>
    private static readonly Dictionary<string, string[]> PerKlasse = new(StringComparer.Ordinal)
    {
        ["veld"] = ["utrecht-form-field"],
        ["hint"] = ["utrecht-form-field-description"],
        ["fout"] = ["utrecht-form-field-error-message"],
        ["melding"] = ["utrecht-alert"],
        ["melding--fout"] = ["utrecht-alert--error"],
        ["melding--succes"] = ["utrecht-alert--ok"],
        ["melding--info"] = ["utrecht-alert--info"],
        ["spoed"] = ["utrecht-alert", "utrecht-alert--warning"],
        ["advies"] = ["utrecht-alert", "utrecht-alert--info"],
        ["verhaal"] = ["utrecht-alert", "utrecht-alert--info"],
        ["knoppenrij"] = ["utrecht-button-group"],
        ["tabel-scroll"] = ["utrecht-table-container"],
        ["getal"] = ["utrecht-table__cell--numeric-column"],
        ["intro"] = ["utrecht-paragraph--lead"],
    };

    /// <summary>Links that are something else in the look: buttons, tiles, the header's own parts.</summary>
    private static readonly string[] GeenLink = ["knop", "tegel", "kop__logo", "kop__naar-menu", "skiplink"];

    private static readonly HashSet<string> Tekstvakken = new(StringComparer.OrdinalIgnoreCase)
    {
        "text",
        "email",
        "search",
        "tel",
        "url",
        "number",
        "password",
        "date",
        "month",
        "week",
        "time",
        "datetime-local",
    };

    /// <summary>After the framework's own tag helpers (they may set the class of a form control).</summary>
    public override int Order => 1000;

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        var eigen = Klassen(output);
        var erbij = new List<string>();
        foreach (var klasse in eigen)
        {
            if (PerKlasse.TryGetValue(klasse, out var componenten))
            {
                erbij.AddRange(componenten);
            }
        }
        erbij.AddRange(PerElement(output, eigen));
        // A table that scrolls sideways on a phone must be reachable with the keyboard (axe: scrollable-region-focusable).
        if (eigen.Contains("tabel-scroll") && !output.Attributes.ContainsName("tabindex"))
        {
            output.Attributes.SetAttribute("tabindex", "0");
        }
        foreach (var klasse in erbij.Distinct())
        {
            if (!eigen.Contains(klasse))
            {
                output.AddClass(klasse, HtmlEncoder.Default);
            }
        }
    }

    /// <summary>The component classes an element gets for what it is.</summary>
    internal static IEnumerable<string> PerElement(TagHelperOutput output, IReadOnlyCollection<string> eigen)
    {
        var knop = eigen.Contains("knop");
        switch (output.TagName.ToLowerInvariant())
        {
            case "h1" or "h2" or "h3" or "h4":
                return [$"utrecht-heading-{output.TagName[1]}"];
            case "p" when !eigen.Contains("fout") && !eigen.Contains("hint"):
                return ["utrecht-paragraph"];
            case "a" when knop:
            case "button" when knop:
                return Knop(eigen);
            case "a" when !GeenLink.Any(eigen.Contains) && !eigen.Any(k => k.StartsWith("kop__", StringComparison.Ordinal)):
                return ["utrecht-link", "utrecht-link--html-a"];
            case "input":
                return Invoer(output, eigen);
            case "select":
                return ["utrecht-select", "utrecht-select--html-select", .. Ongeldig(output, "utrecht-select--invalid")];
            case "textarea":
                return ["utrecht-textarea", "utrecht-textarea--html-textarea", .. Ongeldig(output, "utrecht-textarea--invalid")];
            case "label":
                return ["utrecht-form-label"];
            case "fieldset":
                return ["utrecht-form-fieldset", "utrecht-form-fieldset--html-fieldset"];
            case "legend":
                return ["utrecht-form-fieldset__legend", "utrecht-form-fieldset__legend--html-legend"];
            case "table":
                return ["utrecht-table", "utrecht-table--html-table"];
            case "caption":
                return ["utrecht-table__caption"];
            case "thead":
                return ["utrecht-table__header"];
            case "tbody":
                return ["utrecht-table__body"];
            case "tfoot":
                return ["utrecht-table__footer"];
            case "tr":
                return ["utrecht-table__row"];
            case "th":
                return ["utrecht-table__header-cell"];
            case "td":
                return ["utrecht-table__cell"];
            default:
                return [];
        }
    }

    private static string[] Knop(IReadOnlyCollection<string> eigen) =>
        eigen.Contains("knop--primair") ? ["utrecht-button", "utrecht-button--primary-action"]
        : eigen.Contains("knop--link") ? ["utrecht-button", "utrecht-button--subtle"]
        : ["utrecht-button", "utrecht-button--secondary-action"];

    private static string[] Invoer(TagHelperOutput output, IReadOnlyCollection<string> eigen)
    {
        var type = Waarde(output, "type") ?? "text";
        if (Tekstvakken.Contains(type))
        {
            return ["utrecht-textbox", "utrecht-textbox--html-input", .. Ongeldig(output, "utrecht-textbox--invalid")];
        }
        return type.ToLowerInvariant() switch
        {
            "checkbox" => ["utrecht-checkbox", "utrecht-checkbox--html-input"],
            "radio" => ["utrecht-radio-button", "utrecht-radio-button--html-input"],
            "submit" or "button" when eigen.Contains("knop") => Knop(eigen),
            _ => [],
        };
    }

    private static string[] Ongeldig(TagHelperOutput output, string klasse) => Waarde(output, "aria-invalid") == "true" ? [klasse] : [];

    /// <summary>The element's own class names, whether written literally or with Razor expressions.</summary>
    internal static HashSet<string> Klassen(TagHelperOutput output) =>
        (Waarde(output, "class") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();

    private static string? Waarde(TagHelperOutput output, string naam)
    {
        if (!output.Attributes.TryGetAttribute(naam, out var attribuut))
        {
            return null;
        }
        switch (attribuut.Value)
        {
            case null:
                return null;
            case string tekst:
                return tekst;
            case IHtmlContent html:
                using (var schrijver = new StringWriter())
                {
                    html.WriteTo(schrijver, HtmlEncoder.Default);
                    return System.Net.WebUtility.HtmlDecode(schrijver.ToString());
                }
            default:
                return attribuut.Value.ToString();
        }
    }
}
