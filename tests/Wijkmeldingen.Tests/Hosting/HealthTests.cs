using System.Net;
using Wijkmeldingen.Testing;

namespace Wijkmeldingen.Tests.Hosting;

public sealed class HealthTests : DatabaseTest
{
    [Fact]
    public async Task Healthy_when_postgis_answers_and_boundaries_are_loaded()
    {
        await using var app = new WijkAppFactory(Database.ConnectionString);

        var response = await app.CreateClient().GetAsync("/health");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"status\":\"Healthy\"", body);
        Assert.Contains("PostGIS 3", body);
    }

    [Fact]
    public async Task Unhealthy_503_without_details_when_the_database_is_unreachable()
    {
        // A port nobody listens on: the app starts (no start-up migration) but cannot reach a database.
        await using var app = new WijkAppFactory(
            "Host=127.0.0.1;Port=1;Username=postgres;Database=x;Timeout=2",
            new Dictionary<string, string?> { ["Database:MigrateOnStartup"] = "false" }
        );

        var response = await app.CreateClient().GetAsync("/health");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("\"status\":\"Unhealthy\"", body);
        Assert.Contains("Database niet bereikbaar", body);
        Assert.DoesNotContain("Exception", body);
        Assert.DoesNotContain("at Npgsql", body);
    }

    [Fact]
    public async Task Unhealthy_when_the_database_has_no_boundaries()
    {
        await using (var connection = await DataSource.OpenConnectionAsync())
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "TRUNCATE buurt CASCADE";
            await command.ExecuteNonQueryAsync();
        }
        await using var app = new WijkAppFactory(
            Database.ConnectionString,
            new Dictionary<string, string?> { ["Database:MigrateOnStartup"] = "false" }
        );

        var response = await app.CreateClient().GetAsync("/health");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("buurtgrenzen ontbreken", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_page_that_needs_the_database_answers_503_in_dutch_when_it_is_down()
    {
        await using var app = new WijkAppFactory(
            "Host=127.0.0.1;Port=1;Username=postgres;Database=x;Timeout=2",
            new Dictionary<string, string?> { ["Database:MigrateOnStartup"] = "false" }
        );

        var response = await app.CreateClient().GetAsync("/kaart");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("Tijdelijk niet beschikbaar", html);
        Assert.DoesNotContain("Npgsql", html);
    }
}
