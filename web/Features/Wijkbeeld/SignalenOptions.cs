using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace Wijkmeldingen.Web.Features.Wijkbeeld;

/// <summary>A repeat-location rule: at least <see cref="Aantal"/> reports of a category (or theme)
/// within <see cref="StraalMeters"/> of one of them, filed in the last <see cref="Dagen"/> days.</summary>
public sealed class SignaalRegel
{
    /// <summary>Category code (rubriek.code); or leave empty and set <see cref="Thema"/>.</summary>
    public string? Rubriek { get; set; }
    public string? Thema { get; set; }
    public double StraalMeters { get; set; } = 100;
    public int Aantal { get; set; } = 3;
    public int Dagen { get; set; } = 30;

    /// <summary>Stable name stored with the alert, e.g. "drugsafval-100m-3x-30d".</summary>
    public string Naam =>
        string.Create(CultureInfo.InvariantCulture, $"{Rubriek ?? Thema ?? "alles"}-{StraalMeters:0}m-{Aantal}x-{Dagen}d");
}

/// <summary>An "unusual for this place" rule: a cell whose count this month is unusual against its own
/// history (<see cref="Domein.OngewoonEngine"/>) at Benjamini–Hochberg q ≤ <see cref="MaxQ"/>.</summary>
public sealed class OngewoonRegel
{
    /// <summary>All categories counted together.</summary>
    public const string Alle = "alle";

    /// <summary>Each category tested on its own (one test per category in the rubriek table).</summary>
    public const string Elke = "elke";

    /// <summary>A category code (rubriek.code), <see cref="Alle"/> or <see cref="Elke"/>.</summary>
    public string Rubriek { get; set; } = Alle;

    /// <summary>Threshold on the corrected p-value (the false discovery rate).</summary>
    [Range(0.000001, 0.5, ErrorMessage = "Wijkbeeld:Signalen:Ongewoon:MaxQ must be between {1} and {2}.")]
    public double MaxQ { get; set; } = 0.01;

    /// <summary>Fewest reports in the cell this month for it to be tested.</summary>
    [Range(1, 10000, ErrorMessage = "Wijkbeeld:Signalen:Ongewoon:Minimum must be between {1} and {2}.")]
    public int Minimum { get; set; } = 5;
}

/// <summary>Settings under <c>Wijkbeeld:Signalen</c>: the repeat-location alerts and the weekly
/// hotspot alert, checked by <see cref="WijkSignalen"/>.</summary>
public sealed class SignalenOptions
{
    public const string Section = "Wijkbeeld:Signalen";

    /// <summary>Run the background round in this process.</summary>
    public bool Aan { get; set; } = true;

    /// <summary>How often the round looks for new alerts.</summary>
    [Range(1, 10080, ErrorMessage = "Wijkbeeld:Signalen:RondeMinuten must be between {1} and {2}.")]
    public int RondeMinuten { get; set; } = 15;

    /// <summary>Wait this long after start-up before the first round (start-up is busy enough).</summary>
    [Range(0, 86400, ErrorMessage = "Wijkbeeld:Signalen:EersteRondeSeconden must be between {1} and {2}.")]
    public int EersteRondeSeconden { get; set; } = 60;

    /// <summary>The repeat rules (Wijkbeeld__Signalen__Regels__0__Rubriek=drugsafval, ...). When none
    /// is configured: 3 drugsafval reports within 100 m in 30 days.</summary>
    public List<SignaalRegel> Regels { get; set; } = [];

    /// <summary>Alert on a cell that is a 99 % Gi* hotspot over the last 7 days and was not over the
    /// 7 days before.</summary>
    public bool Hotspots { get; set; } = true;

    /// <summary>Grid of the weekly hotspot check; 0 = the finest of Wijkbeeld:Celgroottes.</summary>
    [Range(0, 5000, ErrorMessage = "Wijkbeeld:Signalen:HotspotCelgrootte must be between {1} and {2}.")]
    public int HotspotCelgrootte { get; set; }

    /// <summary>Fewest reports in the cell this week for a hotspot alert (a lone report in a quiet
    /// week can be "significant").</summary>
    [Range(1, 10000, ErrorMessage = "Wijkbeeld:Signalen:HotspotMinimum must be between {1} and {2}.")]
    public int HotspotMinimum { get; set; } = 3;

    /// <summary>Check the "unusual for this place" rules (on the grid of <see cref="HotspotCelgrootte"/>).</summary>
    public bool OngewoonAan { get; set; } = true;

    /// <summary>The "unusual for this place" rules (Wijkbeeld__Signalen__Ongewoon__0__Rubriek=drugsafval,
    /// ...). When none is configured: all categories together at q ≤ 0.01 with at least 5 reports.</summary>
    public List<OngewoonRegel> Ongewoon { get; set; } = [];

    public IReadOnlyList<OngewoonRegel> EffectieveOngewoon => Ongewoon.Count > 0 ? Ongewoon : [new OngewoonRegel()];

    public IReadOnlyList<SignaalRegel> EffectieveRegels =>
        Regels.Count > 0
            ? Regels
            :
            [
                new SignaalRegel
                {
                    Rubriek = "drugsafval",
                    StraalMeters = 100,
                    Aantal = 3,
                    Dagen = 30,
                },
            ];
}
