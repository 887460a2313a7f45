namespace Wijkmeldingen.Web.Features.Open311;

/// <summary>Settings under <c>Open311</c>.</summary>
public sealed class Open311Options
{
    public const string Section = "Open311";

    /// <summary>Our jurisdiction_id; requests naming another are answered 404.</summary>
    public string JurisdictionId { get; set; } = "heemstede.nl";

    public string Contact { get; set; } = "Gemeente Heemstede, Wijkmeldingen, telefoon 14 023";

    public string KeyService { get; set; } = "Vraag een API-sleutel aan bij de beheerder van Wijkmeldingen (gemeente Heemstede).";

    /// <summary>POST requests per API key per minute.</summary>
    public int PerSleutelPerMinuut { get; set; } = 60;

    /// <summary>Requests (any method) per client IP address per minute.</summary>
    public int PerClientPerMinuut { get; set; } = 300;
}
