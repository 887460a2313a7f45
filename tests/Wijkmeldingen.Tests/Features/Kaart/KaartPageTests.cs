using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Tests.Features.Kaart;

public sealed class KaartPageTests : AppTest
{
    [Fact]
    public async Task Shows_the_map_and_the_same_areas_as_a_table_in_dutch()
    {
        var client = App.CreateClient();

        var response = await client.GetAsync("/kaart");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<html lang=\"nl\">", html);
        Assert.Contains("id=\"kaart\"", html);
        Assert.Contains("Bij spoed of gevaar: bel 112", html);
        Assert.Contains(TestGemeente.IsVoorbeeldstad ? "Polderrand (synthetisch)" : "Schouwbroekerpolder", html);
        Assert.Contains(
            TestGemeente.IsVoorbeeldstad ? "Wijk 01 Voorbeeldstad-Oost (synthetisch)" : "Wijk 02 Heemstede west van de spoorbaan",
            html
        );
        // nl-NL number formatting of the first buurt's inhabitants (Centrum, or Voorbeeldstad's Molenwijk).
        Assert.Contains(TestGemeente.IsVoorbeeldstad ? "2.650" : "3.675", html);
        // The source line names the loaded profile's boundary source, not the demo's.
        var grenzen = App.Services.GetRequiredService<IOptions<GemeenteProfiel>>().Value.GrenzenBron;
        Assert.Contains($"Bron: grenzen {grenzen}; inwoners: Centraal Bureau voor de Statistiek", WebUtility.HtmlDecode(html));
        // Leaflet from this origin, under its fingerprinted name (MapStaticAssets).
        Assert.Matches("src=\"/lib/leaflet/leaflet\\.[a-z0-9]+\\.js\"", html);
        Assert.DoesNotContain("<script>", html); // no inline scripts: the CSP forbids them
    }

    [Fact]
    public async Task Tile_source_is_configuration_and_allowed_by_the_csp()
    {
        await using var withTiles = new WijkAppFactory(
            Database.ConnectionString,
            new Dictionary<string, string?>
            {
                ["Kaart:TegelUrl"] = "https://tegels.example.nl/{z}/{x}/{y}.png",
                ["Kaart:TegelAttributie"] = "Tegels: voorbeeld",
            }
        );
        var client = withTiles.CreateClient();

        var response = await client.GetAsync("/kaart");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Contains("data-tegel-url=\"https://tegels.example.nl/{z}/{x}/{y}.png\"", html);
        Assert.Contains(
            "img-src 'self' data: blob: https://tegels.example.nl;",
            response.Headers.GetValues("Content-Security-Policy").Single()
        );
    }

    [Fact]
    public async Task Leaflet_is_served_from_this_origin()
    {
        var client = App.CreateClient();

        var script = await client.GetAsync("/lib/leaflet/leaflet.js");
        var css = await client.GetAsync("/lib/leaflet/leaflet.css");
        var icon = await client.GetAsync("/lib/leaflet/images/marker-icon.png");

        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Contains("Leaflet 1.9.4", await script.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal(HttpStatusCode.OK, icon.StatusCode);
    }
}
