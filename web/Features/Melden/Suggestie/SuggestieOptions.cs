using System.ComponentModel.DataAnnotations;

namespace Wijkmeldingen.Web.Features.Melden;

/// <summary>Settings of the category suggestion on /melden (section <c>Suggestie</c>).</summary>
public sealed class SuggestieOptions
{
    public const string Section = "Suggestie";

    /// <summary>Off: no training round and no suggestions.</summary>
    public bool Aan { get; set; } = true;

    /// <summary>Below this probability nothing is suggested (chosen from classifier-eval: the share of
    /// wrong suggestions above it stays small while most clear texts still get one).</summary>
    [Range(0.0, 1.0)]
    public double Drempel { get; set; } = 0.35;

    /// <summary>Fewer handled reports than this (or fewer than two categories): no model.</summary>
    [Range(10, 1_000_000)]
    public int MinimumMeldingen { get; set; } = 50;

    /// <summary>The newest handled reports a round trains on (keeps the round's memory bounded).</summary>
    [Range(100, 1_000_000)]
    public int MaxMeldingen { get; set; } = 20_000;

    /// <summary>How often the round looks for newly handled reports.</summary>
    [Range(1, 10_080)]
    public int IntervalMinuten { get; set; } = 360;

    /// <summary>Shorter descriptions get no suggestion.</summary>
    [Range(1, 500)]
    public int MinimumTekens { get; set; } = 15;
}
