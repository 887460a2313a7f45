using System.Diagnostics;
using System.Net;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Data;

namespace Wijkmeldingen.Tests.Data;

/// <summary>
/// The portal with <c>ConnectionStrings:Lezen</c> pointing at a real streaming replica of the test
/// cluster (started by <c>infra/wijk test</c> with pg_basebackup -R, WIJK_TEST_REPLICA_SERVER). A
/// report filed through the portal goes to the primary; the public map, read from the replica, shows
/// it once the replica has replayed it — and not while replay is paused, which proves the map
/// really reads from the replica.
/// </summary>
public sealed class LeesReplicaTests : AppTest
{
    private static string ReplicaServer =>
        Environment.GetEnvironmentVariable("WIJK_TEST_REPLICA_SERVER") is { Length: > 0 } server
            ? server
            : throw new InvalidOperationException(
                "WIJK_TEST_REPLICA_SERVER is not set: run the tests with `infra/wijk test`, "
                    + "which starts a streaming replica of the test cluster."
            );

    private static readonly string Bbox = TestGemeente.Bbox(4.58, 52.32, 4.65, 52.37);

    [Fact]
    public async Task Reports_filed_on_the_primary_reach_the_public_map_through_the_replica()
    {
        // The superuser's (pausing replay needs it); the portal reads as the app role (the roles and
        // their privileges are replayed too).
        var replica = new NpgsqlConnectionStringBuilder(ReplicaServer) { Database = Database.Name, Pooling = false }.ConnectionString;
        await WachtAsync(
            async () =>
            {
                try
                {
                    await using var c = new NpgsqlConnection(replica);
                    await c.OpenAsync();
                    return await c.ExecuteScalarAsync<bool>("SELECT pg_is_in_recovery() AND to_regclass('melding') IS NOT NULL");
                }
                catch (PostgresException e) when (e.SqlState == "3D000")
                {
                    return false; // the cloned database has not been replayed yet
                }
            },
            "the test database to appear on the replica"
        );

        await using var app = new WijkAppFactory(
            Database.ConnectionString,
            new Dictionary<string, string?>
            {
                ["ConnectionStrings:Lezen"] = new NpgsqlConnectionStringBuilder(TestRollen.Als(replica, TestRollen.App))
                {
                    Pooling = true,
                }.ConnectionString,
                ["Melden:RateLimietAantal"] = "1000",
            }
        );
        var lezen = app.Services.GetRequiredService<LeesDatabase>();
        Assert.True(lezen.IsReplica);
        await using (var c = await lezen.Bron.OpenConnectionAsync())
        {
            Assert.True(await c.ExecuteScalarAsync<bool>("SELECT pg_is_in_recovery()"));
        }
        var client = new FormulierClient(app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }));

        // Pause replay on the replica: what is filed now is on the primary only.
        await using var beheer = new NpgsqlConnection(replica);
        await beheer.OpenAsync();
        await beheer.ExecuteAsync("SELECT pg_wal_replay_pause()");
        try
        {
            var code = await MeldAsync(client, "Replica: bestelbus staat al dagen op het trottoir " + Guid.NewGuid().ToString("N")[..8]);
            await using (var primair = await DataSource.OpenConnectionAsync())
            {
                Assert.Equal(
                    1,
                    await primair.ExecuteScalarAsync<long>("SELECT count(*) FROM melding WHERE volgcode = @code", new { code })
                );
            }
            Assert.DoesNotContain(code, await client.Http.GetStringAsync($"/kaart/meldingen.geojson?bbox={Bbox}&zoom=17"));

            // The portal keeps serving its read pages from the (lagging) replica.
            foreach (
                var pad in new[]
                {
                    "/kaart",
                    "/wijken",
                    "/kaart/grenzen.geojson?niveau=buurt",
                    "/open311/v2/services.json",
                    "/open311/v2/requests.json",
                    "/opendata/meldingen.csv",
                }
            )
            {
                var antwoord = await client.Http.GetAsync(pad);
                Assert.True(antwoord.StatusCode == HttpStatusCode.OK, $"{pad}: {(int)antwoord.StatusCode}");
            }

            await beheer.ExecuteAsync("SELECT pg_wal_replay_resume()");
            var klok = Stopwatch.StartNew();
            await WachtAsync(
                async () =>
                    (await client.Http.GetStringAsync($"/kaart/meldingen.geojson?bbox={Bbox}&zoom=17")).Contains(
                        code,
                        StringComparison.Ordinal
                    ),
                "the report to appear on the public map via the replica"
            );
            Assert.Contains(code, await client.Http.GetStringAsync($"/open311/v2/requests/{code}.json"));
            Assert.True(klok.Elapsed < TimeSpan.FromSeconds(30));
        }
        finally
        {
            await beheer.ExecuteAsync("SELECT pg_wal_replay_resume()");
        }
    }

    private async Task<string> MeldAsync(FormulierClient client, string omschrijving)
    {
        var pagina = await client.OpenAsync("/melden");
        var antwoord = await client.PostAsync(
            "/melden",
            pagina.Token,
            new Dictionary<string, string>
            {
                ["Invoer.Lat"] = TestGemeente.PlekTekst(52.3524, 4.6192).Lat,
                ["Invoer.Lon"] = TestGemeente.PlekTekst(52.3524, 4.6192).Lon,
                ["Invoer.Rubriek"] = "parkeeroverlast",
                ["Invoer.Omschrijving"] = omschrijving,
                ["Invoer.IdempotentieSleutel"] = pagina.IdempotentieSleutel ?? Guid.NewGuid().ToString(),
            }
        );
        Assert.Equal(HttpStatusCode.Redirect, antwoord.StatusCode);
        await using var connection = await DataSource.OpenConnectionAsync();
        return await connection.QuerySingleAsync<string>(
            "SELECT volgcode FROM melding WHERE omschrijving = @omschrijving",
            new { omschrijving }
        );
    }

    private static async Task WachtAsync(Func<Task<bool>> klaar, string wat)
    {
        var klok = Stopwatch.StartNew();
        while (!await klaar())
        {
            if (klok.Elapsed > TimeSpan.FromSeconds(60))
            {
                Assert.Fail($"timed out after 60 s waiting for {wat}");
            }
            await Task.Delay(100);
        }
    }
}
