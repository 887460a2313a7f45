using System.Net;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Features.Beheer.Accounts;
using Xunit.Abstractions;

namespace Wijkmeldingen.Tests.Features.Beheer;

/// <summary>Sign-in, roles and the protections around them: every /beheer page is refused to
/// anonymous visitors and to staff without the right role, forms need the antiforgery token, and
/// repeated wrong passwords lock the account.</summary>
public sealed partial class BeheerToegangTests(ITestOutputHelper output) : AppTest
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

        using var uitnodiging = new FormUrlEncodedContent([
            new("Email", "nieuw@heemstede.nl"),
            new("Naam", "Nieuw"),
            new("Rollen", "beheerder"),
        ]);
        var zonderToken = await beheerder.Http.PostAsync("/beheer/medewerkers?handler=Uitnodigen", uitnodiging);
        using var inloggen = new FormUrlEncodedContent([
            new("Email", "beheerder@heemstede.nl"),
            new("Wachtwoord", BeheerAccounts.Wachtwoord),
        ]);
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
            var fout = await client.PostAsync(
                "/beheer/inloggen",
                pagina.Token,
                [new("Email", "wijkagent@heemstede.nl"), new("Wachtwoord", "geraden wachtwoord " + i)]
            );
            Assert.Equal(HttpStatusCode.OK, fout.StatusCode);
        }
        var goed = await client.PostAsync(
            "/beheer/inloggen",
            pagina.Token,
            [new("Email", "wijkagent@heemstede.nl"), new("Wachtwoord", BeheerAccounts.Wachtwoord)]
        );

        Assert.Equal(HttpStatusCode.OK, goed.StatusCode);
        Assert.Contains("tijdelijk geblokkeerd", await goed.Content.ReadAsStringAsync());
        await using var connection = await DataSource.OpenConnectionAsync();
        Assert.True(
            await connection.ExecuteScalarAsync<bool>(
                "SELECT lockout_tot > now() + interval '10 minutes' FROM medewerker WHERE email = 'wijkagent@heemstede.nl'"
            )
        );
    }

    [Fact]
    public async Task A_wrong_password_says_so_without_telling_whether_the_account_exists()
    {
        await BeheerAccounts.MaakAsync(App.Services, "wijkagent@heemstede.nl", "Wim Wijkagent", Rollen.Wijkprofessional);
        var client = new FormulierClient(Anoniem());
        var pagina = await client.OpenAsync("/beheer/inloggen");

        var bestaand = await client.PostAsync(
            "/beheer/inloggen",
            pagina.Token,
            [new("Email", "wijkagent@heemstede.nl"), new("Wachtwoord", "fout fout fout fout")]
        );
        var onbekend = await client.PostAsync(
            "/beheer/inloggen",
            pagina.Token,
            [new("Email", "niemand@heemstede.nl"), new("Wachtwoord", "fout fout fout fout")]
        );

        Assert.Contains("Het e-mailadres of het wachtwoord klopt niet.", await bestaand.Content.ReadAsStringAsync());
        Assert.Contains("Het e-mailadres of het wachtwoord klopt niet.", await onbekend.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_beheerder_invites_staff_who_set_a_password_once_and_sign_in()
    {
        await BeheerAccounts.MaakAsync(App.Services, "beheerder@heemstede.nl", "Bea Beheerder", Rollen.Beheerder);
        var beheerder = await BeheerAccounts.IngelogdAsync(App, "beheerder@heemstede.nl");
        var pagina = await beheerder.OpenAsync("/beheer/medewerkers");

        var antwoord = await beheerder.PostAsync(
            "/beheer/medewerkers?handler=Uitnodigen",
            pagina.Token,
            [new("Naam", "Henk Handhaver"), new("Email", "handhaver@heemstede.nl"), new("Rollen", "wijkprofessional")]
        );

        Assert.Equal(HttpStatusCode.Redirect, antwoord.StatusCode);
        await using var connection = await DataSource.OpenConnectionAsync();
        var tekst = await connection.QuerySingleAsync<string>("SELECT tekst FROM mail_outbox WHERE aan = 'handhaver@heemstede.nl'");
        var link = LinkPattern().Match(tekst).Value;
        Assert.StartsWith("http://127.0.0.1:5080/beheer/wachtwoord/", link);
        Assert.Equal(
            "Bea Beheerder",
            await connection.QuerySingleAsync<string>("SELECT door FROM audit WHERE actie = 'medewerker-uitgenodigd'")
        );

        var pad = new Uri(link).PathAndQuery;
        var nieuw = new FormulierClient(Anoniem());
        var formulier = await nieuw.OpenAsync(pad);
        var gezet = await nieuw.PostAsync(
            pad,
            formulier.Token,
            [new("Nieuw", "lange zin als wachtwoord"), new("Herhaal", "lange zin als wachtwoord")]
        );
        var nogmaals = await nieuw.PostAsync(
            pad,
            formulier.Token,
            [new("Nieuw", "nog een lange zin hier"), new("Herhaal", "nog een lange zin hier")]
        );

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
        Assert.Equal(
            "Eerste Beheerder",
            await connection.QuerySingleAsync<string>(
                "SELECT m.naam FROM medewerker m JOIN medewerker_rol r ON r.medewerker_id = m.id WHERE r.rol = 'beheerder'"
            )
        );
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM mail_outbox"));
    }

    [Fact]
    public async Task The_audit_table_is_append_only()
    {
        // Even for the owner role, which may change any other table: the triggers refuse. (The app
        // role is refused before the triggers: it has no UPDATE or DELETE, Data/AppRolRechtenTests.)
        await using var connection = await EigenaarDataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("INSERT INTO audit (door, actie) VALUES ('test', 'iets')");

        var wijzigen = await Assert.ThrowsAsync<Npgsql.PostgresException>(() =>
            connection.ExecuteAsync("UPDATE audit SET actie = 'anders'")
        );
        var wissen = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => connection.ExecuteAsync("DELETE FROM audit"));

        Assert.Equal("WK002", wijzigen.SqlState);
        Assert.Equal("WK002", wissen.SqlState);
    }

    /// <summary>Every route the app has, from its own EndpointDataSource (so pages and endpoints
    /// added later are covered without touching this test), with a concrete path to request.</summary>
    private sealed record Route(string Pad, Endpoint Endpoint, bool IsPagina, IReadOnlyList<string> Methoden)
    {
        public bool Anoniem => Endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
        public bool ZonderAntiforgery =>
            Endpoint.Metadata.GetOrderedMetadata<Microsoft.AspNetCore.Mvc.ViewFeatures.IAntiforgeryPolicy>() is { Count: > 0 } policies
            && policies[^1] is IgnoreAntiforgeryTokenAttribute;
    }

    private List<Route> Routes()
    {
        var routes = new List<Route>();
        foreach (var endpoint in App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pad =
                "/"
                + string.Join(
                    "/",
                    endpoint.RoutePattern.PathSegments.Select(segment =>
                        string.Concat(
                            segment.Parts.Select(part =>
                                part switch
                                {
                                    RoutePatternLiteralPart literal => literal.Content,
                                    RoutePatternSeparatorPart separator => separator.Content,
                                    RoutePatternParameterPart parameter => VoorbeeldWaarde(parameter),
                                    _ => "",
                                }
                            )
                        )
                    )
                );
            var isPagina = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Mvc.Abstractions.ActionDescriptor>() is PageActionDescriptor;
            var methoden = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.ToList() ?? ["GET", "POST"];
            routes.Add(new Route(pad.TrimEnd('/') is { Length: > 0 } p ? p : "/", endpoint, isPagina, methoden));
        }
        return routes;
    }

    private static string VoorbeeldWaarde(RoutePatternParameterPart parameter) =>
        parameter.ParameterPolicies.Select(p => p.Content).FirstOrDefault() switch
        {
            "guid" => "0b0e7d2e-6a4f-4e55-9d7e-3f1f6a1c2b3d",
            "long" or "int" => "1",
            { } c when LengteBeperking().Match(c) is { Success: true } m => new string(
                'x',
                int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)
            ),
            _ => parameter.Name == "format" ? "json" : "x",
        };

    private static bool IsBeheer(Route route) => route.Pad.StartsWith("/beheer", StringComparison.OrdinalIgnoreCase);

    /// <summary>Would a staff member with exactly these roles pass the endpoint's combined policy?</summary>
    private async Task<bool> MagAsync(Route route, string[] rollen)
    {
        var provider = App.Services.GetRequiredService<IAuthorizationPolicyProvider>();
        var policy = await AuthorizationPolicy.CombineAsync(
            provider,
            route.Endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>(),
            route.Endpoint.Metadata.GetOrderedMetadata<AuthorizationPolicy>()
        );
        return policy is null
            || policy.Requirements.OfType<RolesAuthorizationRequirement>().All(r => r.AllowedRoles.Intersect(rollen).Any());
    }

    [Fact]
    public async Task Every_beheer_route_refuses_anonymous_visitors_and_staff_without_the_role()
    {
        await BeheerAccounts.MaakAsync(App.Services, "geenrol@heemstede.nl", "Gijs Geenrol");
        await BeheerAccounts.MaakAsync(App.Services, "organisator@heemstede.nl", "Olga Organisator", Rollen.Organisator);
        await BeheerAccounts.MaakAsync(App.Services, "wijkagent@heemstede.nl", "Wim Wijkagent", Rollen.Wijkprofessional);
        await BeheerAccounts.MaakAsync(App.Services, "beheerder@heemstede.nl", "Bea Beheerder", Rollen.Beheerder);
        var medewerkers = new (string[] Rollen, FormulierClient Client)[]
        {
            ([], await BeheerAccounts.IngelogdAsync(App, "geenrol@heemstede.nl")),
            ([Rollen.Organisator], await BeheerAccounts.IngelogdAsync(App, "organisator@heemstede.nl")),
            ([Rollen.Wijkprofessional], await BeheerAccounts.IngelogdAsync(App, "wijkagent@heemstede.nl")),
            ([Rollen.Beheerder], await BeheerAccounts.IngelogdAsync(App, "beheerder@heemstede.nl")),
        };
        var anoniem = Anoniem();
        var beheer = Routes().Where(IsBeheer).ToList();
        var beschermd = beheer.Where(r => !r.Anoniem).ToList();
        var fouten = new List<string>();
        var gevallen = 0;

        foreach (var route in beschermd)
        {
            foreach (var methode in route.Methoden.Where(m => m is "GET" or "POST"))
            {
                using var verzoek = new HttpRequestMessage(new HttpMethod(methode), route.Pad);
                if (methode == "POST")
                {
                    verzoek.Content = new FormUrlEncodedContent([new("x", "y")]);
                }
                // Headers only: a stream (the live list's server-sent events) never ends by itself.
                using var antwoord = await anoniem.SendAsync(verzoek, HttpCompletionOption.ResponseHeadersRead);
                gevallen++;
                var naarInloggen =
                    antwoord.StatusCode == HttpStatusCode.Redirect && antwoord.Headers.Location?.AbsolutePath == "/beheer/inloggen";
                if (!(naarInloggen || (!route.IsPagina && antwoord.StatusCode == HttpStatusCode.Unauthorized)))
                {
                    fouten.Add($"anonymous {methode} {route.Pad}: {(int)antwoord.StatusCode} {antwoord.Headers.Location}");
                }
            }
            foreach (var (rollen, client) in medewerkers)
            {
                var mag = await MagAsync(route, rollen);
                using var antwoord = await client.Http.GetAsync(route.Pad, HttpCompletionOption.ResponseHeadersRead);
                gevallen++;
                var status = (int)antwoord.StatusCode;
                var geweigerd = status is 401 or 403 || (status == 302 && antwoord.Headers.Location?.AbsolutePath == "/beheer/inloggen");
                if (mag == geweigerd || status >= 500)
                {
                    fouten.Add($"[{string.Join(",", rollen)}] GET {route.Pad}: {status}, expected {(mag ? "access" : "403")}");
                }
                if (!mag && status != 403)
                {
                    fouten.Add($"[{string.Join(",", rollen)}] GET {route.Pad}: {status}, expected exactly 403");
                }
            }
        }
        output.WriteLine(
            $"{beschermd.Count} protected /beheer routes ({string.Join(", ", beschermd.Select(r => r.Pad).Distinct())}); "
                + $"{gevallen} requests"
        );
        Assert.True(fouten.Count == 0, string.Join("\n", fouten));
        // The sweep saw the back office's main pages, its endpoints and each policy level.
        Assert.Contains(beschermd, r => r.Pad == "/beheer/medewerkers");
        Assert.Contains(beschermd, r => r.Pad == "/beheer/meldingen/kaart.geojson");
        Assert.Contains(beschermd, r => r.Pad == "/beheer");
    }

    [Fact]
    public async Task Every_page_form_post_without_the_antiforgery_token_is_refused_with_400()
    {
        await BeheerAccounts.MaakAsync(
            App.Services,
            "beheerder@heemstede.nl",
            "Bea Beheerder",
            Rollen.Wijkprofessional,
            Rollen.Organisator,
            Rollen.Beheerder
        );
        var beheerder = await BeheerAccounts.IngelogdAsync(App, "beheerder@heemstede.nl");
        var anoniem = Anoniem();
        var paginas = Routes().Where(r => r.IsPagina).ToList();
        var fouten = new List<string>();
        var overgeslagen = new List<string>();
        foreach (var route in paginas)
        {
            if (route.ZonderAntiforgery)
            {
                overgeslagen.Add(route.Pad);
                continue;
            }
            var client = IsBeheer(route) && !route.Anoniem ? beheerder.Http : anoniem;
            using var inhoud = new FormUrlEncodedContent([new("Email", "iemand@example.nl"), new("Naam", "Iemand")]);
            var antwoord = await client.PostAsync(route.Pad + "?handler=Opslaan", inhoud);
            if (antwoord.StatusCode != HttpStatusCode.BadRequest)
            {
                fouten.Add($"POST {route.Pad}: {(int)antwoord.StatusCode}");
            }
        }
        output.WriteLine(
            $"{paginas.Count - overgeslagen.Count} page routes posted without a token; "
                + $"without antiforgery by design: {string.Join(", ", overgeslagen)}"
        );
        Assert.True(fouten.Count == 0, string.Join("\n", fouten));
        Assert.Contains(paginas, r => r.Pad == "/melden");
        Assert.Contains(paginas, r => r.Pad == "/beheer/medewerkers");
    }

    [Fact]
    public async Task Every_api_write_refuses_a_missing_or_wrong_key_and_stores_nothing()
    {
        var schrijvend = Routes()
            .Where(r =>
                !r.IsPagina
                && !IsBeheer(r)
                && r.Endpoint.Metadata.GetMetadata<IHttpMethodMetadata>() is not null
                && r.Methoden.Any(m => m is "POST" or "PUT" or "PATCH" or "DELETE")
                // The category suggestion is a POST only to keep the typed text out of URLs and logs:
                // public, stores nothing (SuggestieTests), like the form it serves.
                && r.Pad != "/melden/suggestie"
            )
            .ToList();
        Assert.NotEmpty(schrijvend);
        var client = Anoniem();
        var fouten = new List<string>();
        foreach (var route in schrijvend)
        {
            foreach (var sleutel in new string?[] { null, "", "ongeldige-sleutel", "' OR 1=1 --" })
            {
                var velden = new Dictionary<string, string>
                {
                    ["service_code"] = "parkeeroverlast",
                    ["lat"] = TestGemeente.PlekTekst(52.3524, 4.6192).Lat,
                    ["long"] = TestGemeente.PlekTekst(52.3524, 4.6192).Lon,
                    ["description"] = "Zonder sleutel geparkeerd.",
                };
                if (sleutel is not null)
                {
                    velden["api_key"] = sleutel;
                }
                foreach (var methode in route.Methoden.Where(m => m != "GET" && m != "HEAD"))
                {
                    using var verzoek = new HttpRequestMessage(new HttpMethod(methode), route.Pad)
                    {
                        Content = new FormUrlEncodedContent(velden),
                    };
                    var antwoord = await client.SendAsync(verzoek);
                    // Open311 GeoReport v2 answers a missing or invalid api_key with 403.
                    if (antwoord.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden))
                    {
                        fouten.Add($"{methode} {route.Pad} api_key={sleutel ?? "(none)"}: {(int)antwoord.StatusCode}");
                    }
                }
            }
        }
        output.WriteLine($"API writes: {string.Join(", ", schrijvend.Select(r => string.Join("/", r.Methoden) + " " + r.Pad))}");
        Assert.True(fouten.Count == 0, string.Join("\n", fouten));
        Assert.Contains(schrijvend, r => r.Pad == "/open311/v2/requests.json");
        await using var connection = await DataSource.OpenConnectionAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM melding"));
    }

    [GeneratedRegex(@"^(?:min)?length\((\d+)")]
    private static partial Regex LengteBeperking();

    [GeneratedRegex(@"http://\S+/beheer/wachtwoord/\S+")]
    private static partial Regex LinkPattern();
}
