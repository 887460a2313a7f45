using System.Net;
using System.Text.Json;
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
        // Boundaries are reference data: only the owner role may remove them.
        await using (var connection = await EigenaarDataSource.OpenConnectionAsync())
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

    private const string Onbereikbaar = "Host=127.0.0.1;Port=1;Username=postgres;Database=x;Timeout=2";

    private static async Task<(HttpStatusCode Status, JsonElement Body)> Vraag(WijkAppFactory app, string pad)
    {
        var response = await app.CreateClient().GetAsync(pad);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("Exception", body);
        return (response.StatusCode, JsonDocument.Parse(body).RootElement);
    }

    private static Dictionary<string, string> Checks(JsonElement body) =>
        body.GetProperty("checks")
            .EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("status").GetString()!);

    [Fact]
    public async Task Ready_when_database_migrations_and_boundaries_are_there_and_live_asks_nothing()
    {
        await using var app = new WijkAppFactory(Database.ConnectionString);

        var (ready, readyBody) = await Vraag(app, "/health/ready");
        var (live, liveBody) = await Vraag(app, "/health/live");
        var (health, healthBody) = await Vraag(app, "/health");

        Assert.Equal(HttpStatusCode.OK, ready);
        Assert.Equal(new Dictionary<string, string> { ["database"] = "Healthy", ["migraties"] = "Healthy" }, Checks(readyBody));
        Assert.Equal(HttpStatusCode.OK, live);
        Assert.Equal("Healthy", liveBody.GetProperty("status").GetString());
        Assert.Empty(Checks(liveBody));
        // /health stays what it was: the database check only.
        Assert.Equal(HttpStatusCode.OK, health);
        Assert.Equal(["database"], Checks(healthBody).Keys);
    }

    [Fact]
    public async Task Live_but_not_ready_when_the_database_is_unreachable()
    {
        await using var app = new WijkAppFactory(Onbereikbaar, new Dictionary<string, string?> { ["Database:MigrateOnStartup"] = "false" });

        var (ready, readyBody) = await Vraag(app, "/health/ready");
        var (live, _) = await Vraag(app, "/health/live");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready);
        Assert.Equal("Unhealthy", readyBody.GetProperty("status").GetString());
        Assert.Equal(new Dictionary<string, string> { ["database"] = "Unhealthy", ["migraties"] = "Unhealthy" }, Checks(readyBody));
        Assert.Equal(HttpStatusCode.OK, live);
    }

    [Fact]
    public async Task Not_ready_when_a_shipped_migration_is_not_applied_while_health_stays_as_it_was()
    {
        await using (var connection = await EigenaarDataSource.OpenConnectionAsync())
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "DELETE FROM schema_migraties WHERE name = 'V55__kaart_viewport_indexen.sql'";
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }
        await using var app = new WijkAppFactory(
            Database.ConnectionString,
            new Dictionary<string, string?> { ["Database:MigrateOnStartup"] = "false" }
        );

        var response = await app.CreateClient().GetAsync("/health/ready");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("V55__kaart_viewport_indexen.sql", body);
        Assert.Equal("Healthy", Checks(JsonDocument.Parse(body).RootElement)["database"]);
        Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task Not_ready_without_boundaries()
    {
        // Boundaries are reference data: only the owner role may remove them.
        await using (var connection = await EigenaarDataSource.OpenConnectionAsync())
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "TRUNCATE buurt CASCADE";
            await command.ExecuteNonQueryAsync();
        }
        await using var app = new WijkAppFactory(
            Database.ConnectionString,
            new Dictionary<string, string?> { ["Database:MigrateOnStartup"] = "false" }
        );

        var response = await app.CreateClient().GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("buurtgrenzen ontbreken", await response.Content.ReadAsStringAsync());
    }

    /// <summary>A database of its own that is stopped and started under a running portal: ready
    /// follows it (503 while down, 200 again after), live stays 200 throughout.</summary>
    [Fact]
    public async Task Ready_follows_a_database_that_stops_and_starts_again()
    {
        await using var cluster = await EigenCluster.StartAsync();
        await using var app = new WijkAppFactory(cluster.ConnectionString + ";Timeout=3");

        Assert.Equal(HttpStatusCode.OK, (await Vraag(app, "/health/ready")).Status);

        await cluster.StopDatabaseAsync();
        var (ready, readyBody) = await Vraag(app, "/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready);
        Assert.Equal("Unhealthy", Checks(readyBody)["database"]);
        Assert.Equal(HttpStatusCode.OK, (await Vraag(app, "/health/live")).Status);

        await cluster.StartDatabaseAsync();
        // Pooled connections from before the stop are found broken on first use: allow a few tries.
        var klok = System.Diagnostics.Stopwatch.StartNew();
        HttpStatusCode status;
        do
        {
            status = (await Vraag(app, "/health/ready")).Status;
            if (status != HttpStatusCode.OK)
            {
                await Task.Delay(250);
            }
        } while (status != HttpStatusCode.OK && klok.Elapsed < TimeSpan.FromSeconds(20));
        Assert.Equal(HttpStatusCode.OK, status);
    }
}
