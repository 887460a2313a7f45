using System.Security.Claims;

namespace Wijkmeldingen.Web.Domein;

/// <summary>Who may do what: the staff roles, the policies that every /beheer page and endpoint
/// names, and the acting staff member. The back office (Features/Beheer) signs people in and
/// registers the policies; every feature names them for its own staff pages.</summary>
public static class Toegang
{
    /// <summary>The claim that carries a staff member's display name.</summary>
    public const string NaamClaim = "wijk:naam";
}

/// <summary>The staff roles; the rol table holds the same codes.</summary>
public static class Rollen
{
    public const string Wijkprofessional = "wijkprofessional";
    public const string Organisator = "organisator";
    public const string Beheerder = "beheerder";

    public static readonly string[] Alle = [Wijkprofessional, Organisator, Beheerder];
}

/// <summary>Authorisation policies; every /beheer page and endpoint names one.</summary>
public static class BeheerPolicies
{
    /// <summary>Any staff member (the back office start page, signing out).</summary>
    public const string Medewerker = "beheer-medewerker";

    /// <summary>Triage of reports: wijkprofessionals, and beheerders who stand in for them.</summary>
    public const string Triage = "beheer-triage";

    /// <summary>Accounts, categories, settings.</summary>
    public const string Beheerder = "beheer-beheerder";

    /// <summary>Planning wijkwandelingen and their sign-ups: organisers, and beheerders.</summary>
    public const string Wandelingen = "beheer-wandelingen";
}

/// <summary>Who does something in the back office: the signed-in staff member.</summary>
public sealed record Actor(Guid Id, string Naam)
{
    public static Actor Van(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var id = user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("Not signed in.");
        return new Actor(Guid.Parse(id), user.FindFirstValue(Toegang.NaamClaim) ?? user.Identity?.Name ?? "medewerker");
    }
}
