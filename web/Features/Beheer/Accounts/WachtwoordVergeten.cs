using System.Threading.RateLimiting;
using Dapper;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Npgsql;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Mail;

namespace Wijkmeldingen.Web.Features.Beheer.Accounts;

/// <summary>The lifespan of "forgot password" tokens (Beheer:WachtwoordVergetenMinuten).</summary>
public sealed class WachtwoordVergetenTokenOpties : DataProtectionTokenProviderOptions;

/// <summary>Tokens of "forgot password" links: Identity's data-protection tokens, bound to the security
/// stamp (so a link works once: setting the password renews the stamp), with their own protector
/// purpose (an invitation's token is not accepted here, nor the other way round) and a short lifespan.</summary>
public sealed class WachtwoordVergetenTokens(
    IDataProtectionProvider dataProtectionProvider,
    IOptions<WachtwoordVergetenTokenOpties> options,
    ILogger<DataProtectorTokenProvider<Medewerker>> logger
) : DataProtectorTokenProvider<Medewerker>(dataProtectionProvider, options, logger)
{
    public const string Naam = "WachtwoordVergeten";
}

/// <summary>Requests per client address (per web node, in memory; Beheer:WachtwoordVergetenPerAdresPerUur).</summary>
public sealed class WachtwoordVergetenLimiet(IOptions<BeheerOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> limiter = PartitionedRateLimiter.Create<string, string>(client =>
        RateLimitPartition.GetFixedWindowLimiter(client, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.WachtwoordVergetenPerAdresPerUur,
            Window = TimeSpan.FromHours(1),
            QueueLimit = 0,
        })
    );

    public bool Toegestaan(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var lease = limiter.AttemptAcquire(context.Connection.RemoteIpAddress?.ToString() ?? "onbekend");
        return lease.IsAcquired;
    }

    public void Dispose() => limiter.Dispose();
}

/// <summary>"Forgot password": mails an active account a short-lived set-password link. The caller
/// answers the same whether or not the address has an account; per account at most
/// Beheer:WachtwoordVergetenPerUur mails an hour (counted in the audit trail, so over all web nodes).</summary>
public sealed class WachtwoordVergeten(
    UserManager<Medewerker> users,
    NpgsqlDataSource dataSource,
    IOptions<MailOptions> mail,
    IOptions<BeheerOptions> beheer,
    IStringLocalizer<Wijkmeldingen.Web.BeheerTekst> b,
    ILogger<WachtwoordVergeten> logger
)
{
    public const string Actie = "wachtwoord-vergeten";

    /// <returns>True when a mail was queued (for tests and logs; never shown to the requester).</returns>
    public async Task<bool> AanvragenAsync(string email, CancellationToken cancellationToken)
    {
        var medewerker = await users.FindByEmailAsync(email.Trim());
        if (medewerker is null || !medewerker.Actief)
        {
            logger.LogInformation("Password reset requested for an address without an active account");
            return false;
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Serialise requests for one account so the hourly count cannot be raced past.
        await connection.ExecuteAsync(
            new CommandDefinition(
                "SELECT 1 FROM medewerker WHERE id = @Id FOR UPDATE",
                new { medewerker.Id },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        var recent = await connection.ExecuteScalarAsync<int>(
            new CommandDefinition(
                """
                SELECT count(*) FROM audit
                WHERE actie = @Actie AND medewerker_id = @Id AND tijdstip > now() - interval '1 hour'
                """,
                new { Actie, medewerker.Id },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        if (recent >= beheer.Value.WachtwoordVergetenPerUur)
        {
            logger.LogWarning("Password reset refused: too many requests for one account this hour");
            return false;
        }
        var token = await users.GenerateUserTokenAsync(
            medewerker,
            WachtwoordVergetenTokens.Naam,
            UserManager<Medewerker>.ResetPasswordTokenPurpose
        );
        var link = mail.Value.Link($"beheer/wachtwoord/{medewerker.Id}?vergeten=1&token={Uri.EscapeDataString(token)}");
        await Outbox.EnqueueAsync(
            connection,
            transaction,
            new OutboxBericht(
                Sleutel: $"wachtwoord-vergeten:{medewerker.Id}:{Guid.NewGuid():N}",
                Aan: medewerker.Email,
                Onderwerp: b["mail.vergeten.onderwerp"],
                Tekst: b["mail.vergeten.tekst", medewerker.Naam, link, beheer.Value.WachtwoordVergetenMinuten]
            ),
            cancellationToken
        );
        // The account itself is the actor: who asked is unknown, the account is what it concerns.
        await Audit.SchrijfAsync(
            connection,
            transaction,
            new Actor(medewerker.Id, medewerker.Naam),
            Actie,
            null,
            null,
            new { medewerker.Id, medewerker.Email },
            cancellationToken
        );
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Whether <paramref name="token"/> is a valid, unexpired "forgot password" token of the account.</summary>
    public Task<bool> GeldigAsync(Medewerker medewerker, string token) =>
        users.VerifyUserTokenAsync(medewerker, WachtwoordVergetenTokens.Naam, UserManager<Medewerker>.ResetPasswordTokenPurpose, token);
}
