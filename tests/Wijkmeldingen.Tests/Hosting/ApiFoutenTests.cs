using System.Net;
using System.Text.Json;
using Wijkmeldingen.Testing;

namespace Wijkmeldingen.Tests.Hosting;

/// <summary>Errors of the JSON and GeoJSON endpoints are ProblemDetails; Open311 keeps its own
/// error form; HTML pages keep the HTML error page.</summary>
public sealed class ApiFoutenTests : AppTest
{
    private static async Task<JsonElement> AssertProblem(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        Assert.Matches("^00-[0-9a-f]{32}-", problem.GetProperty("traceId").GetString());
        Assert.DoesNotContain("Exception", body);
        return problem;
    }

    [Theory]
    [InlineData("/adres/bestaat-niet")]
    [InlineData("/kaart/bestaat-niet.geojson")]
    [InlineData("/wijken/bestaat-niet.geojson")]
    [InlineData("/kaart/meldingen.json")]
    public async Task An_unknown_route_under_a_json_path_is_a_404_problem(string pad)
    {
        var problem = await AssertProblem(await App.CreateClient().GetAsync(pad), HttpStatusCode.NotFound);

        Assert.Equal("Niet gevonden", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task A_wrong_method_and_bad_parameters_are_problems_too()
    {
        var client = App.CreateClient();

        await AssertProblem(await client.PostAsync("/kaart/grenzen.geojson", new StringContent("")), HttpStatusCode.MethodNotAllowed);
        var niveau = await AssertProblem(await client.GetAsync("/kaart/grenzen.geojson?niveau=provincie"), HttpStatusCode.BadRequest);
        Assert.Contains("niveau=gemeente", niveau.GetProperty("detail").GetString());
        await AssertProblem(await client.GetAsync("/adres/suggest?q=%00"), HttpStatusCode.BadRequest);
        await AssertProblem(await client.GetAsync("/kaart/meldingen.geojson?bbox=nonsens"), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_database_that_is_down_is_a_503_problem_for_geojson_and_the_html_page_for_pages()
    {
        await using var app = new WijkAppFactory(
            "Host=127.0.0.1;Port=1;Username=postgres;Database=x;Timeout=2",
            new Dictionary<string, string?> { ["Database:MigrateOnStartup"] = "false" }
        );

        var response = await app.CreateClient().GetAsync("/kaart/grenzen.geojson");
        var problem = await AssertProblem(response, HttpStatusCode.ServiceUnavailable);
        Assert.Equal("Tijdelijk niet beschikbaar", problem.GetProperty("title").GetString());
        Assert.True(response.Headers.RetryAfter is not null);

        var pagina = await app.CreateClient().GetAsync("/kaart");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, pagina.StatusCode);
        Assert.Equal("text/html", pagina.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("json")]
    [InlineData("xml")]
    public async Task Open311_keeps_its_own_error_form_for_an_unknown_route(string formaat)
    {
        var response = await App.CreateClient().GetAsync($"/open311/v2/bestaat-niet.{formaat}");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        if (formaat == "json")
        {
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            var fout = Assert.Single(JsonDocument.Parse(body).RootElement.EnumerateArray());
            Assert.Equal(404, fout.GetProperty("code").GetInt32());
        }
        else
        {
            Assert.Equal("text/xml", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("<code>404</code>", body);
        }
    }

    [Fact]
    public async Task Html_pages_keep_the_html_error_page()
    {
        var response = await App.CreateClient().GetAsync("/bestaat-niet");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }
}
