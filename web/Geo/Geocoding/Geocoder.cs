using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Registry;
using Polly.Timeout;
using Wijkmeldingen.Web.Data;

namespace Wijkmeldingen.Web.Geo.Geocoding;

/// <summary>
/// What the app uses: PDOK first when switched on, bounded by <see cref="GeocoderOptions.TimeoutMs"/>
/// in total, and the local PostGIS search whenever PDOK fails, is too slow, has its circuit open or
/// finds nothing. Reverse lookup is always local.
/// </summary>
public sealed class Geocoder(
    LokaleGeocoder lokaal,
    PdokGeocoder pdok,
    IOptions<GeocoderOptions> options,
    ResiliencePipelineProvider<string> pipelines,
    WijkMetrics metrics,
    ILogger<Geocoder> logger
) : IGeocoder
{
    public async Task<IReadOnlyList<Suggestie>> SuggestAsync(string q, int max, CancellationToken cancellationToken)
    {
        if (options.Value.PdokGebruiken)
        {
            try
            {
                var totaal = pipelines.GetPipeline(GeocoderSetup.TotaalPipeline);
                var gevonden = await totaal.ExecuteAsync(async token => await pdok.SuggestAsync(q, max, token), cancellationToken);
                if (gevonden.Count > 0)
                {
                    return gevonden;
                }
                metrics.GeocoderViaLokaal("leeg");
            }
            catch (Exception exception) when (IsPdokFailure(exception) && !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning(
                    "PDOK Locatieserver unavailable ({Error}); answering from the local search",
                    exception.GetType().Name + ": " + exception.Message
                );
                metrics.GeocoderViaLokaal("fout");
            }
        }
        return await lokaal.SuggestAsync(q, max, cancellationToken);
    }

    public Task<Plaatsnaam?> OmgekeerdAsync(double lat, double lon, CancellationToken cancellationToken) =>
        lokaal.OmgekeerdAsync(lat, lon, cancellationToken);

    /// <summary>Anything that means "PDOK did not give a usable answer in time".</summary>
    public static bool IsPdokFailure(Exception exception) =>
        exception
            is HttpRequestException
                or SocketException
                or TimeoutRejectedException
                or BrokenCircuitException
                or OperationCanceledException
                or JsonException
                or IOException
                or InvalidOperationException;
}
