using System.ComponentModel.DataAnnotations;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Wijkmeldingen.Web.Data;

namespace Wijkmeldingen.Web.Hosting;

/// <summary>
/// Observability with the field's standard (docs/operations.md): OpenTelemetry traces and metrics of
/// ASP.NET Core, HttpClient (PDOK) and Npgsql, plus the portal's own Meter
/// (<see cref="WijkMetrics.MeterName"/>). Nothing leaves the process unless an OTLP endpoint is
/// configured: the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (with the other standard
/// <c>OTEL_EXPORTER_OTLP_*</c> variables) or <c>Telemetrie:OtlpEndpoint</c>. In Production the
/// console log is JSON, one object per line, with the trace and span id of the request.
/// </summary>
public static class Telemetrie
{
    public const string ServiceName = "wijkmeldingen";

    /// <summary>The standard variable (also read as a configuration key).</summary>
    public const string OtlpEndpointVariabele = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static IServiceCollection AddTelemetrie(
        this IServiceCollection services,
        IConfiguration configuration,
        IHostEnvironment environment
    )
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        services
            .AddOptions<TelemetrieOptions>()
            .BindConfiguration(TelemetrieOptions.Section)
            .ValidateDataAnnotations()
            .Validate(
                o => string.IsNullOrWhiteSpace(o.OtlpEndpoint) || IsHttpUrl(o.OtlpEndpoint),
                "Telemetrie:OtlpEndpoint must be an absolute http(s) URL, e.g. http://collector:4317."
            )
            .ValidateOnStart();
        var instellingen = configuration.GetSection(TelemetrieOptions.Section).Get<TelemetrieOptions>() ?? new TelemetrieOptions();

        // Every log line written during a request carries its trace and span id (as a scope).
        services.Configure<LoggerFactoryOptions>(options =>
            options.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId
        );
        if (instellingen.JsonLogboek ?? environment.IsProduction())
        {
            services.AddLogging(logging =>
                logging.AddJsonConsole(options =>
                {
                    options.IncludeScopes = true;
                    options.UseUtcTimestamp = true;
                    options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                    options.JsonWriterOptions = new System.Text.Json.JsonWriterOptions { Indented = false };
                })
            );
        }

        var otel = services
            .AddOpenTelemetry()
            .ConfigureResource(resource =>
            {
                // OTEL_SERVICE_NAME, when set, wins (the default resource detectors read it).
                if (string.IsNullOrWhiteSpace(configuration["OTEL_SERVICE_NAME"]))
                {
                    resource.AddService(ServiceName);
                }
            })
            .WithTracing(tracing =>
                tracing
                    .AddAspNetCoreInstrumentation(options =>
                        // Probes every few seconds are noise, not traffic.
                        options.Filter = http => !http.Request.Path.StartsWithSegments("/health", StringComparison.Ordinal)
                    )
                    .AddHttpClientInstrumentation()
                    .AddNpgsql()
            )
            .WithMetrics(metrics =>
                metrics
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddNpgsqlInstrumentation()
                    .AddMeter(WijkMetrics.MeterName)
            );

        if (!string.IsNullOrWhiteSpace(configuration[OtlpEndpointVariabele]))
        {
            // The standard variables: endpoint, protocol, headers, per-signal overrides. Logs go too.
            otel.WithLogging().UseOtlpExporter();
        }
        else if (!string.IsNullOrWhiteSpace(instellingen.OtlpEndpoint) && IsHttpUrl(instellingen.OtlpEndpoint))
        {
            otel.WithLogging().UseOtlpExporter(instellingen.OtlpProtocol, new Uri(instellingen.OtlpEndpoint));
        }
        return services;
    }

    private static bool IsHttpUrl(string tekst) =>
        Uri.TryCreate(tekst, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}

/// <summary>Settings under <c>Telemetrie</c>. The standard <c>OTEL_*</c> environment variables work
/// too and win over these.</summary>
public sealed class TelemetrieOptions
{
    public const string Section = "Telemetrie";

    /// <summary>OTLP collector, e.g. <c>http://collector:4317</c> (gRPC) or <c>http://collector:4318</c>
    /// (HTTP, with <see cref="OtlpProtocol"/> HttpProtobuf). Empty (default): nothing is exported.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>Grpc (default) or HttpProtobuf.</summary>
    [EnumDataType(typeof(OtlpExportProtocol), ErrorMessage = "Telemetrie:OtlpProtocol must be Grpc or HttpProtobuf.")]
    public OtlpExportProtocol OtlpProtocol { get; set; } = OtlpExportProtocol.Grpc;

    /// <summary>JSON console log lines; default: in Production only.</summary>
    public bool? JsonLogboek { get; set; }
}
