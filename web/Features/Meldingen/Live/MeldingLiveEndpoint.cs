using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Wijkmeldingen.Web.Data;

namespace Wijkmeldingen.Web.Features.Meldingen.Live;

/// <summary>
/// GET /beheer/meldingen/live (staff with the triage policy): server-sent events for the triage
/// list. Event <c>melding</c> carries <c>{"soort":"insert"|"update","ids":[…],"aantal":n}</c> or
/// <c>{"soort":"verbonden"}</c> (refresh all); a comment-free <c>ping</c> event every
/// <see cref="Hartslag"/> keeps proxies from closing an idle stream. The page only learns that
/// something changed; what it shows comes from the list itself, under the staff member's own filter
/// and rights. EventSource reconnects by itself after a restart of the node.
/// </summary>
public static class MeldingLiveEndpoint
{
    public static readonly TimeSpan Hartslag = TimeSpan.FromSeconds(20);

    public static IEndpointRouteBuilder MapMeldingLive(this RouteGroupBuilder triage)
    {
        triage.MapGet("/meldingen/live", (HttpContext http, MeldingLive live, CancellationToken cancellationToken) =>
        {
            http.Response.Headers.CacheControl = "no-store";
            // Tell a reverse proxy (nginx) not to buffer the stream.
            http.Response.Headers["X-Accel-Buffering"] = "no";
            return TypedResults.ServerSentEvents(Stroom(live, cancellationToken));
        });
        return triage;
    }

    private static async IAsyncEnumerable<SseItem<string>> Stroom(
        MeldingLive live,
        [EnumeratorCancellation] CancellationToken cancellationToken
    )
    {
        var (berichten, afmelden) = live.Aanmelden();
        using (afmelden)
        {
            // The first event opens the stream at once (some proxies wait for a first byte).
            yield return new SseItem<string>("{}", "ping");
            while (!cancellationToken.IsCancellationRequested)
            {
                string? bericht = null;
                using (var ronde = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    ronde.CancelAfter(Hartslag);
                    try
                    {
                        if (await berichten.WaitToReadAsync(ronde.Token))
                        {
                            berichten.TryRead(out bericht);
                        }
                        else
                        {
                            yield break;
                        }
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        // The heartbeat's turn.
                    }
                    catch (OperationCanceledException)
                    {
                        yield break;
                    }
                }
                yield return bericht is null ? new SseItem<string>("{}", "ping") : new SseItem<string>(bericht, "melding");
            }
        }
    }
}
