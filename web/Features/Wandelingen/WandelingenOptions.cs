namespace Wijkmeldingen.Web.Features.Wandelingen;

/// <summary>Settings under <c>Wandelingen</c>.</summary>
public sealed class WandelingenOptions
{
    public const string Section = "Wandelingen";

    /// <summary>Days after a walk that its participants' names and e-mail addresses are deleted.</summary>
    public int BewaarDeelnemersDagen { get; set; } = 30;

    /// <summary>How long before the start the reminder goes out.</summary>
    public int HerinneringUrenVooraf { get; set; } = 24;

    /// <summary>Most people one sign-up may bring (themselves included).</summary>
    public int MaxPersonenPerAanmelding { get; set; } = 4;

    /// <summary>Hours a sign-up waits for its confirmation link to be used before it expires.</summary>
    public int BevestigenUren { get; set; } = 24;
}
