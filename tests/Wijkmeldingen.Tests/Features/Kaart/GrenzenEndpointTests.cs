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
    [InlineData("gemeente", 1, 1)]
    [InlineData("wijk", 3, 2)]
    [InlineData("buurt", 14, 5)]
    public async Task Serves_valid_geojson_in_wgs84(string niveau, int demo, int voorbeeldstad)
    {
        var expected = TestGemeente.IsVoorbeeldstad ? voorbeeldstad : demo;
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
                    "gemeente" => TestGemeente.IsVoorbeeldstad ? "GM9999" : "GM0397",
                    "wijk" => TestGemeente.IsVoorbeeldstad ? "WK9999" : "WK0397",
                    _ => TestGemeente.IsVoorbeeldstad ? "BU9999" : "BU0397",
                },
                (string)feature.Attributes["code"]
            );
            // Longitude/latitude of the loaded municipality (RFC 7946 order), not RD metres.
            var envelope = feature.Geometry.EnvelopeInternal;
            var (west, oost, zuid, noord) = TestGemeente.IsVoorbeeldstad ? (5.46, 5.55, 52.48, 52.53) : (4.58, 4.65, 52.32, 52.37);
            Assert.InRange(envelope.MinX, west, oost);
            Assert.InRange(envelope.MaxX, west, oost);
            Assert.InRange(envelope.MinY, zuid, noord);
            Assert.InRange(envelope.MaxY, zuid, noord);
        }
    }

    [Fact]
    public async Task Buurten_carry_name_wijk_and_inhabitants()
    {
        var client = App.CreateClient();

        var json = await client.GetStringAsync("/kaart/grenzen.geojson?niveau=buurt");
        var centrum = JsonSerializer
            .Deserialize<FeatureCollection>(json, GeoJson)!
            .Single(f => (string)f.Attributes["code"] == TestGemeente.EersteBuurt);

        Assert.Equal(TestGemeente.EersteBuurtNaam, centrum.Attributes["naam"]);
        Assert.Equal(TestGemeente.EersteWijk, centrum.Attributes["wijkcode"]);
        Assert.Equal(
            TestGemeente.IsVoorbeeldstad ? 2650m : 3675m,
            Convert.ToDecimal(centrum.Attributes["inwoners"], System.Globalization.CultureInfo.InvariantCulture)
        );
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
