using System.Globalization;

namespace Wijkmeldingen.Web.Domein;

/// <summary>
/// Whole calendar months [Van, Tot] (first days of the months, Europe/Amsterdam), the unit of the
/// rollups. A month, quarter, year or free month range; <see cref="Vorige"/> is the equally long
/// period right before it.
/// </summary>
public sealed record Periode(string Soort, DateTime Van, DateTime Tot)
{
    public static readonly string[] Soorten = ["maand", "kwartaal", "jaar", "vrij"];

    /// <summary>Longest free period, so a request cannot ask for centuries.</summary>
    public const int MaxMaanden = 60;

    public int Maanden => ((Tot.Year - Van.Year) * 12) + Tot.Month - Van.Month + 1;

    public Periode Vorige => new(Soort, Van.AddMonths(-Maanden), Van.AddMonths(-1));

    /// <summary>First moment after the period, as a local date.</summary>
    public DateTime Einde => Tot.AddMonths(1);

    public static DateTime MaandVan(DateTime dag) => new(dag.Year, dag.Month, 1, 0, 0, 0, DateTimeKind.Unspecified);

    /// <summary>The last complete quarter before <paramref name="vandaag"/>: a sensible default.</summary>
    public static Periode Standaard(DateTime vandaag)
    {
        var kwartaalStart = new DateTime(vandaag.Year, (((vandaag.Month - 1) / 3) * 3) + 1, 1, 0, 0, 0, DateTimeKind.Unspecified);
        var van = kwartaalStart.AddMonths(-3);
        return new Periode("kwartaal", van, van.AddMonths(2));
    }

    /// <summary>Reads the period form (soort + maand "2026-10" | kwartaal "2026-3" | jaar "2026" |
    /// van/tot "2026-01"); anything missing or malformed gives the default.</summary>
    public static Periode Lees(string? soort, string? maand, string? kwartaal, string? jaar, string? van, string? tot, DateTime vandaag)
    {
        var standaard = Standaard(vandaag);
        switch (soort)
        {
            case "maand" when LeesMaand(maand) is { } m:
                return new Periode("maand", m, m);
            case "kwartaal"
                when kwartaal is { Length: >= 6 }
                    && int.TryParse(kwartaal.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var kj)
                    && int.TryParse(kwartaal.AsSpan(kwartaal.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var k)
                    && k is >= 1 and <= 4
                    && kj is >= 2000 and <= 2100:
                var start = new DateTime(kj, ((k - 1) * 3) + 1, 1, 0, 0, 0, DateTimeKind.Unspecified);
                return new Periode("kwartaal", start, start.AddMonths(2));
            case "jaar" when int.TryParse(jaar, NumberStyles.None, CultureInfo.InvariantCulture, out var j) && j is >= 2000 and <= 2100:
                return new Periode(
                    "jaar",
                    new DateTime(j, 1, 1, 0, 0, 0, DateTimeKind.Unspecified),
                    new DateTime(j, 12, 1, 0, 0, 0, DateTimeKind.Unspecified)
                );
            case "vrij" when LeesMaand(van) is { } v && LeesMaand(tot) is { } t && t >= v:
                var periode = new Periode("vrij", v, t);
                return periode.Maanden <= MaxMaanden ? periode : new Periode("vrij", t.AddMonths(1 - MaxMaanden), t);
            default:
                return standaard;
        }
    }

    private static DateTime? LeesMaand(string? waarde) =>
        DateTime.TryParseExact(waarde, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
        && d.Year is >= 2000 and <= 2100
            ? MaandVan(d)
            : null;

    public string MaandWaarde => Van.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    public string TotWaarde => Tot.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    public string KwartaalWaarde => $"{Van.Year.ToString(CultureInfo.InvariantCulture)}-{((Van.Month - 1) / 3) + 1}";

    public string JaarWaarde => Van.Year.ToString(CultureInfo.InvariantCulture);

    /// <summary>The query string that selects this period.</summary>
    public string Query =>
        Soort switch
        {
            "maand" => $"soort=maand&maand={MaandWaarde}",
            "kwartaal" => $"soort=kwartaal&kwartaal={KwartaalWaarde}",
            "jaar" => $"soort=jaar&jaar={JaarWaarde}",
            _ => $"soort=vrij&van={MaandWaarde}&tot={TotWaarde}",
        };

    /// <summary>"oktober 2026", "juli – september 2026", "januari 2025 – maart 2026" in the current culture.</summary>
    public string Naam()
    {
        var cultuur = CultureInfo.CurrentCulture;
        if (Maanden == 1)
        {
            return Van.ToString("MMMM yyyy", cultuur);
        }
        if (Soort == "jaar" && Maanden == 12 && Van.Month == 1)
        {
            return Van.Year.ToString(cultuur);
        }
        return Van.Year == Tot.Year
            ? $"{Van.ToString("MMMM", cultuur)} – {Tot.ToString("MMMM yyyy", cultuur)}"
            : $"{Van.ToString("MMMM yyyy", cultuur)} – {Tot.ToString("MMMM yyyy", cultuur)}";
    }
}
