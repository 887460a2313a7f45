using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Npgsql;
using Wijkmeldingen.Web.Data;
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

/// <summary>Requests per client address per hour (Beheer:WachtwoordVergetenPerAdresPerUur), counted in
/// the database (wachtwoord_vergeten_poging, V75) so every web node shares the count: a sliding hour, one
/// row per allowed request, the address only as a SHA-256 hash. Refused requests are not counted, so
/// hammering does not push the window ahead. Rows go after a day (<see cref="Regel"/>).</summary>
public sealed class WachtwoordVergetenLimiet(NpgsqlDataSource dataSource, IOptions<BeheerOptions> options)
{
    public const string Gegevens = "wachtwoordvergeten";

    public async Task<bool> ToegestaanAsync(HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(context.Connection.RemoteIpAddress?.ToString() ?? "onbekend"));
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // One address at a time, over all nodes, so the count cannot be raced past.
        await connection.ExecuteAsync(
            new CommandDefinition(
                "SELECT pg_advisory_xact_lock(@slot)",
                new { slot = BitConverter.ToInt64(hash, 0) },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        var recent = await connection.ExecuteScalarAsync<int>(
            new CommandDefinition(
                "SELECT count(*) FROM wachtwoord_vergeten_poging WHERE adres_hash = @hash AND tijdstip > now() - interval '1 hour'",
                new { hash },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        if (recent >= options.Value.WachtwoordVergetenPerAdresPerUur)
        {
            return false;
        }
        await connection.ExecuteAsync(
            new CommandDefinition(
                "INSERT INTO wachtwoord_vergeten_poging (adres_hash) VALUES (@hash)",
                new { hash },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Retention: the counted requests (hashed client addresses) go after a day.</summary>
    public static OpschoonRegel Regel() =>
        new(
            "wachtwoord-vergeten tellers",
            (connection, cancellationToken) =>
                connection.ExecuteAsync(
                    new CommandDefinition(
                        "DELETE FROM wachtwoord_vergeten_poging WHERE tijdstip < now() - interval '1 day'",
                        cancellationToken: cancellationToken
                    )
                ),
            new Bewaartermijn(Gegevens, 1)
        );
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
