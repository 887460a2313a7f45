using System.Net;
using System.Text.Json;
using Dapper;
using Wijkmeldingen.Testing;

namespace Wijkmeldingen.Tests.Geo;

/// <summary>GET /adres/suggest (PDOK Locatieserver's shape) and GET /adres/omgekeerd over the real app.</summary>
public sealed class AdresEndpointsTests : AppTest
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await TestAdressen.ImportAsync(EigenaarDataSource);
    }

    [Fact]
    public async Task Suggest_answers_exactly_in_the_pdok_shape()
    {
        var client = App.CreateClient();

        var response = await client.GetAsync("/adres/suggest?q=Teststraat%2012");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["response"], json.RootElement.EnumerateObject().Select(p => p.Name));
        var envelope = json.RootElement.GetProperty("response");
        Assert.Equal(["numFound", "docs"], envelope.EnumerateObject().Select(p => p.Name));
        var docs = envelope.GetProperty("docs").EnumerateArray().ToList();
        Assert.Equal(docs.Count, envelope.GetProperty("numFound").GetInt32());
        Assert.NotEmpty(docs);
        foreach (var doc in docs)
        {
            Assert.Equal(
                ["id", "type", "weergavenaam", "centroide_ll", "wijkcode", "buurtcode"],
                doc.EnumerateObject().Select(p => p.Name)
            );
            Assert.Matches(TestAdressen.PuntPatroon, doc.GetProperty("centroide_ll").GetString());
        }
        var eerste = docs[0];
        Assert.Equal("adres-TEST000000000003", eerste.GetProperty("id").GetString());
        Assert.Equal("adres", eerste.GetProperty("type").GetString());
        Assert.Equal($"Teststraat 12, {TestAdressen.Postcode} {TestAdressen.Woonplaats}", eerste.GetProperty("weergavenaam").GetString());
        Assert.Equal(TestAdressen.Teststraat12Punt, eerste.GetProperty("centroide_ll").GetString());
        Assert.Equal(TestAdressen.Wijk, eerste.GetProperty("wijkcode").GetString());
        Assert.Equal(TestAdressen.Buurt, eerste.GetProperty("buurtcode").GetString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("?q=")]
    [InlineData("?q=T")]
    [InlineData("?q=%20%202%20")]
    public async Task Too_short_a_query_gives_no_docs(string query)
    {
        var client = App.CreateClient();

        var json = await client.GetStringAsync("/adres/suggest" + query);

        Assert.Equal("""{"response":{"numFound":0,"docs":[]}}""", json);
    }

    [Fact]
    public async Task Nothing_is_found_for_a_place_elsewhere()
    {
        var client = App.CreateClient();

        var json = await client.GetStringAsync("/adres/suggest?q=Amsterdam");

        Assert.Equal("""{"response":{"numFound":0,"docs":[]}}""", json);
    }

    [Fact]
    public async Task Rows_limits_the_number_of_docs()
    {
        var client = App.CreateClient();

        using var json = JsonDocument.Parse(await client.GetStringAsync("/adres/suggest?q=Teststraat%201&rows=2"));

        Assert.Equal(2, json.RootElement.GetProperty("response").GetProperty("numFound").GetInt32());
    }

    [Fact]
    public async Task Too_long_a_query_is_a_dutch_problem()
    {
        var client = App.CreateClient();

        var response = await client.GetAsync("/adres/suggest?q=" + new string('a', 101));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Zoekterm te lang", body);
    }

    [Fact]
    public async Task Omgekeerd_names_the_nearest_address()
    {
        var client = App.CreateClient();

        var (lat, lon) = TestAdressen.BijTeststraat2;

        var json = await client.GetStringAsync(FormattableString.Invariant($"/adres/omgekeerd?lat={lat}&lon={lon}"));

        Assert.Equal(OmgekeerdJson($"Teststraat 2, {TestAdressen.Woonplaats}", TestAdressen.Buurt, TestAdressen.Wijk), json);
    }

    [Fact]
    public async Task Omgekeerd_names_the_buurt_where_no_address_is_near()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        var (lon, lat) = await connection.QuerySingleAsync<(double, double)>(
            "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_Transform(ST_PointOnSurface(geom), 4326) AS p FROM buurt WHERE code = @code) x",
            new { code = TestAdressen.LegeBuurt }
        );
        var client = App.CreateClient();

        var json = await client.GetStringAsync(FormattableString.Invariant($"/adres/omgekeerd?lat={lat}&lon={lon}"));

        Assert.Equal(OmgekeerdJson("in de buurt " + TestAdressen.LegeBuurtNaam, TestAdressen.LegeBuurt, TestAdressen.LegeBuurtWijk), json);
    }

    [Fact]
    public async Task Omgekeerd_says_when_a_point_is_outside_the_municipality()
    {
        var client = App.CreateClient();

        using var json = JsonDocument.Parse(await client.GetStringAsync("/adres/omgekeerd?lat=52.3731&lon=4.8926"));

        Assert.False(json.RootElement.GetProperty("binnenGemeente").GetBoolean());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("buurtcode").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("wijkcode").ValueKind);
    }

    [Theory]
    [InlineData("lat=abc&lon=4.6")]
    [InlineData("lat=52,35&lon=4,61")]
    [InlineData("lat=91&lon=4.6")]
    [InlineData("lat=52.35&lon=NaN")]
    [InlineData("lon=4.6")]
    public async Task Omgekeerd_with_bad_numbers_is_a_dutch_problem(string query)
    {
        var client = App.CreateClient();

        var response = await client.GetAsync("/adres/omgekeerd?" + query);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Ongeldige coördinaten", body);
    }

    /// <summary>The exact answer of /adres/omgekeerd for a place inside the municipality.</summary>
    private static string OmgekeerdJson(string weergavenaam, string buurt, string wijk) =>
        $$"""{"weergavenaam":"{{weergavenaam}}","buurtcode":"{{buurt}}","wijkcode":"{{wijk}}","binnenGemeente":true}""";
}
