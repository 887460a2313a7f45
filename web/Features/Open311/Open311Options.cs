using System.ComponentModel.DataAnnotations;

namespace Wijkmeldingen.Web.Features.Open311;

/// <summary>Settings under <c>Open311</c>.</summary>
public sealed class Open311Options
{
    public const string Section = "Open311";

    /// <summary>Our jurisdiction_id; requests naming another are answered 404. Empty: the municipality
    /// profile's (Gemeente:Open311JurisdictionId, else its domain).</summary>
    [Required(ErrorMessage = "Open311:JurisdictionId must not be empty.")]
    public string JurisdictionId { get; set; } = "";

    /// <summary>Discovery's contact; empty: made from the profile's name and phone number.</summary>
    public string Contact { get; set; } = "";

    /// <summary>Discovery's key_service; empty: made from the profile's name.</summary>
    public string KeyService { get; set; } = "";

    /// <summary>POST requests per API key per minute.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "Open311:PerSleutelPerMinuut must be between {1} and {2}.")]
    public int PerSleutelPerMinuut { get; set; } = 60;

    /// <summary>Requests (any method) per client IP address per minute.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "Open311:PerClientPerMinuut must be between {1} and {2}.")]
    public int PerClientPerMinuut { get; set; } = 300;
}
