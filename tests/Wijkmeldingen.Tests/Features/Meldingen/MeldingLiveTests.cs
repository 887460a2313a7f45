using System.Net;
using System.Net.ServerSentEvents;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Data;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Tests.Features.Meldingen;

/// <summary>The live triage list's bus over a real PostgreSQL: two web nodes on one database, staff
/// reading the event stream of one while reports are filed and changed through the other, the
/// listener's connection killed under it, and the stream closed to anyone without the triage role.</summary>
public sealed class MeldingLiveTests : DatabaseTest
{
    private static readonly TimeSpan Wachttijd = TimeSpan.FromSeconds(20);

    private WijkAppFactory knoopA = null!;
    private WijkAppFactory knoopB = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        knoopA = new WijkAppFactory(Database.ConnectionString);
        knoopB = new WijkAppFactory(Database.ConnectionString);
        await BeheerAccounts.MaakAsync(knoopA.Services, "wijkagent@heemstede.nl", "Wim Wijkagent", Rollen.Wijkprofessional);
    }

    public override async Task DisposeAsync()
    {
        await knoopA.DisposeAsync();
        await knoopB.DisposeAsync();
        await base.DisposeAsync();
    }

    /// <summary>The stream of node A as the signed-in staff member reads it: events as they come.</summary>
    private sealed class Stroom(HttpResponseMessage antwoord, IAsyncEnumerator<SseItem<string>> items) : IAsyncDisposable
    {
        public HttpResponseMessage Antwoord => antwoord;

        /// <summary>The next 'melding' event whose payload satisfies <paramref name="past"/>, skipping pings.</summary>
        public async Task<JsonElement> VolgendeAsync(Func<JsonElement, bool> past)
        {
            using var klok = new CancellationTokenSource(Wachttijd);
            while (true)
            {
                var volgende = items.MoveNextAsync().AsTask();
                if (await Task.WhenAny(volgende, Task.Delay(Timeout.Infinite, klok.Token)) != volgende)
                {
                    throw new Xunit.Sdk.XunitException($"no matching event within {Wachttijd.TotalSeconds} s");
                }
                Assert.True(await volgende, "the stream ended");
                if (items.Current.EventType != "melding")
                {
                    continue;
                }
                var json = JsonDocument.Parse(items.Current.Data).RootElement.Clone();
                if (past(json))
                {
                    return json;
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await items.DisposeAsync();
            antwoord.Dispose();
        }
    }

    private static async Task<Stroom> OpenStroomAsync(HttpClient http)
    {
        var antwoord = await http.GetAsync("/beheer/meldingen/live", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, antwoord.StatusCode);
        Assert.Equal("text/event-stream", antwoord.Content.Headers.ContentType?.MediaType);
        var body = await antwoord.Content.ReadAsStreamAsync();
        var items = SseParser.Create(body).EnumerateAsync().GetAsyncEnumerator();
        // The stream opens with a ping: from then on this page is subscribed.
        Assert.True(await items.MoveNextAsync());
        Assert.Equal("ping", items.Current.EventType);
        return new Stroom(antwoord, items);
    }

    private static bool Noemt(JsonElement bericht, long id) =>
        bericht.TryGetProperty("ids", out var ids) && ids.EnumerateArray().Any(i => i.GetInt64() == id);

    private static async Task WachtTotLuistertAsync(WijkAppFactory knoop)
    {
        var live = knoop.Services.GetRequiredService<MeldingLive>();
        for (var i = 0; i < 200 && !live.Luistert; i++)
        {
            await Task.Delay(100);
        }
        Assert.True(live.Luistert, "the listener did not connect");
    }

    [Fact]
    public async Task A_report_filed_and_changed_through_one_node_reaches_the_staff_list_of_the_other()
    {
        var wijkagentA = await BeheerAccounts.IngelogdAsync(knoopA, "wijkagent@heemstede.nl");
        var wijkagentB = await BeheerAccounts.IngelogdAsync(knoopB, "wijkagent@heemstede.nl");
        await WachtTotLuistertAsync(knoopA);
        await using var stroom = await OpenStroomAsync(wijkagentA.Http);

        // Filed through node B's write path (the database is the bus, not the node).
        var melding = await Een.Melding(DataSource).Rubriek("jeugdoverlast").Met("Groep jongeren bij het speelveld.").OpgeslagenAsync();
        var nieuw = await stroom.VolgendeAsync(b => Noemt(b, melding.Id));
        Assert.Equal("insert", nieuw.GetProperty("soort").GetString());
        Assert.Equal(1, nieuw.GetProperty("aantal").GetInt32());

        // A status change made by a colleague on node B's report page.
        var pagina = await wijkagentB.OpenAsync($"/beheer/meldingen/{melding.Id}");
        var antwoord = await wijkagentB.PostAsync(
            $"/beheer/meldingen/{melding.Id}?handler=Status",
            pagina.Token,
            [new("Huidig", "gemeld"), new("NaarStatus", "in-behandeling"), new("Tekst", "")]
        );
        Assert.Equal(HttpStatusCode.Redirect, antwoord.StatusCode);
        var gewijzigd = await stroom.VolgendeAsync(b => Noemt(b, melding.Id) && b.GetProperty("soort").GetString() == "update");
        Assert.Equal("update", gewijzigd.GetProperty("soort").GetString());

        // And node A's list, fetched again as the page does on that event, shows the new status.
        var lijst = await wijkagentA.Http.GetStringAsync("/beheer/meldingen?status=in-behandeling");
        Assert.Contains($"data-id=\"{melding.Id}\"", lijst);
    }

    [Fact]
    public async Task A_bulk_insert_is_one_event_naming_at_most_a_hundred_ids_and_the_count()
    {
        var wijkagent = await BeheerAccounts.IngelogdAsync(knoopA, "wijkagent@heemstede.nl");
        await WachtTotLuistertAsync(knoopA);
        await using var stroom = await OpenStroomAsync(wijkagent.Http);
        await using var connection = await DataSource.OpenConnectionAsync();

        // Raw on purpose: one statement of 250 rows is what a bulk load does; the write path files one at a time.
        await connection.ExecuteAsync(
            """
            INSERT INTO melding (rubriek_id, omschrijving, locatie, status)
            SELECT (SELECT id FROM rubriek WHERE code = 'parkeeroverlast'), 'Bulk ' || i,
                   ST_Translate(ST_PointOnSurface((SELECT geom FROM buurt ORDER BY code LIMIT 1)), i % 10, i % 7), 'gemeld'
            FROM generate_series(1, 250) i
            """
        );

        var bulk = await stroom.VolgendeAsync(b => b.GetProperty("soort").GetString() == "insert");
        Assert.Equal(250, bulk.GetProperty("aantal").GetInt32());
        Assert.Equal(100, bulk.GetProperty("ids").GetArrayLength());
    }

    [Fact]
    public async Task After_its_connection_is_killed_the_listener_reconnects_tells_the_pages_to_refresh_and_hears_again()
    {
        var wijkagent = await BeheerAccounts.IngelogdAsync(knoopA, "wijkagent@heemstede.nl");
        await WachtTotLuistertAsync(knoopA);
        await using var stroom = await OpenStroomAsync(wijkagent.Http);
        await using var connection = await DataSource.OpenConnectionAsync();

        var gestopt = await connection.ExecuteScalarAsync<int>(
            """
            SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
            WHERE datname = current_database() AND query = 'LISTEN melding_live' AND pid <> pg_backend_pid()
            """
        );
        Assert.Equal(1, gestopt);

        var verbonden = await stroom.VolgendeAsync(b => b.GetProperty("soort").GetString() == "verbonden");
        Assert.Equal("verbonden", verbonden.GetProperty("soort").GetString());
        var melding = await Een.Melding(DataSource).Met("Na het herstel gemeld.").OpgeslagenAsync();
        await stroom.VolgendeAsync(b => Noemt(b, melding.Id));
    }

    [Fact]
    public async Task The_listener_stops_listening_before_its_connection_goes_back_to_the_pool()
    {
        // One connection in the pool, so the connection opened after the listener stops is its own:
        // pooled connections are not reset on return, and one that still listened would hold up the
        // server's notification queue.
        await using var bron = Wijkmeldingen.Web.Data.Database.CreateDataSource(
            Database.ConnectionString + ";Maximum Pool Size=1;Application Name=wijkmeldingen-test-pool",
            TestDatabase.Opties()
        );
        var live = new MeldingLive(bron, Microsoft.Extensions.Logging.Abstractions.NullLogger<MeldingLive>.Instance);
        await live.StartAsync(CancellationToken.None);
        var tot = DateTime.UtcNow + Wachttijd;
        while (!live.Luistert && DateTime.UtcNow < tot)
        {
            await Task.Delay(50);
        }
        Assert.True(live.Luistert);
        await live.StopAsync(CancellationToken.None);
        live.Dispose();

        await using var connection = await bron.OpenConnectionAsync();
        Assert.Empty(await connection.QueryAsync<string>("SELECT pg_listening_channels()"));
        Assert.Equal(
            1,
            await connection.ExecuteScalarAsync<int>(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'wijkmeldingen-test-pool'"
            )
        );
    }

    [Fact]
    public async Task A_filing_notifies_once_after_its_commit_and_its_transaction_itself_stays_silent()
    {
        await using var luisteraar = await DataSource.OpenConnectionAsync();
        var gehoord = new List<string>();
        luisteraar.Notification += (_, e) => gehoord.Add(e.Payload);
        await luisteraar.ExecuteAsync("LISTEN melding_live");

        async Task<List<string>> HoorAsync()
        {
            // Whatever arrives within a second; WaitAsync returns false when nothing more came.
            while (await luisteraar.WaitAsync(TimeSpan.FromSeconds(1))) { }
            var kopie = gehoord.ToList();
            gehoord.Clear();
            return kopie;
        }

        // A transaction that says it notifies itself: its INSERT trigger stays silent (V78)...
        await using (var connection = await DataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await connection.ExecuteAsync(
                """
                SELECT set_config('wijk.live_na_commit', 'aan', true);
                INSERT INTO melding (rubriek_id, omschrijving, locatie, status)
                SELECT (SELECT id FROM rubriek WHERE code = 'parkeeroverlast'), 'Stil gemeld',
                       ST_PointOnSurface((SELECT geom FROM buurt ORDER BY code LIMIT 1)), 'gemeld'
                """,
                transaction: transaction
            );
            await transaction.CommitAsync();
        }
        Assert.Empty(await HoorAsync());

        // ...any other insert still notifies from the trigger...
        await using (var connection = await DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO melding (rubriek_id, omschrijving, locatie, status)
                SELECT (SELECT id FROM rubriek WHERE code = 'parkeeroverlast'), 'Los gemeld',
                       ST_PointOnSurface((SELECT geom FROM buurt ORDER BY code LIMIT 1)), 'gemeld'
                """
            );
        }
        Assert.Single(await HoorAsync());

        // ...and the write path sends exactly one notification naming the new report, after its commit.
        var melding = await Een.Melding(DataSource).Met("Via het gewone pad gemeld.").OpgeslagenAsync();
        var bericht = Assert.Single(await HoorAsync());
        var json = JsonDocument.Parse(bericht).RootElement;
        Assert.Equal("insert", json.GetProperty("soort").GetString());
        Assert.True(Noemt(json, melding.Id));
    }

    [Fact]
    public async Task Without_the_triage_role_there_is_no_stream()
    {
        var anoniem = knoopA.CreateClient(
            new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false }
        );
        var antwoord = await anoniem.GetAsync("/beheer/meldingen/live", HttpCompletionOption.ResponseHeadersRead);
        Assert.NotEqual(HttpStatusCode.OK, antwoord.StatusCode);
        Assert.NotEqual("text/event-stream", antwoord.Content.Headers.ContentType?.MediaType);
    }
}
