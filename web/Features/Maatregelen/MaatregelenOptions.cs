using System.ComponentModel.DataAnnotations;

namespace Wijkmeldingen.Web.Features.Maatregelen;

/// <summary>Settings of the measures. <see cref="Drempel"/> is read from the <c>Wijkbeeld</c> section,
/// so a measure's public figures are suppressed exactly like the rest of the wijk picture.</summary>
public sealed class MaatregelenOptions
{
    public const string Section = "Maatregelen";

    /// <summary><c>Wijkbeeld:Drempel</c>: public counts below it are shown as "&lt; 5".</summary>
    [Range(0, 1000)]
    public int Drempel { get; set; } = 5;

    /// <summary>Days a measure must have run before its before/after figure is shown.</summary>
    [Range(7, 365)]
    public int MinDagenVoorNa { get; set; } = 28;

    /// <summary>The longest period compared before and after the start, in days.</summary>
    [Range(7, 730)]
    public int MaxDagenVoorNa { get; set; } = 180;

    /// <summary><c>Wijkbeeld:PubliekeCelgrootte</c>: the public hotspot map's grid, to which a linked
    /// hotspot is coarsened in public.</summary>
    [Range(10, 5000)]
    public int PubliekeCelgrootte { get; set; } = 250;

    /// <summary>Metres around a point or a line that count as the measure's area.</summary>
    [Range(10, 1000)]
    public int BufferMeters { get; set; } = 150;
}
