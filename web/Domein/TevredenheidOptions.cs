using System.ComponentModel.DataAnnotations;

namespace Wijkmeldingen.Web.Domein;

/// <summary>"Are you satisfied?" after a report is handled, under <c>Beheer</c> (where the setting has
/// always been): the melder's answer window.</summary>
public sealed class TevredenheidOptions
{
    public const string Section = "Beheer";

    /// <summary>Days after a report is handled in which the melder can say whether they are satisfied.</summary>
    [Range(1, 365, ErrorMessage = "Beheer:TevredenheidDagen must be between {1} and {2}.")]
    public int TevredenheidDagen { get; set; } = 14;
}
