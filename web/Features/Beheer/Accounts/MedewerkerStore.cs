using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.AspNetCore.Identity;
using Npgsql;

namespace Wijkmeldingen.Web.Features.Beheer.Accounts;

/// <summary>
/// ASP.NET Core Identity's user store on Dapper over table <c>medewerker</c>: passwords (hashed by
/// the framework), e-mail as user name, security stamp, lockout, roles and the authenticator key.
/// Setters change the object; <see cref="UpdateAsync"/> writes it back with an optimistic check on
/// the concurrency stamp, as Identity expects.
/// </summary>
public sealed class MedewerkerStore(NpgsqlDataSource dataSource)
    : IUserPasswordStore<Medewerker>,
        IUserEmailStore<Medewerker>,
        IUserSecurityStampStore<Medewerker>,
        IUserLockoutStore<Medewerker>,
        IUserRoleStore<Medewerker>,
        IUserTwoFactorStore<Medewerker>,
        IUserAuthenticatorKeyStore<Medewerker>,
        IUserTwoFactorRecoveryCodeStore<Medewerker>
{
    private const string Kolommen = """
        id, email, email_genormaliseerd, naam, wachtwoord_hash, security_stamp, concurrency_stamp, email_bevestigd,
        lockout_ingeschakeld, lockout_tot, mislukte_pogingen, tweestaps_actief, authenticator_sleutel, team_id, actief
        """;

    public void Dispose()
    {
        // The data source is a singleton; nothing to release per store.
    }

    public async Task<IdentityResult> CreateAsync(Medewerker user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        const string sql = """
            INSERT INTO medewerker (id, email, email_genormaliseerd, naam, wachtwoord_hash, security_stamp, concurrency_stamp,
                                    email_bevestigd, lockout_ingeschakeld, lockout_tot, mislukte_pogingen, tweestaps_actief,
                                    authenticator_sleutel, team_id)
            VALUES (@Id, @Email, @EmailGenormaliseerd, @Naam, @WachtwoordHash, @SecurityStamp, @ConcurrencyStamp,
                    @EmailBevestigd, @LockoutIngeschakeld, @LockoutTot, @MisluktePogingen, @TweestapsActief,
                    @AuthenticatorSleutel, @TeamId)
            ON CONFLICT (gemeente_code, email_genormaliseerd) DO NOTHING
            """;
        var rows = await connection.ExecuteAsync(new CommandDefinition(sql, Parameters(user), cancellationToken: cancellationToken));
        return rows == 1 ? IdentityResult.Success : IdentityResult.Failed(new IdentityErrorDescriber().DuplicateEmail(user.Email));
    }

    public async Task<IdentityResult> UpdateAsync(Medewerker user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var vorige = user.ConcurrencyStamp;
        user.ConcurrencyStamp = Guid.NewGuid().ToString();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        const string sql = """
            UPDATE medewerker SET email = @Email, email_genormaliseerd = @EmailGenormaliseerd, naam = @Naam,
                wachtwoord_hash = @WachtwoordHash, security_stamp = @SecurityStamp, concurrency_stamp = @ConcurrencyStamp,
                email_bevestigd = @EmailBevestigd, lockout_ingeschakeld = @LockoutIngeschakeld, lockout_tot = @LockoutTot,
                mislukte_pogingen = @MisluktePogingen, tweestaps_actief = @TweestapsActief,
                authenticator_sleutel = @AuthenticatorSleutel, team_id = @TeamId
            WHERE id = @Id AND concurrency_stamp = @vorige
            """;
        var parameters = Parameters(user);
        parameters.Add("vorige", vorige);
        var rows = await connection.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
        if (rows == 1)
        {
            return IdentityResult.Success;
        }
        user.ConcurrencyStamp = vorige;
        return IdentityResult.Failed(new IdentityErrorDescriber().ConcurrencyFailure());
    }

    public async Task<IdentityResult> DeleteAsync(Medewerker user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(
            new CommandDefinition("DELETE FROM medewerker WHERE id = @Id", new { user.Id }, cancellationToken: cancellationToken)
        );
        return IdentityResult.Success;
    }

    public Task<Medewerker?> FindByIdAsync(string userId, CancellationToken cancellationToken) =>
        Guid.TryParse(userId, out var id) ? Zoek("id = @id", new { id }, cancellationToken) : Task.FromResult<Medewerker?>(null);

    public Task<Medewerker?> FindByNameAsync(string normalizedUserName, CancellationToken cancellationToken) =>
        Zoek("email_genormaliseerd = @normalizedUserName", new { normalizedUserName }, cancellationToken);

    public Task<Medewerker?> FindByEmailAsync(string normalizedEmail, CancellationToken cancellationToken) =>
        Zoek("email_genormaliseerd = @normalizedEmail", new { normalizedEmail }, cancellationToken);

    private async Task<Medewerker?> Zoek(string waar, object parameters, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<Medewerker>(
            new CommandDefinition($"SELECT {Kolommen} FROM medewerker WHERE {waar}", parameters, cancellationToken: cancellationToken)
        );
    }

    private static DynamicParameters Parameters(Medewerker user)
    {
        var parameters = new DynamicParameters(user);
        // timestamptz takes UTC only.
        parameters.Add(nameof(Medewerker.LockoutTot), user.LockoutTot is { } tot ? DateTime.SpecifyKind(tot, DateTimeKind.Utc) : null);
        return parameters;
    }

    // --- user name = e-mail -------------------------------------------------------------------------

    public Task<string> GetUserIdAsync(Medewerker user, CancellationToken cancellationToken) => Task.FromResult(Niet(user).Id.ToString());

    public Task<string?> GetUserNameAsync(Medewerker user, CancellationToken cancellationToken) =>
        Task.FromResult<string?>(Niet(user).Email);

    public Task SetUserNameAsync(Medewerker user, string? userName, CancellationToken cancellationToken)
    {
        Niet(user).Email = userName ?? "";
        return Task.CompletedTask;
    }

    public Task<string?> GetNormalizedUserNameAsync(Medewerker user, CancellationToken cancellationToken) =>
        Task.FromResult<string?>(Niet(user).EmailGenormaliseerd);

    public Task SetNormalizedUserNameAsync(Medewerker user, string? normalizedName, CancellationToken cancellationToken)
    {
        Niet(user).EmailGenormaliseerd = normalizedName ?? "";
        return Task.CompletedTask;
    }

    public Task SetEmailAsync(Medewerker user, string? email, CancellationToken cancellationToken) =>
        SetUserNameAsync(user, email, cancellationToken);

    public Task<string?> GetEmailAsync(Medewerker user, CancellationToken cancellationToken) => GetUserNameAsync(user, cancellationToken);

    public Task<bool> GetEmailConfirmedAsync(Medewerker user, CancellationToken cancellationToken) =>
        Task.FromResult(Niet(user).EmailBevestigd);

    public Task SetEmailConfirmedAsync(Medewerker user, bool confirmed, CancellationToken cancellationToken)
    {
        Niet(user).EmailBevestigd = confirmed;
        return Task.CompletedTask;
    }

    public Task<string?> GetNormalizedEmailAsync(Medewerker user, CancellationToken cancellationToken) =>
        GetNormalizedUserNameAsync(user, cancellationToken);

    public Task SetNormalizedEmailAsync(Medewerker user, string? normalizedEmail, CancellationToken cancellationToken) =>
        SetNormalizedUserNameAsync(user, normalizedEmail, cancellationToken);

    // --- password, security stamp --------------------------------------------------------------------

    public Task SetPasswordHashAsync(Medewerker user, string? passwordHash, CancellationToken cancellationToken)
    {
        Niet(user).WachtwoordHash = passwordHash;
        return Task.CompletedTask;
    }

    public Task<string?> GetPasswordHashAsync(Medewerker user, CancellationToken cancellationToken) =>
        Task.FromResult(Niet(user).WachtwoordHash);

    public Task<bool> HasPasswordAsync(Medewerker user, CancellationToken cancellationToken) =>
        Task.FromResult(Niet(user).WachtwoordHash is not null);

    public Task SetSecurityStampAsync(Medewerker user, string stamp, CancellationToken cancellationToken)
    {
        Niet(user).SecurityStamp = stamp;
        return Task.CompletedTask;
    }

    public Task<string?> GetSecurityStampAsync(Medewerker user, CancellationToken cancellationToken) =>
        Task.FromResult<string?>(Niet(user).SecurityStamp);

    // --- lockout ---------------------------------------------------------------------------------------

    public Task<DateTimeOffset?> GetLockoutEndDateAsync(Medewerker user, CancellationToken cancellationToken) =>
        Task.FromResult(
            Niet(user).LockoutTot is { } tot ? new DateTimeOffset(DateTime.SpecifyKind(tot, DateTimeKind.Utc)) : (DateTimeOffset?)null
        );

    public Task SetLockoutEndDateAsync(Medewerker user, DateTimeOffset? lockoutEnd, CancellationToken cancellationToken)
    {
        Niet(user).LockoutTot = lockoutEnd?.UtcDateTime;
        return Task.CompletedTask;
    }

    public Task<int> IncrementAccessFailedCountAsync(Medewerker user, CancellationToken cancellationToken) =>
        Task.FromResult(++Niet(user).MisluktePogingen);

    public Task ResetAccessFailedCountAsync(Medewerker user, CancellationToken cancellationToken)
    {
        Niet(user).MisluktePogingen = 0;
        return Task.CompletedTask;
    }

    public Task<int> GetAccessFailedCountAsync(Medewerker user, CancellationToken cancellationToken) =>
        Task.FromResult(Niet(user).MisluktePogingen);

    public Task<bool> GetLockoutEnabledAsync(Medewerker user, CancellationToken cancellationToken) =>
        Task.FromResult(Niet(user).LockoutIngeschakeld);

    public Task SetLockoutEnabledAsync(Medewerker user, bool enabled, CancellationToken cancellationToken)
    {
        Niet(user).LockoutIngeschakeld = enabled;
        return Task.CompletedTask;
    }

    // --- two-factor (authenticator app) ------------------------------------------------------------

    public Task SetTwoFactorEnabledAsync(Medewerker user, bool enabled, CancellationToken cancellationToken)
    {
        Niet(user).TweestapsActief = enabled;
        return Task.CompletedTask;
    }

    public Task<bool> GetTwoFactorEnabledAsync(Medewerker user, CancellationToken cancellationToken) =>
        Task.FromResult(Niet(user).TweestapsActief);

    public Task SetAuthenticatorKeyAsync(Medewerker user, string key, CancellationToken cancellationToken)
    {
        Niet(user).AuthenticatorSleutel = key;
        return Task.CompletedTask;
    }

    public Task<string?> GetAuthenticatorKeyAsync(Medewerker user, CancellationToken cancellationToken) =>
        Task.FromResult(Niet(user).AuthenticatorSleutel);

    // --- recovery codes (table medewerker_herstelcode: only hashes; redeeming deletes the row) -------

    public async Task ReplaceCodesAsync(Medewerker user, IEnumerable<string> recoveryCodes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recoveryCodes);
        var id = Niet(user).Id;
        var hashes = recoveryCodes.Select(c => HerstelcodeHash(id, c)).Distinct(new BytesGelijk()).ToArray();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(
            new CommandDefinition(
                """
                DELETE FROM medewerker_herstelcode WHERE medewerker_id = @id;
                INSERT INTO medewerker_herstelcode (medewerker_id, hash) SELECT @id, unnest(@hashes);
                """,
                new { id, hashes },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<bool> RedeemCodeAsync(Medewerker user, string code, CancellationToken cancellationToken)
    {
        var id = Niet(user).Id;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // One DELETE: two sign-ins racing with the same code cannot both succeed.
        var rows = await connection.ExecuteAsync(
            new CommandDefinition(
                "DELETE FROM medewerker_herstelcode WHERE medewerker_id = @id AND hash = @hash",
                new { id, hash = HerstelcodeHash(id, code ?? "") },
                cancellationToken: cancellationToken
            )
        );
        return rows == 1;
    }

    public async Task<int> CountCodesAsync(Medewerker user, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>(
            new CommandDefinition(
                "SELECT count(*) FROM medewerker_herstelcode WHERE medewerker_id = @Id",
                new { Niet(user).Id },
                cancellationToken: cancellationToken
            )
        );
    }

    /// <summary>SHA-256 over the account id and the code without spaces or dashes, upper case. The codes
    /// are random (Identity's generator), so a fast hash suffices; the id keeps equal codes apart.</summary>
    public static byte[] HerstelcodeHash(Guid medewerkerId, string code)
    {
        var genormaliseerd = new string([.. (code ?? "").Where(c => c is not (' ' or '-'))]).ToUpperInvariant();
        return SHA256.HashData(Encoding.UTF8.GetBytes($"{medewerkerId:N}:{genormaliseerd}"));
    }

    private sealed class BytesGelijk : IEqualityComparer<byte[]>
    {
        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj) => BitConverter.ToInt32(obj, 0);
    }

    // --- roles (written at once; the role table is small and fixed by migrations) ------------------

    public async Task AddToRoleAsync(Medewerker user, string roleName, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.ExecuteAsync(
            new CommandDefinition(
                """
                INSERT INTO medewerker_rol (medewerker_id, rol)
                SELECT @Id, code FROM rol WHERE code_genormaliseerd = @roleName
                ON CONFLICT DO NOTHING
                """,
                new { Niet(user).Id, roleName },
                cancellationToken: cancellationToken
            )
        );
        if (rows == 0 && !await IsInRoleAsync(user, roleName, cancellationToken))
        {
            throw new InvalidOperationException($"Unknown role '{roleName}'.");
        }
    }

    public async Task RemoveFromRoleAsync(Medewerker user, string roleName, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(
            new CommandDefinition(
                """
                DELETE FROM medewerker_rol mr USING rol r
                    WHERE mr.rol = r.code AND mr.medewerker_id = @Id AND r.code_genormaliseerd = @roleName
                """,
                new { Niet(user).Id, roleName },
                cancellationToken: cancellationToken
            )
        );
    }

    public async Task<IList<string>> GetRolesAsync(Medewerker user, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rollen = await connection.QueryAsync<string>(
            new CommandDefinition(
                "SELECT rol FROM medewerker_rol WHERE medewerker_id = @Id ORDER BY rol",
                new { Niet(user).Id },
                cancellationToken: cancellationToken
            )
        );
        return rollen.AsList();
    }

    public async Task<bool> IsInRoleAsync(Medewerker user, string roleName, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<bool>(
            new CommandDefinition(
                """
                SELECT EXISTS (SELECT 1 FROM medewerker_rol mr
                    JOIN rol r ON r.code = mr.rol
                    WHERE mr.medewerker_id = @Id AND r.code_genormaliseerd = @roleName)
                """,
                new { Niet(user).Id, roleName },
                cancellationToken: cancellationToken
            )
        );
    }

    public async Task<IList<Medewerker>> GetUsersInRoleAsync(string roleName, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var users = await connection.QueryAsync<Medewerker>(
            new CommandDefinition(
                $"""
                SELECT {Kolommen} FROM medewerker
                WHERE id IN (SELECT mr.medewerker_id FROM medewerker_rol mr
                    JOIN rol r ON r.code = mr.rol WHERE r.code_genormaliseerd = @roleName)
                ORDER BY naam
                """,
                new { roleName },
                cancellationToken: cancellationToken
            )
        );
        return users.AsList();
    }

    private static Medewerker Niet(Medewerker? user) => user ?? throw new ArgumentNullException(nameof(user));
}
