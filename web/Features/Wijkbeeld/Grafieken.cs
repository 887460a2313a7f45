using System.Globalization;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Wijkbeeld;

/// <summary>A horizontal bar chart: one label with this period's value and the previous one.
/// Null values (suppressed) get no bar and a "&lt; 5" note.</summary>
public sealed record StavenGrafiek(
    string Id,
    string Titel,
    string Eenheid,
    IReadOnlyList<(string Label, double? Waarde, double? Vorig)> Staven,
    string LabelNu,
    string LabelVorig,
    string Onderdrukt
);

/// <summary>A line of monthly values.</summary>
public sealed record LijnGrafiek(string Id, string Titel, IReadOnlyList<(DateTime Maand, double? Waarde)> Punten, string Onderdrukt);

/// <summary>A weekday x hour heat matrix.</summary>
public sealed record MatrixGrafiek(string Id, string Titel, WeekuurMatrix Matrix, IReadOnlyList<string> Dagen, string Onderdrukt);

public static class Opmaak
{
    public static string Getal(double waarde, int decimalen = 1) =>
        waarde.ToString("N" + decimalen.ToString(CultureInfo.InvariantCulture), CultureInfo.CurrentCulture);

    public static string Aantal(Aantal a, int drempel) =>
        a.Onderdrukt ? "< " + drempel.ToString(CultureInfo.CurrentCulture) : a.Waarde.ToString("N0", CultureInfo.CurrentCulture);

    public static string Procent(double? p, string leeg = "–") => p is { } v ? v.ToString("N0", CultureInfo.CurrentCulture) + " %" : leeg;

    public static string Verandering(double? p, string leeg = "–") =>
        p is { } v ? (v > 0 ? "+" : "") + v.ToString("N0", CultureInfo.CurrentCulture) + " %" : leeg;

    /// <summary>Coordinates for SVG attributes: always a decimal point.</summary>
    public static string Svg(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>Colour class 0–5 of a heat-matrix cell relative to the largest value.</summary>
    public static int Warmte(long waarde, long maximum) =>
        maximum <= 0 || waarde <= 0 ? 0 : Math.Clamp((int)Math.Ceiling(waarde * 5.0 / maximum), 1, 5);
}
