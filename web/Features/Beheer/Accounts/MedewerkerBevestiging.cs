using Microsoft.AspNetCore.Identity;

namespace Wijkmeldingen.Web.Features.Beheer.Accounts;

/// <summary>Identity asks this before every sign-in (password and authenticator code): only active
/// accounts may sign in. SignIn.RequireConfirmedAccount is on for this reason.</summary>
public sealed class MedewerkerBevestiging : IUserConfirmation<Medewerker>
{
    public Task<bool> IsConfirmedAsync(UserManager<Medewerker> manager, Medewerker user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return Task.FromResult(user.Actief);
    }
}
