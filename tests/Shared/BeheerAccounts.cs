using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Wijkmeldingen.Web.Features.Beheer.Accounts;

namespace Wijkmeldingen.Testing;

/// <summary>Staff accounts for tests: made through the app's own UserManager (so the password is
/// hashed by the framework), and a signed-in client for the back office.</summary>
public static class BeheerAccounts
{
    public const string Wachtwoord = "correct paard batterij niet";

    public static async Task<Medewerker> MaakAsync(IServiceProvider services, string email, string naam, params string[] rollen)
    {
        using var scope = services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<Medewerker>>();
        var medewerker = new Medewerker { Naam = naam };
        await users.SetUserNameAsync(medewerker, email);
        var result = await users.CreateAsync(medewerker, Wachtwoord);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
        }
        foreach (var rol in rollen)
        {
            await users.AddToRoleAsync(medewerker, rol);
        }
        return medewerker;
    }

    /// <summary>An account written straight into a database the test does not run the app for
    /// (e.g. the browser fixture's), with the framework's password hash.</summary>
    public static async Task MaakInDatabaseAsync(Npgsql.NpgsqlDataSource dataSource, string email, string naam, params string[] rollen)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        var medewerker = new Medewerker
        {
            Email = email,
            EmailGenormaliseerd = email.ToUpperInvariant(),
            Naam = naam,
            SecurityStamp = Guid.NewGuid().ToString("N"),
        };
        medewerker.WachtwoordHash = new PasswordHasher<Medewerker>().HashPassword(medewerker, Wachtwoord);
        await using var connection = await dataSource.OpenConnectionAsync();
        await Dapper.SqlMapper.ExecuteAsync(
            connection,
            """
            INSERT INTO medewerker
                (id, email, email_genormaliseerd, naam, wachtwoord_hash, security_stamp, concurrency_stamp, email_bevestigd)
            VALUES (@Id, @Email, @EmailGenormaliseerd, @Naam, @WachtwoordHash, @SecurityStamp, @ConcurrencyStamp, true);
            INSERT INTO medewerker_rol (medewerker_id, rol) SELECT @Id, unnest(@rollen);
            """,
            new
            {
                medewerker.Id,
                medewerker.Email,
                medewerker.EmailGenormaliseerd,
                medewerker.Naam,
                medewerker.WachtwoordHash,
                medewerker.SecurityStamp,
                medewerker.ConcurrencyStamp,
                rollen,
            }
        );
    }

    /// <summary>A client that signed in through /beheer/inloggen (redirects not followed).</summary>
    public static async Task<FormulierClient> IngelogdAsync<T>(WebApplicationFactory<T> app, string email, string wachtwoord = Wachtwoord)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(app);
        var client = new FormulierClient(app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }));
        var pagina = await client.OpenAsync("/beheer/inloggen");
        var antwoord = await client.PostAsync("/beheer/inloggen", pagina.Token, [new("Email", email), new("Wachtwoord", wachtwoord)]);
        if (antwoord.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"sign-in as {email} failed: {(int)antwoord.StatusCode}");
        }
        return client;
    }
}
