namespace Wijkmeldingen.Web.Features.Beheer.Accounts;

/// <summary>A staff account (table <c>medewerker</c>). The e-mail address is the user name.</summary>
public sealed class Medewerker
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public string Email { get; set; } = "";
    public string EmailGenormaliseerd { get; set; } = "";
    public string Naam { get; set; } = "";
    public string? WachtwoordHash { get; set; }
    public string SecurityStamp { get; set; } = "";
    public string ConcurrencyStamp { get; set; } = Guid.NewGuid().ToString();
    public bool EmailBevestigd { get; set; }
    public bool LockoutIngeschakeld { get; set; } = true;
    public DateTime? LockoutTot { get; set; }
    public int MisluktePogingen { get; set; }
    public bool TweestapsActief { get; set; }
    public string? AuthenticatorSleutel { get; set; }
    public short? TeamId { get; set; }

    /// <summary>False once a beheerder deactivated the account: sign-in is refused.</summary>
    public bool Actief { get; set; } = true;
}

/// <summary>A role (table <c>rol</c>); its code is also its name in claims and policies.</summary>
public sealed class Rol
{
    public string Code { get; set; } = "";
    public string CodeGenormaliseerd { get; set; } = "";
    public string Naam { get; set; } = "";
    public string? ConcurrencyStamp { get; set; }
}
