using System.Net;
using System.Text.Json;
using NetTopologySuite.Features;
using NetTopologySuite.IO.Converters;
using Wijkmeldingen.Testing;

namespace Wijkmeldingen.Tests.Features.Kaart;

public sealed class GrenzenEndpointTests : AppTest
{
    private static readonly JsonSerializerOptions GeoJson = new() { Converters = { new GeoJsonConverterFactory() } };

    [Theory]
    [InlineData("gemeente", 1)]
    [InlineData("wijk", 3)]
    [InlineData("buurt", 14)]
    public async Task Serves_valid_geojson_in_wgs84(string niveau, int expected)
    {
        var client = App.CreateClient();

        var response = await client.GetAsync($"/kaart/grenzen.geojson?niveau={niveau}");
        var features = JsonSerializer.Deserialize<FeatureCollection>(await response.Content.ReadAsStringAsync(), GeoJson)!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/geo+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(expected, features.Count);
        foreach (var feature in features)
        {
            Assert.True(feature.Geometry.IsValid, $"{feature.Attributes["code"]} is not valid");
            Assert.StartsWith(
                niveau switch
                {
                    "gemeente" => "GM0397",
                    "wijk" => "WK0397",
                    _ => "BU0397",
                },
                (string)feature.Attributes["code"]
            );
            // Longitude/latitude of Heemstede (RFC 7946 order), not RD metres.
            var envelope = feature.Geometry.EnvelopeInternal;
            Assert.InRange(envelope.MinX, 4.58, 4.65);
            Assert.InRange(envelope.MaxX, 4.58, 4.65);
            Assert.InRange(envelope.MinY, 52.32, 52.37);
            Assert.InRange(envelope.MaxY, 52.32, 52.37);
        }
    }

    [Fact]
    public async Task Buurten_carry_name_wijk_and_inhabitants()
    {
        var client = App.CreateClient();

        var json = await client.GetStringAsync("/kaart/grenzen.geojson?niveau=buurt");
        var centrum = JsonSerializer
            .Deserialize<FeatureCollection>(json, GeoJson)!
            .Single(f => (string)f.Attributes["code"] == "BU03970000");

        Assert.Equal("Centrum", centrum.Attributes["naam"]);
        Assert.Equal("WK039700", centrum.Attributes["wijkcode"]);
        Assert.Equal(3675m, Convert.ToDecimal(centrum.Attributes["inwoners"], System.Globalization.CultureInfo.InvariantCulture));
        // Rounded to 6 decimals without binary noise.
        Assert.DoesNotMatch(@"\d\.\d{7,}", json);
    }

    [Fact]
    public async Task Unknown_level_is_a_structured_400()
    {
        var client = App.CreateClient();

        var response = await client.GetAsync("/kaart/grenzen.geojson?niveau=provincie");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Onbekend niveau", body);
    }
}
