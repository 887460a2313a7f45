using System.Collections.Concurrent;
using System.Threading.Channels;
using Npgsql;

namespace Wijkmeldingen.Web.Data;

/// <summary>
/// The reports' change bus: one connection per web node LISTENs on <c>melding_live</c> (a
/// statement trigger NOTIFYs at commit whenever reports are filed or changed, db/migrations
/// V60__melding_live.sql) and hands every notification to whoever subscribed on this node (the
/// live triage list's server-sent events, the urgent-report round), and counts them in
/// <see cref="Versie"/> (the public map's change counter). Every node listens to the same
/// database, so a change made through one node reaches the staff on all of them. When the
/// connection drops (a database restart, a fail-over) it reconnects with a growing pause and then
/// tells every page to refresh, since changes made meanwhile were not heard.
/// </summary>
public sealed class MeldingLive(NpgsqlDataSource dataSource, ILogger<MeldingLive> logger) : BackgroundService
{
    public const string Kanaal = "melding_live";

    /// <summary>The message a page gets after the listener (re)connected: refresh everything.</summary>
    public const string Verbonden = """{"soort":"verbonden"}""";

    private static readonly TimeSpan WachtPerRonde = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MaxPauze = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<Guid, Channel<string>> luisteraars = new();

    private long versie;

    /// <summary>Whether the listener holds a connection with LISTEN active right now.</summary>
    public bool Luistert { get; private set; }

    /// <summary>A change counter of this node: it grows with every notification heard (after the
    /// commit that caused it, so an answer read after seeing a value includes every change counted
    /// up to it) and with every (re)connect, since changes may have been missed meanwhile. Null while
    /// not listening: then nothing may be cached on it.</summary>
    public long? Versie => Luistert ? Interlocked.Read(ref versie) : null;

    /// <summary>Pages connected to this node.</summary>
    public int AantalLuisteraars => luisteraars.Count;

    /// <summary>A page's own queue of notifications (JSON payloads), until the returned handle is
    /// disposed. A page that does not keep up loses the oldest messages, never the newest: each one
    /// only means "refresh". A reader that needs the ids of every filing asks for more room.</summary>
    public (ChannelReader<string> Berichten, IDisposable Afmelden) Aanmelden(int capaciteit = 20)
    {
        var id = Guid.NewGuid();
        var kanaal = Channel.CreateBounded<string>(
            new BoundedChannelOptions(capaciteit) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true }
        );
        luisteraars[id] = kanaal;
        return (kanaal.Reader, new Afmelding(() => luisteraars.TryRemove(id, out _)));
    }

    private void Verspreid(string bericht)
    {
        Interlocked.Increment(ref versie);
        foreach (var kanaal in luisteraars.Values)
        {
            kanaal.Writer.TryWrite(bericht);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pauze = TimeSpan.FromSeconds(1);
        var eerder = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                try
                {
                    connection.Notification += (_, e) => Verspreid(e.Payload);
                    await using (var listen = new NpgsqlCommand($"LISTEN {Kanaal}", connection))
                    {
                        await listen.ExecuteNonQueryAsync(stoppingToken);
                    }
                    // Changes made while not listening were not counted: a new value before it is read again.
                    Interlocked.Increment(ref versie);
                    Luistert = true;
                    pauze = TimeSpan.FromSeconds(1);
                    if (eerder)
                    {
                        logger.LogInformation("Live triage list: listening again on {Kanaal}", Kanaal);
                    }
                    // Also after the first connect: a page opened while the listener was still starting
                    // may have missed a change.
                    Verspreid(Verbonden);
                    eerder = true;
                    while (!stoppingToken.IsCancellationRequested)
                    {
                        // A timeout is not a fault; a dead connection throws here or at the keepalive.
                        if (!await connection.WaitAsync(WachtPerRonde, stoppingToken))
                        {
                            await using var ping = new NpgsqlCommand("SELECT 1", connection);
                            await ping.ExecuteScalarAsync(stoppingToken);
                        }
                    }
                }
                finally
                {
                    await UnlistenAsync(connection);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
            {
                Luistert = false;
                logger.LogWarning("Live triage list: connection lost ({Error}); trying again in {Pauze}", e.Message, pauze);
                try
                {
                    await Task.Delay(pauze, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                pauze = TimeSpan.FromTicks(Math.Min(pauze.Ticks * 2, MaxPauze.Ticks));
            }
        }
        Luistert = false;
    }

    private sealed class Afmelding(Action afmelden) : IDisposable
    {
        private int klaar;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref klaar, 1) == 0)
            {
                afmelden();
            }
        }
    }

    // Pooled connections are not reset when returned (Database.CreateDataSource), so a connection that
    // is still healthy stops listening before it goes back: an idle pooled connection that listens
    // would hold up the server's notification queue. A broken one is not returned to the pool.
    private static async Task UnlistenAsync(NpgsqlConnection connection)
    {
        if (connection.FullState != System.Data.ConnectionState.Open)
        {
            return;
        }
        try
        {
            await using var unlisten = new NpgsqlCommand("UNLISTEN *", connection);
            await unlisten.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
        {
            // The connection broke meanwhile: Npgsql does not pool it.
        }
    }
}
