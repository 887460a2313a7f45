using Dapper;
using Microsoft.AspNetCore.Identity;
using Npgsql;
using Wijkmeldingen.Web.Data;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Beheer.Accounts;

/// <summary>
/// The back office's demo step (development only): one staff account per role with a known demo
/// password, so a newcomer can sign in at /beheer/inloggen right after <c>infra/wijk run</c>. The
/// accounts are made through Identity (the Dapper store and the framework's password hasher, with
/// the portal's password rules), marked is_demo, and use addresses under example.invalid that no mail
/// can reach. Two-step sign-in is optional per account in this portal (/beheer/tweestaps), so the
/// demo accounts have it off. Refused in the Production environment, also when called on its own.
/// </summary>
public static class BeheerDemo
{
    public const string Naam = "medewerkers";

    /// <summary>The demo password of every demo account (printed by infra/wijk run; never in Production).</summary>
    public const string Wachtwoord = "demo-wijkmeldingen";

    public sealed record Account(string Email, string Naam, string Rol);

    public static readonly IReadOnlyList<Account> Accounts =
    [
        new("demo-wijkprofessional@example.invalid", "Demo Wijkprofessional", Rollen.Wijkprofessional),
        new("demo-organisator@example.invalid", "Demo Organisator", Rollen.Organisator),
        new("demo-beheerder@example.invalid", "Demo Beheerder", Rollen.Beheerder),
    ];

    public static DemoStap Stap(IServiceProvider services) =>
        new(Naam, 10, (connection, transaction, cancellationToken) => VulAsync(services, connection, transaction, cancellationToken))
        {
            WissenAsync = (connection, transaction, cancellationToken) =>
                HerstelAsync(services, connection, transaction, cancellationToken),
            Aanwijzingen =
            [
                "Back office (demo accounts, development only): {url}/beheer/inloggen  password: " + Wachtwoord,
                .. Accounts.Select(a => $"  {a.Rol, -17} {a.Email}"),
                "  Two-step sign-in is optional per account (/beheer/tweestaps after signing in); the demo accounts have it off.",
            ],
        };

    /// <summary>Makes the demo accounts that do not exist yet; returns how many were made.</summary>
    public static async Task<int> VulAsync(
        IServiceProvider services,
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(connection);
        WeigerInProductie(services);
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<Medewerker>>();
        var gemaakt = 0;
        foreach (var account in Accounts)
        {
            // Identity's store works on its own connections (committed at once); the seeder's
            // transaction only marks the rows as demo afterwards.
            if (await users.FindByEmailAsync(account.Email) is not null)
            {
                continue;
            }
            var medewerker = new Medewerker { Naam = account.Naam, EmailBevestigd = true };
            await users.SetUserNameAsync(medewerker, account.Email);
            Controleer(await users.CreateAsync(medewerker, Wachtwoord));
            Controleer(await users.AddToRoleAsync(medewerker, account.Rol));
            gemaakt++;
        }
        await connection.ExecuteAsync(
            new CommandDefinition(
                "UPDATE medewerker SET is_demo = true WHERE email_genormaliseerd = ANY(@emails) AND NOT is_demo",
                new { emails = Accounts.Select(a => users.NormalizeEmail(a.Email)).ToArray() },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        return gemaakt;
    }

    /// <summary>For <c>seed --opnieuw</c>: the demo accounts stay (the audit trail names them) but get
    /// the demo password, their role, no lockout and no two-step sign-in again.</summary>
    public static async Task<int> HerstelAsync(
        IServiceProvider services,
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(connection);
        WeigerInProductie(services);
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<Medewerker>>();
        var hersteld = 0;
        foreach (var account in Accounts)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (await users.FindByEmailAsync(account.Email) is not { } medewerker)
            {
                continue;
            }
            medewerker.TweestapsActief = false;
            medewerker.AuthenticatorSleutel = null;
            Controleer(await users.RemovePasswordAsync(medewerker));
            Controleer(await users.AddPasswordAsync(medewerker, Wachtwoord));
            Controleer(await users.SetLockoutEndDateAsync(medewerker, null));
            Controleer(await users.ResetAccessFailedCountAsync(medewerker));
            if (!await users.IsInRoleAsync(medewerker, account.Rol))
            {
                Controleer(await users.AddToRoleAsync(medewerker, account.Rol));
            }
            hersteld++;
        }
        // The store does not write "actief" (deactivating is its own audited action): reactivate here.
        await connection.ExecuteAsync(
            new CommandDefinition(
                "UPDATE medewerker SET actief = true WHERE is_demo AND NOT actief",
                transaction: transaction,
                cancellationToken: cancellationToken
            )
        );
        return hersteld;
    }

    private static void WeigerInProductie(IServiceProvider services)
    {
        if (services.GetService<IHostEnvironment>()?.IsProduction() == true)
        {
            throw new DemoGeweigerdException("Demo staff accounts with a known password are never made in the Production environment.");
        }
    }

    private static void Controleer(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Demo account: " + string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }
}
