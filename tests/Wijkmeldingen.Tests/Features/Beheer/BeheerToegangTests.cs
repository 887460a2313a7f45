using System.Net;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Features.Beheer.Accounts;

namespace Wijkmeldingen.Tests.Features.Beheer;

/// <summary>Sign-in, roles and the protections around them: every /beheer page is refused to
/// anonymous visitors and to staff without the right role, forms need the antiforgery token, and
/// repeated wrong passwords lock the account.</summary>
public sealed partial class BeheerToegangTests : AppTest
{
    private HttpClient Anoniem() => App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    [Theory]
    [InlineData("/beheer")]
    [InlineData("/beheer/meldingen")]
    [InlineData("/beheer/medewerkers")]
    [InlineData("/beheer/meldingen/1")]
    public async Task Anonymous_visitors_are_sent_to_the_sign_in_page(string pad)
    {
        var antwoord = await Anoniem().GetAsync(pad);

        Assert.Equal(HttpStatusCode.Redirect, antwoord.StatusCode);
        Assert.StartsWith("http://localhost/beheer/inloggen?terug=", antwoord.Headers.Location?.ToString());
    }

    [Fact]
    public async Task The_sign_in_page_is_open_and_sets_no_session()
    {
        var antwoord = await Anoniem().GetAsync("/beheer/inloggen");

        Assert.Equal(HttpStatusCode.OK, antwoord.StatusCode);
        Assert.Contains("Inloggen voor medewerkers", await antwoord.Content.ReadAsStringAsync());
        Assert.True(antwoord.Headers.CacheControl?.NoStore);
    }

    [Fact]
    public async Task Staff_without_the_right_role_get_403()
    {
        await BeheerAccounts.MaakAsync(App.Services, "organisator@heemstede.nl", "Olga Organisator", Rollen.Organisator);
        await BeheerAccounts.MaakAsync(App.Services, "wijkagent@heemstede.nl", "Wim Wijkagent", Rollen.Wijkprofessional);
        var organisator = await BeheerAccounts.IngelogdAsync(App, "organisator@heemstede.nl");
        var wijkagent = await BeheerAccounts.IngelogdAsync(App, "wijkagent@heemstede.nl");

        Assert.Equal(HttpStatusCode.OK, (await organisator.Http.GetAsync("/beheer")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await organisator.Http.GetAsync("/beheer/meldingen")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await organisator.Http.GetAsync("/beheer/meldingen/kaart.geojson")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await organisator.Http.GetAsync("/beheer/medewerkers")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await wijkagent.Http.GetAsync("/beheer/meldingen")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await wijkagent.Http.GetAsync("/beheer/medewerkers")).StatusCode);
    }

    [Fact]
    public async Task Forms_without_the_antiforgery_token_are_refused()
    {
        await BeheerAccounts.MaakAsync(App.Services, "beheerder@heemstede.nl", "Bea Beheerder", Rollen.Beheerder);
        var beheerder = await BeheerAccounts.IngelogdAsync(App, "beheerder@heemstede.nl");

        using var uitnodiging = new FormUrlEncodedContent([new("Email", "nieuw@heemstede.nl"), new("Naam", "Nieuw"), new("Rollen", "beheerder")]);
        var zonderToken = await beheerder.Http.PostAsync("/beheer/medewerkers?handler=Uitnodigen", uitnodiging);
        using var inloggen = new FormUrlEncodedContent([new("Email", "beheerder@heemstede.nl"), new("Wachtwoord", BeheerAccounts.Wachtwoord)]);
        var inloggenZonderToken = await Anoniem().PostAsync("/beheer/inloggen", inloggen);

        Assert.Equal(HttpStatusCode.BadRequest, zonderToken.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, inloggenZonderToken.StatusCode);
        await using var connection = await DataSource.OpenConnectionAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM medewerker WHERE email = 'nieuw@heemstede.nl'"));
    }

    [Fact]
    public async Task Repeated_wrong_passwords_lock_the_account_even_for_the_right_password()
    {
        await BeheerAccounts.MaakAsync(App.Services, "wijkagent@heemstede.nl", "Wim Wijkagent", Rollen.Wijkprofessional);
        var client = new FormulierClient(Anoniem());
        var pagina = await client.OpenAsync("/beheer/inloggen");

        for (var i = 0; i < 5; i++)
        {
            var fout = await client.PostAsync("/beheer/inloggen", pagina.Token, [new("Email", "wijkagent@heemstede.nl"), new("Wachtwoord", "geraden wachtwoord " + i)]);
            Assert.Equal(HttpStatusCode.OK, fout.StatusCode);
        }
        var goed = await client.PostAsync("/beheer/inloggen", pagina.Token, [new("Email", "wijkagent@heemstede.nl"), new("Wachtwoord", BeheerAccounts.Wachtwoord)]);

        Assert.Equal(HttpStatusCode.OK, goed.StatusCode);
        Assert.Contains("tijdelijk geblokkeerd", await goed.Content.ReadAsStringAsync());
        await using var connection = await DataSource.OpenConnectionAsync();
        Assert.True(await connection.ExecuteScalarAsync<bool>("SELECT lockout_tot > now() + interval '10 minutes' FROM medewerker WHERE email = 'wijkagent@heemstede.nl'"));
    }

    [Fact]
    public async Task A_wrong_password_says_so_without_telling_whether_the_account_exists()
    {
        await BeheerAccounts.MaakAsync(App.Services, "wijkagent@heemstede.nl", "Wim Wijkagent", Rollen.Wijkprofessional);
        var client = new FormulierClient(Anoniem());
        var pagina = await client.OpenAsync("/beheer/inloggen");

        var bestaand = await client.PostAsync("/beheer/inloggen", pagina.Token, [new("Email", "wijkagent@heemstede.nl"), new("Wachtwoord", "fout fout fout fout")]);
        var onbekend = await client.PostAsync("/beheer/inloggen", pagina.Token, [new("Email", "niemand@heemstede.nl"), new("Wachtwoord", "fout fout fout fout")]);

        Assert.Contains("Het e-mailadres of het wachtwoord klopt niet.", await bestaand.Content.ReadAsStringAsync());
        Assert.Contains("Het e-mailadres of het wachtwoord klopt niet.", await onbekend.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_beheerder_invites_staff_who_set_a_password_once_and_sign_in()
    {
        await BeheerAccounts.MaakAsync(App.Services, "beheerder@heemstede.nl", "Bea Beheerder", Rollen.Beheerder);
        var beheerder = await BeheerAccounts.IngelogdAsync(App, "beheerder@heemstede.nl");
        var pagina = await beheerder.OpenAsync("/beheer/medewerkers");

        var antwoord = await beheerder.PostAsync("/beheer/medewerkers?handler=Uitnodigen", pagina.Token,
            [new("Naam", "Henk Handhaver"), new("Email", "handhaver@heemstede.nl"), new("Rollen", "wijkprofessional")]);

        Assert.Equal(HttpStatusCode.Redirect, antwoord.StatusCode);
        await using var connection = await DataSource.OpenConnectionAsync();
        var tekst = await connection.QuerySingleAsync<string>("SELECT tekst FROM mail_outbox WHERE aan = 'handhaver@heemstede.nl'");
        var link = LinkPattern().Match(tekst).Value;
        Assert.StartsWith("http://127.0.0.1:5080/beheer/wachtwoord/", link);
        Assert.Equal("Bea Beheerder", await connection.QuerySingleAsync<string>("SELECT door FROM audit WHERE actie = 'medewerker-uitgenodigd'"));

        var pad = new Uri(link).PathAndQuery;
        var nieuw = new FormulierClient(Anoniem());
        var formulier = await nieuw.OpenAsync(pad);
        var gezet = await nieuw.PostAsync(pad, formulier.Token, [new("Nieuw", "lange zin als wachtwoord"), new("Herhaal", "lange zin als wachtwoord")]);
        var nogmaals = await nieuw.PostAsync(pad, formulier.Token, [new("Nieuw", "nog een lange zin hier"), new("Herhaal", "nog een lange zin hier")]);

        Assert.Equal(HttpStatusCode.Redirect, gezet.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, nogmaals.StatusCode);
        Assert.Contains("verlopen of al gebruikt", await nogmaals.Content.ReadAsStringAsync());
        var handhaver = await BeheerAccounts.IngelogdAsync(App, "handhaver@heemstede.nl", "lange zin als wachtwoord");
        Assert.Equal(HttpStatusCode.OK, (await handhaver.Http.GetAsync("/beheer/meldingen")).StatusCode);
    }

    [Fact]
    public async Task The_first_beheerder_is_made_by_the_command_verb()
    {
        var code = await BeheerderMaken.RunAsync(App.Services, ["beheerder-maken", "eerste@heemstede.nl", "Eerste", "Beheerder"]);
        var zonderEmail = await BeheerderMaken.RunAsync(App.Services, ["beheerder-maken"]);

        Assert.Equal(0, code);
        Assert.Equal(2, zonderEmail);
        await using var connection = await DataSource.OpenConnectionAsync();
        Assert.Equal("Eerste Beheerder", await connection.QuerySingleAsync<string>(
            "SELECT m.naam FROM medewerker m JOIN medewerker_rol r ON r.medewerker_id = m.id WHERE r.rol = 'beheerder'"));
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM mail_outbox"));
    }

    [Fact]
    public async Task The_audit_table_is_append_only()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("INSERT INTO audit (door, actie) VALUES ('test', 'iets')");

        var wijzigen = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => connection.ExecuteAsync("UPDATE audit SET actie = 'anders'"));
        var wissen = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => connection.ExecuteAsync("DELETE FROM audit"));

        Assert.Equal("WK002", wijzigen.SqlState);
        Assert.Equal("WK002", wissen.SqlState);
    }

    [GeneratedRegex(@"http://\S+/beheer/wachtwoord/\S+")]
    private static partial Regex LinkPattern();
}
