using System.ComponentModel.DataAnnotations;

namespace Wijkmeldingen.Web.Domein;

/// <summary>Settings under <c>Melden</c>.</summary>
public sealed class MeldenOptions
{
    public const string Section = "Melden";

    /// <summary>Open reports of the same category within this distance are offered as possible duplicates (FixMyStreet: 250 m).</summary>
    [Range(1, 10000, ErrorMessage = "Melden:DubbelStraalMeters must be between {1} and {2}.")]
    public int DubbelStraalMeters { get; set; } = 250;

    /// <summary>How many possible duplicates to show at most (FixMyStreet: 5).</summary>
    [Range(0, 50, ErrorMessage = "Melden:DubbelMaxAantal must be between {1} and {2}.")]
    public int DubbelMaxAantal { get; set; } = 5;

    /// <summary>Reports one client (IP address) may file per window; more are refused with a Dutch message.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "Melden:RateLimietAantal must be between {1} and {2}.")]
    public int RateLimietAantal { get; set; } = 10;

    [Range(1, 10080, ErrorMessage = "Melden:RateLimietVensterMinuten must be between {1} and {2}.")]
    public int RateLimietVensterMinuten { get; set; } = 60;

    [Range(1, 1000, ErrorMessage = "Melden:OmschrijvingMinLengte must be between {1} and {2}.")]
    public int OmschrijvingMinLengte { get; set; } = 10;

    [Range(10, 100000, ErrorMessage = "Melden:OmschrijvingMaxLengte must be between {1} and {2}.")]
    public int OmschrijvingMaxLengte { get; set; } = 2000;
}
