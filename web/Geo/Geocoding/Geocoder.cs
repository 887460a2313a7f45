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
/// finds nothing. Naming a point: the buurt and wijk always come from the municipality's own areas
/// (outside them there is no name); the address is the nearest imported one, else PDOK's nearest BAG
/// address within <see cref="LokaleGeocoder.AdresStraalMeter"/>, else the buurt's name.
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

    public async Task<Plaatsnaam?> OmgekeerdAsync(double lat, double lon, CancellationToken cancellationToken)
    {
        var plaats = await lokaal.OmgekeerdAsync(lat, lon, cancellationToken);
        if (plaats is null || plaats.Type == "adres" || !options.Value.PdokGebruiken)
        {
            return plaats;
        }
        try
        {
            var totaal = pipelines.GetPipeline(GeocoderSetup.TotaalPipeline);
            var adres = await totaal.ExecuteAsync(
                async token => await pdok.DichtstbijzijndAdresAsync(lat, lon, LokaleGeocoder.AdresStraalMeter, token),
                cancellationToken
            );
            if (adres is not null)
            {
                return plaats with { Weergavenaam = adres, Type = "adres" };
            }
            metrics.GeocoderViaLokaal("leeg");
        }
        catch (Exception exception) when (IsPdokFailure(exception) && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(
                "PDOK Locatieserver unavailable ({Error}); naming the point by its buurt",
                exception.GetType().Name + ": " + exception.Message
            );
            metrics.GeocoderViaLokaal("fout");
        }
        return plaats;
    }

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
