namespace Wijkmeldingen.Web.Domein;

/// <summary>Settings under <c>Melden</c>.</summary>
public sealed class MeldenOptions
{
    public const string Section = "Melden";

    /// <summary>Open reports of the same category within this distance are offered as possible duplicates (FixMyStreet: 250 m).</summary>
    public int DubbelStraalMeters { get; set; } = 250;

    /// <summary>How many possible duplicates to show at most (FixMyStreet: 5).</summary>
    public int DubbelMaxAantal { get; set; } = 5;

    /// <summary>Reports one client (IP address) may file per window; more are refused with a Dutch message.</summary>
    public int RateLimietAantal { get; set; } = 10;

    public int RateLimietVensterMinuten { get; set; } = 60;

    public int OmschrijvingMinLengte { get; set; } = 10;

    public int OmschrijvingMaxLengte { get; set; } = 2000;
}
