using System.Globalization;
using System.Text.RegularExpressions;

namespace Wijkmeldingen.Web.Domein;

/// <summary>
/// One hotspot cell of a period as the staff hotspot map shows it, written as a short text so that it
/// can travel in a link and be typed into a form: the layer (<c>gi</c>: Gi* hotspot, <c>ongewoon</c>:
/// unusual for this place), the grid size, the cell, the months and the map's filter, for example
/// <c>gi/100/12,-3/2025-01/2025-12/rubriek=jeugdoverlast</c>. The staff hotspot map writes it
/// (Features.Wijkbeeld), a measure reads it (Features.Maatregelen); this is their shared rule.
/// </summary>
public sealed partial record HotspotVerwijzing(
    string Laag,
    int Celgrootte,
    int I,
    int J,
    DateTime Van,
    DateTime Tot,
    string? Thema = null,
    string? Rubriek = null,
    bool? Gesloten = null
)
{
    public static readonly string[] Lagen = ["gi", "ongewoon"];

    public Periode Periode => new("vrij", Van, Tot);

    /// <summary>The staff map's filter that this cell was a hotspot under (every category counted).</summary>
    public HotspotFilter Filter => new(Celgrootte, Periode, Publiek: false, Thema, Rubriek, Gesloten);

    public static HotspotVerwijzing Voor(string laag, HotspotFilter filter, int i, int j)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return new(laag, filter.Celgrootte, i, j, filter.Periode.Van, filter.Periode.Tot, filter.Thema, filter.Rubriek, filter.Gesloten);
    }

    public string Tekst
    {
        get
        {
            var c = CultureInfo.InvariantCulture;
            var tekst =
                $"{Laag}/{Celgrootte.ToString(c)}/{I.ToString(c)},{J.ToString(c)}/"
                + $"{Van.ToString("yyyy-MM", c)}/{Tot.ToString("yyyy-MM", c)}";
            if (Thema is { } thema)
            {
                tekst += "/thema=" + thema;
            }
            if (Rubriek is { } rubriek)
            {
                tekst += "/rubriek=" + rubriek;
            }
            if (Gesloten is { } gesloten)
            {
                tekst += gesloten ? "/status=gesloten" : "/status=open";
            }
            return tekst;
        }
    }

    /// <summary>Reads the text form; null when it is not one (unknown layer, bad numbers, months out of
    /// order or more than <see cref="Periode.MaxMaanden"/> of them, unknown filter part).</summary>
    public static HotspotVerwijzing? Lees(string? tekst)
    {
        var m = Patroon().Match(tekst?.Trim() ?? "");
        if (!m.Success)
        {
            return null;
        }
        var c = CultureInfo.InvariantCulture;
        if (
            !int.TryParse(m.Groups["cel"].Value, NumberStyles.None, c, out var cel)
            || !int.TryParse(m.Groups["i"].Value, NumberStyles.AllowLeadingSign, c, out var i)
            || !int.TryParse(m.Groups["j"].Value, NumberStyles.AllowLeadingSign, c, out var j)
            || !DateTime.TryParseExact(m.Groups["van"].Value, "yyyy-MM", c, DateTimeStyles.None, out var van)
            || !DateTime.TryParseExact(m.Groups["tot"].Value, "yyyy-MM", c, DateTimeStyles.None, out var tot)
            || tot < van
            || van.Year < 2000
            || tot.Year > 2100
        )
        {
            return null;
        }
        string? thema = null;
        string? rubriek = null;
        bool? gesloten = null;
        foreach (Capture deel in m.Groups["filter"].Captures)
        {
            var (naam, waarde) = (
                deel.Value[..deel.Value.IndexOf('=', StringComparison.Ordinal)],
                deel.Value[(deel.Value.IndexOf('=') + 1)..]
            );
            switch (naam)
            {
                case "thema" when thema is null:
                    thema = waarde;
                    break;
                case "rubriek" when rubriek is null:
                    rubriek = waarde;
                    break;
                case "status" when gesloten is null && waarde is "open" or "gesloten":
                    gesloten = waarde == "gesloten";
                    break;
                default:
                    return null;
            }
        }
        var verwijzing = new HotspotVerwijzing(m.Groups["laag"].Value, cel, i, j, van, tot, thema, rubriek, gesloten);
        return verwijzing.Periode.Maanden <= Periode.MaxMaanden ? verwijzing : null;
    }

    [GeneratedRegex(
        @"^(?<laag>gi|ongewoon)/(?<cel>[0-9]{2,4})/(?<i>-?[0-9]{1,6}),(?<j>-?[0-9]{1,6})/"
            + @"(?<van>[0-9]{4}-[0-9]{2})/(?<tot>[0-9]{4}-[0-9]{2})"
            + @"(?:/(?<filter>(?:thema|rubriek|status)=[a-z0-9_-]{1,50}))*$"
    )]
    private static partial Regex Patroon();
}
