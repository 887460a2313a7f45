using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Beheer.Accounts;

/// <summary>The verb <c>beheerder-maken EMAIL [NAAM]</c> (infra/wijk beheerder-maken): how a fresh
/// installation gets its first beheerder. Creates the account (or adds the role to an existing one)
/// and prints a one-time link to set the password; nothing is e-mailed, so it works before mail is set up.</summary>
public static class BeheerderMaken
{
    public static async Task<int> RunAsync(IServiceProvider services, string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args is not [_, var email, ..] || !EmailAdres.IsGeldig(email.Trim()))
        {
            await Console.Error.WriteLineAsync(
                "beheerder-maken: give the e-mail address of the first beheerder, e.g. beheerder-maken jan@gemeente.nl \"Jan Jansen\""
            );
            return 2;
        }
        var naam = args.Length > 2 ? string.Join(' ', args[2..]) : email.Trim().Split('@')[0];
        await using var scope = services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<MedewerkerAccounts>();
        var uitnodiging = await accounts.UitnodigenAsync(
            email,
            naam,
            [Rollen.Beheerder],
            door: null,
            mailen: false,
            CancellationToken.None
        );
        Console.WriteLine(
            $"beheerder-maken: {uitnodiging.Medewerker.Email} is beheerder. "
                + "Set the password within the link's lifetime (Beheer:UitnodigingGeldigDagen) at:"
        );
        Console.WriteLine(uitnodiging.Link);
        return 0;
    }
}
