using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace Wijkmeldingen.Web.Geo.Geocoding;

/// <summary>
/// Address search services and the one place where calls to PDOK are made resilient: every HTTP
/// request is retried on transient faults (connection errors, 408/429/5xx) with exponential backoff
/// and jitter, each attempt has its own timeout, and a circuit breaker stops calling a PDOK that keeps
/// failing so searches go straight to the local fallback. <see cref="TotaalPipeline"/> bounds one
/// whole search (suggest plus lookups, retries included).
/// </summary>
public static class GeocoderSetup
{
    public const string HttpPipeline = "pdok-http";
    public const string TotaalPipeline = "pdok-totaal";

    public static IServiceCollection AddGeocoder(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services
            .AddOptions<GeocoderOptions>()
            .Bind(configuration.GetSection(GeocoderOptions.Section))
            .Validate(o => Uri.TryCreate(o.PdokUrl, UriKind.Absolute, out _), "Geocoder:PdokUrl must be an absolute URL")
            .Validate(o => o.TimeoutMs is >= 100 and <= 30_000, "Geocoder:TimeoutMs must be between 100 and 30000")
            .Validate(
                o => !o.PdokGebruiken || (o.Gemeentecode is { Length: 4 } code && code.All(char.IsAsciiDigit)),
                "Geocoder:Gemeentecode (or the municipality profile's CBS code) must be four digits"
            )
            .ValidateOnStart();

        services
            .AddHttpClient<PdokGeocoder>(
                (provider, http) =>
                {
                    var options = provider.GetRequiredService<IOptions<GeocoderOptions>>().Value;
                    http.BaseAddress = new Uri(options.PdokUrl.TrimEnd('/') + "/");
                    http.DefaultRequestHeaders.UserAgent.ParseAdd("Wijkmeldingen/1.0");
                    // The resilience handler's timeouts govern; this only stops a hung socket for good.
                    http.Timeout = TimeSpan.FromSeconds(30);
                }
            )
            .AddResilienceHandler(HttpPipeline, (builder, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<GeocoderOptions>>().Value;
                builder
                    .AddRetry(
                        new HttpRetryStrategyOptions
                        {
                            MaxRetryAttempts = 2,
                            BackoffType = DelayBackoffType.Exponential,
                            UseJitter = true,
                            Delay = TimeSpan.FromMilliseconds(100),
                        }
                    )
                    .AddCircuitBreaker(
                        new HttpCircuitBreakerStrategyOptions
                        {
                            FailureRatio = 0.5,
                            MinimumThroughput = 6,
                            SamplingDuration = TimeSpan.FromSeconds(30),
                            BreakDuration = TimeSpan.FromSeconds(30),
                        }
                    )
                    .AddTimeout(TimeSpan.FromMilliseconds(Math.Max(100, options.TimeoutMs / 2)));
            });

        services.AddResiliencePipeline(TotaalPipeline, (builder, context) =>
        {
            var options = context.ServiceProvider.GetRequiredService<IOptions<GeocoderOptions>>().Value;
            builder.AddTimeout(TimeSpan.FromMilliseconds(options.TimeoutMs));
        });

        services.AddSingleton<LokaleGeocoder>();
        services.AddTransient<IGeocoder, Geocoder>();
        // Addresses are reference data: the import runs as the owner role (ConnectionStrings:WijkmeldingenEigenaar),
        // the app role only reads them.
        services.AddSingleton(sp => new AdresImport(
            sp.GetRequiredService<Wijkmeldingen.Web.Data.EigenaarDatabase>().Bron,
            sp.GetRequiredService<ILogger<AdresImport>>()
        ));
        // The municipality's areas from the CBS Wijk- en Buurtkaart (`gemeente` verb, docs/geodata.md),
        // reference data too: as the owner role.
        services.AddSingleton(sp => new Gebieden.GebiedenImport(
            sp.GetRequiredService<Wijkmeldingen.Web.Data.EigenaarDatabase>().Bron,
            sp.GetRequiredService<ILogger<Gebieden.GebiedenImport>>()
        ));
        return services;
    }
}
