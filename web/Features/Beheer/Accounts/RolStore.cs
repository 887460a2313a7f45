using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Wijkmeldingen.Web.Features.Beheer.Accounts;

/// <summary>Identity's role store on Dapper over table <c>rol</c>. The roles are seeded by the
/// migration; the store can add more, but the policies only know the three of <see cref="Domein.Rollen"/>.</summary>
public sealed class RolStore(NpgsqlDataSource dataSource) : IRoleStore<Rol>
{
    public void Dispose()
    {
        // The data source is a singleton; nothing to release per store.
    }

    public async Task<IdentityResult> CreateAsync(Rol role, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(role);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.ExecuteAsync(
            new CommandDefinition(
                """
                INSERT INTO rol (code, code_genormaliseerd, naam, concurrency_stamp)
                    VALUES (@Code, @CodeGenormaliseerd, @Naam, @ConcurrencyStamp)
                ON CONFLICT DO NOTHING
                """,
                role,
                cancellationToken: cancellationToken
            )
        );
        return rows == 1 ? IdentityResult.Success : IdentityResult.Failed(new IdentityErrorDescriber().DuplicateRoleName(role.Code));
    }

    public async Task<IdentityResult> UpdateAsync(Rol role, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(role);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(
            new CommandDefinition(
                """
                UPDATE rol SET code_genormaliseerd = @CodeGenormaliseerd, naam = @Naam, concurrency_stamp = @ConcurrencyStamp
                    WHERE code = @Code
                """,
                role,
                cancellationToken: cancellationToken
            )
        );
        return IdentityResult.Success;
    }

    public async Task<IdentityResult> DeleteAsync(Rol role, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(role);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(
            new CommandDefinition("DELETE FROM rol WHERE code = @Code", role, cancellationToken: cancellationToken)
        );
        return IdentityResult.Success;
    }

    public Task<string> GetRoleIdAsync(Rol role, CancellationToken cancellationToken) => Task.FromResult(Niet(role).Code);

    public Task<string?> GetRoleNameAsync(Rol role, CancellationToken cancellationToken) => Task.FromResult<string?>(Niet(role).Code);

    public Task SetRoleNameAsync(Rol role, string? roleName, CancellationToken cancellationToken)
    {
        Niet(role).Code = roleName ?? "";
        return Task.CompletedTask;
    }

    public Task<string?> GetNormalizedRoleNameAsync(Rol role, CancellationToken cancellationToken) =>
        Task.FromResult<string?>(Niet(role).CodeGenormaliseerd);

    public Task SetNormalizedRoleNameAsync(Rol role, string? normalizedName, CancellationToken cancellationToken)
    {
        Niet(role).CodeGenormaliseerd = normalizedName ?? "";
        return Task.CompletedTask;
    }

    public Task<Rol?> FindByIdAsync(string roleId, CancellationToken cancellationToken) =>
        Zoek("code = @waarde", roleId, cancellationToken);

    public Task<Rol?> FindByNameAsync(string normalizedRoleName, CancellationToken cancellationToken) =>
        Zoek("code_genormaliseerd = @waarde", normalizedRoleName, cancellationToken);

    private async Task<Rol?> Zoek(string waar, string waarde, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<Rol>(
            new CommandDefinition(
                $"SELECT code, code_genormaliseerd, naam, concurrency_stamp FROM rol WHERE {waar}",
                new { waarde },
                cancellationToken: cancellationToken
            )
        );
    }

    private static Rol Niet(Rol? role) => role ?? throw new ArgumentNullException(nameof(role));
}

/// <summary>Adds the staff member's display name to the sign-in cookie, for history rows and the menu.</summary>
public sealed class MedewerkerClaimsFactory(
    UserManager<Medewerker> userManager,
    RoleManager<Rol> roleManager,
    IOptions<IdentityOptions> options
) : UserClaimsPrincipalFactory<Medewerker, Rol>(userManager, roleManager, options)
{
    public const string NaamClaim = Domein.Toegang.NaamClaim;

    /// <summary>Present ("aan") when the account has two-step sign-in on; the claims are rebuilt on
    /// every request (the security stamp check), so switching it on or a reset shows at once.</summary>
    public const string TweestapsClaim = "wijk:tweestaps";

    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(Medewerker user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(NaamClaim, user.Naam));
        if (user.TweestapsActief)
        {
            identity.AddClaim(new Claim(TweestapsClaim, "aan"));
        }
        return identity;
    }
}
