using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Npgsql;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Mail;

namespace Wijkmeldingen.Web.Features.Beheer.Accounts;

/// <summary>Creating staff accounts. There is no public sign-up: a beheerder invites staff from the
/// back office (an account without password and a set-password link by e-mail), and the very first
/// beheerder is made with <c>infra/wijk beheerder-maken EMAIL</c>.</summary>
public sealed class MedewerkerAccounts(
    UserManager<Medewerker> users,
    NpgsqlDataSource dataSource,
    IOptions<MailOptions> mail,
    IOptions<BeheerOptions> beheer,
    IStringLocalizer<Wijkmeldingen.Web.BeheerTekst> b
)
{
    public sealed record Uitnodiging(Medewerker Medewerker, string Link);

    /// <summary>Creates the account (or finds the existing one), grants <paramref name="rollen"/>
    /// and returns the set-password link. With <paramref name="mailen"/> the link goes out through
    /// the outbox, in one transaction with the audit row.</summary>
    /// <exception cref="InvalidOperationException">Identity refused the e-mail address.</exception>
    public async Task<Uitnodiging> UitnodigenAsync(
        string email,
        string naam,
        IReadOnlyCollection<string> rollen,
        Actor? door,
        bool mailen,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(rollen);
        var medewerker = await users.FindByEmailAsync(email.Trim());
        var nieuw = medewerker is null;
        if (medewerker is null)
        {
            medewerker = new Medewerker { Naam = naam.Trim() };
            await users.SetUserNameAsync(medewerker, email.Trim());
            var aangemaakt = await users.CreateAsync(medewerker);
            if (!aangemaakt.Succeeded)
            {
                throw new InvalidOperationException(string.Join("; ", aangemaakt.Errors.Select(e => e.Description)));
            }
        }
        foreach (var rol in rollen.Where(Rollen.Alle.Contains))
        {
            if (!await users.IsInRoleAsync(medewerker, rol))
            {
                await users.AddToRoleAsync(medewerker, rol);
            }
        }
        var token = await users.GeneratePasswordResetTokenAsync(medewerker);
        var link = mail.Value.Link($"beheer/wachtwoord/{medewerker.Id}?token={Uri.EscapeDataString(token)}");

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (mailen)
        {
            await Outbox.EnqueueAsync(
                connection,
                transaction,
                new OutboxBericht(
                    Sleutel: $"medewerker-uitnodiging:{medewerker.Id}:{Guid.NewGuid():N}",
                    Aan: medewerker.Email,
                    Onderwerp: b["mail.uitnodiging.onderwerp"],
                    Tekst: b["mail.uitnodiging.tekst", medewerker.Naam, door?.Naam ?? "", link, beheer.Value.UitnodigingGeldigDagen]
                ),
                cancellationToken
            );
        }
        await Audit.SchrijfAsync(
            connection,
            transaction,
            door,
            nieuw ? "medewerker-uitgenodigd" : "medewerker-opnieuw-uitgenodigd",
            null,
            null,
            new
            {
                medewerker.Id,
                medewerker.Email,
                medewerker.Naam,
                rollen,
            },
            cancellationToken
        );
        await transaction.CommitAsync(cancellationToken);
        return new Uitnodiging(medewerker, link);
    }
}
