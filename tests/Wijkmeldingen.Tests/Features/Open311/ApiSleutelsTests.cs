using System.Net;
using Dapper;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Tests.Features.Open311;

/// <summary>/beheer/api-sleutels: a beheerder makes an Open311 key (shown once, stored hashed) and
/// withdraws it; the API follows at once; others are refused; both actions are audited.</summary>
public sealed class ApiSleutelsTests : AppTest
{
    private async Task<HttpStatusCode> PostMelding(string sleutel)
    {
        using var inhoud = new FormUrlEncodedContent(
            new Dictionary<string, string>
            {
                ["api_key"] = sleutel,
                ["service_code"] = "parkeeroverlast",
                ["lat"] = TestGemeente.PlekTekst(52.3524, 4.6192).Lat,
                ["long"] = TestGemeente.PlekTekst(52.3524, 4.6192).Lon,
                ["description"] = $"Auto op de stoep {Guid.NewGuid()}",
            }
        );
        return (await App.CreateClient().PostAsync("/open311/v2/requests.json", inhoud)).StatusCode;
    }

    [Fact]
    public async Task A_beheerder_makes_and_withdraws_a_key_and_the_api_follows()
    {
        await BeheerAccounts.MaakAsync(App.Services, "beheerder@heemstede.nl", "Bea Beheerder", Rollen.Beheerder);
        await BeheerAccounts.MaakAsync(App.Services, "wijkagent@heemstede.nl", "Wim Wijkagent", Rollen.Wijkprofessional);
        var beheerder = await BeheerAccounts.IngelogdAsync(App, "beheerder@heemstede.nl");
        var wijkagent = await BeheerAccounts.IngelogdAsync(App, "wijkagent@heemstede.nl");

        Assert.Equal(HttpStatusCode.Forbidden, (await wijkagent.Http.GetAsync("/beheer/api-sleutels")).StatusCode);
        var pagina = await beheerder.OpenAsync("/beheer/api-sleutels");
        var leeg = await beheerder.PostAsync("/beheer/api-sleutels?handler=Maak", pagina.Token, [new("Naam", " ")]);
        var gemaakt = await beheerder.PostAsync("/beheer/api-sleutels?handler=Maak", pagina.Token, [new("Naam", "BuitenBeter-app")]);
        var getoond = await beheerder.Http.GetStringAsync("/beheer/api-sleutels");
        var sleutel = System
            .Text.RegularExpressions.Regex.Match(getoond, "<code id=\"sleutel\">(wm_[A-Za-z0-9_-]+)</code>")
            .Groups[1]
            .Value;
        var nogmaals = await beheerder.Http.GetStringAsync("/beheer/api-sleutels");

        Assert.Equal(HttpStatusCode.BadRequest, leeg.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, gemaakt.StatusCode);
        Assert.NotEmpty(sleutel);
        Assert.DoesNotContain(sleutel, nogmaals);
        Assert.Equal(HttpStatusCode.OK, await PostMelding(sleutel));

        await using var connection = await DataSource.OpenConnectionAsync();
        var id = await connection.QuerySingleAsync<long>("SELECT id FROM api_sleutel WHERE naam = 'BuitenBeter-app'");
        // Only the SHA-256 of the key is stored, never the key itself.
        Assert.True(
            await connection.ExecuteScalarAsync<bool>(
                """
                SELECT sleutel_hash = sha256(convert_to(@sleutel, 'UTF8')) AND octet_length(sleutel_hash) = 32
                FROM api_sleutel WHERE id = @id
                """,
                new { sleutel, id }
            )
        );
        var lijst = await beheerder.OpenAsync("/beheer/api-sleutels");
        Assert.Contains("BuitenBeter-app", lijst.Html);
        var ingetrokken = await beheerder.PostAsync($"/beheer/api-sleutels?handler=Intrekken&id={id}", lijst.Token, []);

        Assert.Equal(HttpStatusCode.Redirect, ingetrokken.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, await PostMelding(sleutel));
        Assert.Equal(
            ["api-sleutel-gemaakt", "api-sleutel-ingetrokken"],
            (await connection.QueryAsync<string>("SELECT actie FROM audit WHERE actie LIKE 'api-sleutel-%' ORDER BY id")).ToList()
        );
    }
}
