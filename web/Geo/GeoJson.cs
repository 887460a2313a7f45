using System.Text.Json;
using NetTopologySuite.IO.Converters;

namespace Wijkmeldingen.Web.Geo;

/// <summary>One JSON configuration for the whole app: NTS geometries and features serialise as GeoJSON.</summary>
public static class GeoJson
{
    public static void Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Converters.Add(new GeoJsonConverterFactory());
    }

    public static IServiceCollection AddGeoJson(this IServiceCollection services)
    {
        // The tile source of every map (and of the Content-Security-Policy's img-src).
        services
            .AddOptions<KaartTegelOptions>()
            .BindConfiguration(KaartTegelOptions.Section)
            .ValidateDataAnnotations()
            .Validate(
                o => string.IsNullOrEmpty(o.TegelUrl) || o.TegelOrigin() is not null,
                "Kaart:TegelUrl must be empty or an http(s) URL template, e.g. https://.../{z}/{x}/{y}.png."
            )
            .ValidateOnStart();
        return services.ConfigureHttpJsonOptions(o => Configure(o.SerializerOptions));
    }
}
