using Wijkmeldingen.Web.Geo;
using Wijkmeldingen.Web.Hosting;

namespace Wijkmeldingen.Tests.Hosting;

public sealed class SecurityHeadersTests
{
    [Theory]
    [InlineData("", "img-src 'self' data: blob:;")]
    [InlineData(
        "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png",
        "img-src 'self' data: blob: https://service.pdok.nl;"
    )]
    [InlineData("https://{s}.tiles.example.org/{z}/{x}/{y}.png", "img-src 'self' data: blob: https://*.tiles.example.org;")]
    [InlineData("http://127.0.0.1:8080/tiles/{z}/{x}/{y}.png", "img-src 'self' data: blob: http://127.0.0.1:8080;")]
    [InlineData("tiles/{z}/{x}/{y}.png", "img-src 'self' data: blob:;")]
    public void Images_are_allowed_from_the_configured_tile_server_only(string tegelUrl, string expected)
    {
        var policy = SecurityHeaders.BuildPolicy(new KaartTegelOptions { TegelUrl = tegelUrl });

        Assert.Contains(expected, policy);
        Assert.Contains("script-src 'self';", policy);
        Assert.DoesNotContain("unsafe", policy);
    }
}
