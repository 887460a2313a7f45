using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Localization;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Maatregelen;

/// <summary>The staff form of a measure, as typed: every field a string so that bad input is kept
/// and shown back with a Dutch message. The place is a list of "lat, lon" lines (WGS84) that the
/// map fills when JavaScript runs, and that staff can type without it.</summary>
public sealed partial class MaatregelInvoer
{
    public static readonly string[] Soorten = ["punt", "lijn", "vlak"];
    public static readonly string[] Statussen = ["gepland", "lopend", "afgerond"];
    public const int MaxMeldingen = 100;

    public string? Type { get; set; }
    public string? Titel { get; set; }
    public string? Omschrijving { get; set; }
    public string? Soort { get; set; } = "punt";
    public string? Punten { get; set; }
    public string? Status { get; set; } = "gepland";
    public string? StartDatum { get; set; }
    public string? EindDatum { get; set; }
    public string? Verantwoordelijke { get; set; }
    public string? Meldingen { get; set; }

    /// <summary>Hotspots, one reference a line as /beheer/hotspots shows it (<see cref="HotspotVerwijzing"/>).</summary>
    public string? Hotspots { get; set; }

    /// <summary>Findings of walks: tracking codes or numbers of reports filed from a walk.</summary>
    public string? Bevindingen { get; set; }

    /// <summary>Walks the measure came from, by number.</summary>
    public string? Wandelingen { get; set; }

    public const int MaxHotspots = 20;
    public const int MaxWandelingen = 20;

    /// <summary>The parsed points (lat, lon), after <see cref="Valideer"/>.</summary>
    public IReadOnlyList<(double Lat, double Lon)> Coordinaten { get; private set; } = [];

    public DateOnly Start { get; private set; }
    public DateOnly? Eind { get; private set; }

    /// <summary>Tracking codes (normalised) and ids of the linked reports, after <see cref="Valideer"/>.</summary>
    public IReadOnlyList<string> Volgcodes { get; private set; } = [];
    public IReadOnlyList<long> MeldingIds { get; private set; } = [];

    /// <summary>The findings' tracking codes and ids, the hotspots and the walks, after <see cref="Valideer"/>.</summary>
    public IReadOnlyList<string> BevindingCodes { get; private set; } = [];
    public IReadOnlyList<long> BevindingIds { get; private set; } = [];
    public IReadOnlyList<HotspotVerwijzing> HotspotVerwijzingen { get; private set; } = [];
    public IReadOnlyList<long> WandelingIds { get; private set; } = [];

    /// <summary>Checks what can be checked without the database; field name to Dutch message.</summary>
    public Dictionary<string, string> Valideer(IStringLocalizer<Tekst> t, IReadOnlyCollection<string> types)
    {
        ArgumentNullException.ThrowIfNull(t);
        ArgumentNullException.ThrowIfNull(types);
        var fouten = new Dictionary<string, string>();
        if (Type is null || !types.Contains(Type))
        {
            fouten[nameof(Type)] = t["maatregel.fout.type"];
        }
        Tekstveld(fouten, nameof(Titel), Titel, 200, t["maatregel.fout.titel"], t);
        Tekstveld(fouten, nameof(Omschrijving), Omschrijving, 5000, t["maatregel.fout.omschrijving"], t);
        Tekstveld(fouten, nameof(Verantwoordelijke), Verantwoordelijke, 200, t["maatregel.fout.verantwoordelijke"], t);
        if (Status is null || !Statussen.Contains(Status))
        {
            fouten[nameof(Status)] = t["maatregel.fout.status"];
        }
        if (!DateOnly.TryParseExact(StartDatum?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var start))
        {
            fouten[nameof(StartDatum)] = t["maatregel.fout.startdatum"];
        }
        Start = start;
        Eind = null;
        if (!string.IsNullOrWhiteSpace(EindDatum))
        {
            if (!DateOnly.TryParseExact(EindDatum.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var eind))
            {
                fouten[nameof(EindDatum)] = t["maatregel.fout.einddatum"];
            }
            else if (!fouten.ContainsKey(nameof(StartDatum)) && eind < start)
            {
                fouten[nameof(EindDatum)] = t["maatregel.fout.einddatum.voor"];
            }
            else
            {
                Eind = eind;
            }
        }
        else if (Status == "afgerond")
        {
            fouten[nameof(EindDatum)] = t["maatregel.fout.einddatum.afgerond"];
        }
        ValideerPlek(fouten, t);
        if (LeesMeldingen(Meldingen, fouten, nameof(Meldingen), t) is { } meldingen)
        {
            (Volgcodes, MeldingIds) = meldingen;
        }
        if (LeesMeldingen(Bevindingen, fouten, nameof(Bevindingen), t) is { } bevindingen)
        {
            (BevindingCodes, BevindingIds) = bevindingen;
        }
        ValideerHotspots(fouten, t);
        ValideerWandelingen(fouten, t);
        return fouten;
    }

    private static void Tekstveld(Dictionary<string, string> fouten, string veld, string? waarde, int max, string leeg, IStringLocalizer t)
    {
        if (string.IsNullOrWhiteSpace(waarde))
        {
            fouten[veld] = leeg;
        }
        else if (waarde.Trim().Length > max)
        {
            fouten[veld] = t["maatregel.fout.lang", max];
        }
    }

    private void ValideerPlek(Dictionary<string, string> fouten, IStringLocalizer t)
    {
        Coordinaten = [];
        if (Soort is null || !Soorten.Contains(Soort))
        {
            fouten[nameof(Punten)] = t["maatregel.fout.soort"];
            return;
        }
        var regels = (Punten ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var punten = new List<(double, double)>();
        for (var i = 0; i < regels.Length; i++)
        {
            var m = PuntRegel().Match(regels[i]);
            if (
                !m.Success
                || !double.TryParse(m.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var lat)
                || !double.TryParse(m.Groups[2].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var lon)
                || lat is < -90 or > 90
                || lon is < -180 or > 180
            )
            {
                fouten[nameof(Punten)] = t["maatregel.fout.punt", i + 1];
                return;
            }
            punten.Add((lat, lon));
        }
        var nodig = Soort switch
        {
            "punt" => 1,
            "lijn" => 2,
            _ => 3,
        };
        if (punten.Count < nodig || (Soort == "punt" && punten.Count > 1) || punten.Count > 500)
        {
            fouten[nameof(Punten)] = t[$"maatregel.fout.punten.{Soort}"];
            return;
        }
        Coordinaten = punten;
    }

    private static (List<string>, List<long>)? LeesMeldingen(
        string? waarde,
        Dictionary<string, string> fouten,
        string veld,
        IStringLocalizer t
    )
    {
        var codes = new List<string>();
        var ids = new List<long>();
        var delen = (waarde ?? "").Split([',', ';', ' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (delen.Length > MaxMeldingen)
        {
            fouten[veld] = t["maatregel.fout.meldingen.teveel", MaxMeldingen];
            return null;
        }
        foreach (var deel in delen)
        {
            if (long.TryParse(deel, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                ids.Add(id);
            }
            else if (Volgcode.Normaliseer(deel) is { } code)
            {
                codes.Add(code);
            }
            else
            {
                fouten[veld] = t["maatregel.fout.meldingen.onbekend", deel];
                return null;
            }
        }
        return (codes.Distinct().ToList(), ids.Distinct().ToList());
    }

    private void ValideerHotspots(Dictionary<string, string> fouten, IStringLocalizer t)
    {
        HotspotVerwijzingen = [];
        var regels = (Hotspots ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (regels.Length > MaxHotspots)
        {
            fouten[nameof(Hotspots)] = t["maatregel.fout.hotspots.teveel", MaxHotspots];
            return;
        }
        var lijst = new List<HotspotVerwijzing>();
        foreach (var regel in regels)
        {
            if (HotspotVerwijzing.Lees(regel) is not { } verwijzing)
            {
                fouten[nameof(Hotspots)] = t["maatregel.fout.hotspot.vorm", regel.Length > 80 ? regel[..80] + "…" : regel];
                return;
            }
            lijst.Add(verwijzing);
        }
        HotspotVerwijzingen = lijst.DistinctBy(h => h.Tekst).ToList();
    }

    private void ValideerWandelingen(Dictionary<string, string> fouten, IStringLocalizer t)
    {
        WandelingIds = [];
        var ids = new List<long>();
        var delen = (Wandelingen ?? "").Split([',', ';', ' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (delen.Length > MaxWandelingen)
        {
            fouten[nameof(Wandelingen)] = t["maatregel.fout.wandelingen.teveel", MaxWandelingen];
            return;
        }
        foreach (var deel in delen)
        {
            if (!long.TryParse(deel, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                fouten[nameof(Wandelingen)] = t["maatregel.fout.wandeling.vorm", deel.Length > 40 ? deel[..40] + "…" : deel];
                return;
            }
            ids.Add(id);
        }
        WandelingIds = ids.Distinct().ToList();
    }

    /// <summary>The place as WKT in WGS84 (lon lat order); an area's ring is closed here.</summary>
    public string Wkt()
    {
        static string P((double Lat, double Lon) p) => string.Create(CultureInfo.InvariantCulture, $"{p.Lon} {p.Lat}");
        return Soort switch
        {
            "punt" => $"POINT({P(Coordinaten[0])})",
            "lijn" => $"LINESTRING({string.Join(", ", Coordinaten.Select(P))})",
            _ => $"POLYGON(({string.Join(", ", Coordinaten.Append(Coordinaten[0]).Select(P))}))",
        };
    }

    [GeneratedRegex(@"^(-?[0-9]+(?:\.[0-9]+)?)\s*[,; ]\s*(-?[0-9]+(?:\.[0-9]+)?)$")]
    private static partial Regex PuntRegel();
}
