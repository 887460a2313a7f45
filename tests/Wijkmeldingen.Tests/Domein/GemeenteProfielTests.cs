using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web;
using Wijkmeldingen.Web.Geo.Geocoding;
using Wijkmeldingen.Web.Mail;

namespace Wijkmeldingen.Tests.Domein;

/// <summary>
/// The municipality is data (issue 16): the same build serves a second, synthetic municipality
/// (Voorbeeldstad, GM9999, tests/Shared/Gemeenten/voorbeeldstad) with its own name, house style,
/// statements, mail sender, geocoder filter and map start, and nothing of the demo municipality shows.
/// </summary>
public sealed partial class GemeenteProfielTests : DatabaseTest
{
    private static readonly string[] PubliekePaginas = ["/", "/melden", "/kaart", "/privacy", "/toegankelijkheid"];

    [Fact]
    public async Task Serves_a_second_municipality_with_its_name_and_never_the_demo_municipality()
    {
        await Voorbeeldstad.GebiedenAsync(EigenaarDataSource);
        await using var app = new WijkAppFactory(Database.ConnectionString, Voorbeeldstad.Instellingen());
        var client = app.CreateClient();

        foreach (var pad in PubliekePaginas)
        {
            var response = await client.GetAsync(pad);
            var html = await response.Content.ReadAsStringAsync();

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Matches(@"<title>[^<]* – Wijkmeldingen Gemeente Voorbeeldstad</title>", html);
            Assert.Contains("Wijkmeldingen is een dienst van de gemeente Voorbeeldstad.", html);
            Assert.DoesNotContain("heemstede", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("0397", html, StringComparison.Ordinal);
            // The maps credit this municipality's boundaries, not the demo's.
            Assert.Contains("data-grenzen-bron=\"Grenzen: synthetisch (Voorbeeldstad, testgegevens)\"", html);
            Assert.DoesNotContain("CBS, 2019", html, StringComparison.Ordinal);
        }
        var home = await client.GetStringAsync("/");
        Assert.Contains("Samen houden we de wijken van Voorbeeldstad veilig en leefbaar.", home);
        var kaart = await client.GetStringAsync("/kaart");
        Assert.Contains("Kaart van Voorbeeldstad", kaart);
        Assert.Contains("Voorbeeldstad Centrum (synthetisch)", kaart);
    }

    [Fact]
    public async Task The_privacy_and_accessibility_statements_carry_the_profiles_fields()
    {
        await using var app = new WijkAppFactory(Database.ConnectionString, Voorbeeldstad.Instellingen());
        var client = app.CreateClient();

        var privacy = WebUtility.HtmlDecode(await client.GetStringAsync("/privacy"));
        var privacyEn = WebUtility.HtmlDecode(await client.GetStringAsync("/privacy?culture=en"));
        var toegankelijkheid = WebUtility.HtmlDecode(await client.GetStringAsync("/toegankelijkheid"));
        var toegankelijkheidEn = WebUtility.HtmlDecode(await client.GetStringAsync("/toegankelijkheid?culture=en"));

        Assert.Contains("De gemeente Voorbeeldstad is verantwoordelijk", privacy);
        Assert.Contains("Het college van burgemeester en wethouders van Voorbeeldstad", privacy);
        Assert.Contains("fg@voorbeeldstad.example", privacy);
        Assert.Contains("Proefplein 1, 9999 ZZ Voorbeeldstad", privacy);
        Assert.Contains("telefoon 0000 000 000", privacy);
        Assert.Contains("vastgesteld op 15 januari 2026", privacy);
        Assert.Contains("The Municipal Executive of Voorbeeldstad", privacyEn);
        Assert.Contains("adopted on 15 January 2026", privacyEn);
        Assert.Contains("De gemeente Voorbeeldstad wil dat iedereen Wijkmeldingen kan gebruiken.", toegankelijkheid);
        Assert.Contains("mailto:toegankelijkheid@voorbeeldstad.example", toegankelijkheid);
        Assert.Contains("binnen 10 werkdagen", toegankelijkheid);
        Assert.Contains("opgesteld op 20 februari 2026", toegankelijkheid);
        Assert.Contains("The municipality of Voorbeeldstad wants everyone", toegankelijkheidEn);
        Assert.Contains("within 10 working days", toegankelijkheidEn);
    }

    [Fact]
    public async Task The_house_style_comes_from_the_profile()
    {
        await using var app = new WijkAppFactory(Database.ConnectionString, Voorbeeldstad.Instellingen());
        var client = app.CreateClient();

        var html = await client.GetStringAsync("/");
        var css = await client.GetAsync("/huisstijl.css");
        var cssTekst = await css.Content.ReadAsStringAsync();
        var logo = await client.GetAsync("/huisstijl/logo.svg");
        var anderBestand = await client.GetAsync("/huisstijl/profiel.json");

        Assert.Contains("<link rel=\"stylesheet\" href=\"/huisstijl.css?v=voorbeeldstad\">", html);
        Assert.Contains("<meta name=\"theme-color\" content=\"#6b2c91\">", html);
        Assert.Contains("src=\"/huisstijl/logo.svg\"", html);
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
        Assert.Contains("--huisstijl-color-primary: #6b2c91;", cssTekst);
        Assert.Contains("--huisstijl-color-primary-dark: #4a1d66;", cssTekst);
        Assert.Contains("--huisstijl-color-accent: #ffb000;", cssTekst);
        Assert.DoesNotContain("#00594f", cssTekst);
        Assert.Equal("image/svg+xml", logo.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Voorbeeldstad (test)", await logo.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, anderBestand.StatusCode);
        // The stylesheet itself names no colour of its own any more, only the tokens.
        var site = await client.GetStringAsync("/css/site.css");
        Assert.Contains("var(--huisstijl-color-primary)", site);
        Assert.DoesNotContain("--heemstede-", site);
    }

    [Fact]
    public async Task The_demo_profile_keeps_the_demo_municipalitys_name_and_colours()
    {
        // Asked for explicitly: with WIJK_TEST_GEMEENTE=voorbeeldstad the apps serve Voorbeeldstad by default.
        await using var app = new WijkAppFactory(Database.ConnectionString, TestGemeente.DemoProfiel());
        var client = app.CreateClient();

        var html = await client.GetStringAsync("/");
        var css = await client.GetStringAsync("/huisstijl.css");

        Assert.Contains("Wijkmeldingen Gemeente Heemstede</title>", html);
        Assert.Contains("Wijkmeldingen is een dienst van de gemeente Heemstede.", html);
        Assert.Contains("--huisstijl-color-primary: #00594f;", css);
        Assert.Equal(13, KaartStart(html).Zoom);
    }

    [Fact]
    public async Task The_map_starts_over_the_loaded_municipality()
    {
        await using var app = new WijkAppFactory(Database.ConnectionString);

        var (lat, lon, _) = KaartStart(await app.CreateClient().GetStringAsync("/melden"));

        // The middle of the loaded municipality's boundary: Heemstede's, or Voorbeeldstad's near Lelystad.
        var (zuid, noord, west, oost) = TestGemeente.IsVoorbeeldstad ? (52.49, 52.52, 5.46, 5.55) : (52.33, 52.37, 4.58, 4.65);
        Assert.InRange(lat, zuid, noord);
        Assert.InRange(lon, west, oost);
        await using var verbinding = await DataSource.OpenConnectionAsync();
        Assert.True(
            await verbinding.ExecuteScalarAsync<bool>(
                """
                SELECT EXISTS (SELECT 1 FROM buurt
                               WHERE ST_Covers(geom, ST_Transform(ST_SetSRID(ST_MakePoint(@lon, @lat), 4326), 28992)))
                """,
                new { lat, lon }
            ),
            $"the map starts at {lat}, {lon}, outside every loaded buurt"
        );
    }

    [Fact]
    public async Task The_map_starts_on_the_loaded_boundary_else_on_the_profiles_view()
    {
        // No areas at all: the profile's view, which lies on Voorbeeldstad's CBS fixture.
        await using (var verbinding = await EigenaarDataSource.OpenConnectionAsync())
        {
            await verbinding.ExecuteAsync("TRUNCATE gemeente, wijk, buurt, postcode_pc4 CASCADE");
        }
        await using (var leeg = new WijkAppFactory(Database.ConnectionString, Voorbeeldstad.Instellingen()))
        {
            var html = await leeg.CreateClient().GetStringAsync("/melden");
            Assert.Contains("data-kaart-start=\"52.506,5.505,12\"", html);
        }

        // Another municipality's areas than the profile names (the demo's): the map starts over those,
        // where reports can be filed, not on the profile's empty view.
        await TestGemeente.DemoGebiedenAsync(EigenaarDataSource);
        await using (var ander = new WijkAppFactory(Database.ConnectionString, Voorbeeldstad.Instellingen()))
        {
            var (lat, lon, zoom) = KaartStart(await ander.CreateClient().GetStringAsync("/melden"));
            Assert.InRange(lat, 52.33, 52.37);
            Assert.InRange(lon, 4.58, 4.65);
            Assert.Equal(12, zoom);
        }

        // Its own areas: the middle of Voorbeeldstad's boundary (the CBS fixture's envelope, 160000–166000 ×
        // 500000–505000 in RD), where the profile's view also lies.
        await Voorbeeldstad.GebiedenAsync(EigenaarDataSource);
        await using var eigen = new WijkAppFactory(Database.ConnectionString, Voorbeeldstad.Instellingen());
        var (eigenLat, eigenLon, eigenZoom) = KaartStart(await eigen.CreateClient().GetStringAsync("/kaart"));
        Assert.Equal(52.50563, eigenLat, 0.0005);
        Assert.Equal(5.50503, eigenLon, 0.0005);
        Assert.Equal(12, eigenZoom);
    }

    [Fact]
    public async Task Mail_geocoder_open311_and_texts_take_the_profiles_values()
    {
        await using var app = new WijkAppFactory(Database.ConnectionString, Voorbeeldstad.Instellingen());
        var client = app.CreateClient();
        var services = app.Services;

        var discovery = await client.GetStringAsync("/open311/v2/discovery.json");
        var anderGebied = await client.GetAsync("/open311/v2/services.json?jurisdiction_id=heemstede.nl");
        var eigenGebied = await client.GetAsync("/open311/v2/services.json?jurisdiction_id=voorbeeldstad.example");
        var opendata = await client.GetAsync("/opendata/meldingen.csv");
        var tekst = services.GetRequiredService<IStringLocalizer<WijkbeeldBeheerTekst>>();

        Assert.Equal(
            "Meldpunt Voorbeeldstad <meldpunt@voorbeeldstad.example>",
            services.GetRequiredService<IOptions<MailOptions>>().Value.Afzender
        );
        Assert.Equal("9999", services.GetRequiredService<IOptions<GeocoderOptions>>().Value.Gemeentecode);
        Assert.Contains("Gemeente Voorbeeldstad, Wijkmeldingen, telefoon 0000 000 000", discovery);
        Assert.Equal(HttpStatusCode.NotFound, anderGebied.StatusCode);
        Assert.Equal(HttpStatusCode.OK, eigenGebied.StatusCode);
        Assert.Equal("attachment; filename=\"wijkmeldingen-voorbeeldstad.csv\"", opendata.Content.Headers.ContentDisposition?.ToString());
        Assert.Equal("onbekende wijk ‘X’ (gebruik een code als WK999900).", tekst["beleving.fout.wijk", "X"].Value);
    }

    [Theory]
    [InlineData("Gemeente:Profiel", "bestaat-niet", "has no profiel.json")]
    [InlineData("Gemeente:Profiel", "../heemstede", "only lower-case letters")]
    [InlineData("Gemeente:Huisstijl:Primair", "red; } body { display: none", "#rrggbb")]
    [InlineData("Gemeente:CbsCode", "0397", "GM followed by four digits")]
    [InlineData("Gemeente:Kaart:Lat", "40.7", "must lie in the Netherlands")]
    public void Refuses_to_start_with_a_profile_that_is_missing_or_wrong(string sleutel, string waarde, string melding)
    {
        var instellingen = Voorbeeldstad.Instellingen();
        instellingen[sleutel] = waarde;
        using var app = new WijkAppFactory(Database.ConnectionString, instellingen);

        var fout = Assert.ThrowsAny<OptionsValidationException>(() => app.CreateClient());

        Assert.Contains(melding, fout.Message, StringComparison.Ordinal);
    }

    private static (double Lat, double Lon, int Zoom) KaartStart(string html)
    {
        var m = KaartStartAttribuut().Match(html);
        Assert.True(m.Success, "no data-kaart-start on the body");
        return (
            double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture),
            double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture),
            int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture)
        );
    }

    [GeneratedRegex("<body data-kaart-start=\"([0-9.]+),([0-9.]+),([0-9]+)\"")]
    private static partial Regex KaartStartAttribuut();
}
