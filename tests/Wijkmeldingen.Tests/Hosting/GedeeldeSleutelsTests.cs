using System.Net;
using Dapper;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Hosting;

namespace Wijkmeldingen.Tests.Hosting;

/// <summary>Two portal instances on one database share the Data Protection key ring through
/// PostgreSQL: one cookie jar (one "browser") signs in on A, then uses the back office on B and
/// posts a form on B with the antiforgery token A put in the page. An instance on another database
/// (other keys) refuses the same cookies: the keys come from the database, not from this machine.</summary>
public sealed class GedeeldeSleutelsTests : AppTest
{
    [Fact]
    public async Task A_session_and_antiforgery_token_from_instance_a_are_accepted_by_instance_b()
    {
        await BeheerAccounts.MaakAsync(App.Services, "beheerder@heemstede.nl", "Bea Beheerder", Rollen.Beheerder);
        await using var b = new WijkAppFactory(Database.ConnectionString);
        var cookies = new CookieContainer();
        var a = new FormulierClient(App.CreateDefaultClient(new GedeeldeCookies(cookies)));
        var viaB = new FormulierClient(b.CreateDefaultClient(new GedeeldeCookies(cookies)));

        var inloggen = await a.OpenAsync("/beheer/inloggen");
        var ingelogd = await a.PostAsync(
            "/beheer/inloggen",
            inloggen.Token,
            [new("Email", "beheerder@heemstede.nl"), new("Wachtwoord", BeheerAccounts.Wachtwoord)]
        );
        Assert.Equal(HttpStatusCode.Redirect, ingelogd.StatusCode);

        var dashboard = await viaB.Http.GetAsync("/beheer/medewerkers");
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Contains("beheerder@heemstede.nl", await dashboard.Content.ReadAsStringAsync());

        var formulierVanA = await a.OpenAsync("/beheer/medewerkers");
        var uitgenodigd = await viaB.PostAsync(
            "/beheer/medewerkers?handler=Uitnodigen",
            formulierVanA.Token,
            [new("Naam", "Henk Handhaver"), new("Email", "handhaver@heemstede.nl"), new("Rollen", "wijkprofessional")]
        );
        Assert.Equal(HttpStatusCode.Redirect, uitgenodigd.StatusCode);

        await using var connection = await DataSource.OpenConnectionAsync();
        Assert.Equal(
            1,
            await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM medewerker WHERE email = 'handhaver@heemstede.nl'")
        );
        Assert.True(await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM data_protection_sleutel WHERE xml LIKE '<key %'") >= 1);
        Assert.IsType<PostgresXmlRepository>(b.Services.GetRequiredService<IOptions<KeyManagementOptions>>().Value.XmlRepository);

        // Control: an instance with its own database has its own keys and does not know this session.
        await using var andereDatabase = await TestDatabase.CreateAsync();
        await using var c = new WijkAppFactory(andereDatabase.ConnectionString);
        var viaC = c.CreateDefaultClient(new GedeeldeCookies(cookies));
        var geweigerd = await viaC.GetAsync("/beheer/medewerkers");
        Assert.Equal(HttpStatusCode.Redirect, geweigerd.StatusCode);
        Assert.Contains("/beheer/inloggen", geweigerd.Headers.Location?.ToString());
    }

    /// <summary>One cookie jar for several test servers, as one browser has for several nodes behind
    /// one host name.</summary>
    private sealed class GedeeldeCookies(CookieContainer cookies) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var uri = request.RequestUri!;
            var header = cookies.GetCookieHeader(uri);
            if (header.Length > 0)
            {
                request.Headers.Add("Cookie", header);
            }
            var response = await base.SendAsync(request, cancellationToken);
            if (response.Headers.TryGetValues("Set-Cookie", out var gezet))
            {
                foreach (var cookie in gezet)
                {
                    cookies.SetCookies(uri, cookie);
                }
            }
            return response;
        }
    }
}
