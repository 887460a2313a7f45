using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using NetTopologySuite.Features;
using NetTopologySuite.IO.Converters;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Tests.Geo;
using Wijkmeldingen.Web.Features.Kaart;

namespace Wijkmeldingen.Tests.Features.Kaart;

/// <summary>The public map's data, list and feeds: never sensitive categories, coarsened places,
/// bbox and filters honoured, small counts suppressed.</summary>
public sealed class KaartMeldingenTests : AppTest
{
    private static readonly JsonSerializerOptions GeoJson = new() { Converters = { new GeoJsonConverterFactory() } };

    // Around the Binnenweg (Centrum) and far south (Glipper Dreef).
    private const double Lat = 52.3524,
        Lon = 4.6192;
    private static readonly string BboxCentrum = TestGemeente.Bbox(4.6100, 52.3480, 4.6280, 52.3570);

    /// <summary>A report's tracking code; a thin wrapper (thirty call sites) over <see cref="Een.Melding"/>.</summary>
    private async Task<string> Melding(string rubriek, double lat, double lon, string status = "gemeld", int dagenGeleden = 1) =>
        (
            await Een.Melding(DataSource)
                .Rubriek(rubriek)
                .Met("Geheime details die niet openbaar mogen")
                .Op(TestGemeente.Plek(lat, lon))
                .Status(status)
                .AangemaaktDagenGeleden(dagenGeleden)
                .OpgeslagenAsync()
        ).Volgcode;

    /// <summary>One public place of the points view: its point, how many reports share it, and the
    /// tracking codes of the newest of them in the order sent.</summary>
    private sealed record Plek(double Lon, double Lat, long Aantal, string Buurt, IReadOnlyList<string> Volgcodes);

    private static List<Plek> Plekken(string json)
    {
        using var document = JsonDocument.Parse(json);
        Assert.Equal("FeatureCollection", document.RootElement.GetProperty("type").GetString());
        return document
            .RootElement.GetProperty("features")
            .EnumerateArray()
            .Select(f =>
            {
                var coordinaten = f.GetProperty("geometry").GetProperty("coordinates");
                var p = f.GetProperty("properties");
                Assert.Equal("plek", p.GetProperty("soort").GetString());
                return new Plek(
                    coordinaten[0].GetDouble(),
                    coordinaten[1].GetDouble(),
                    p.GetProperty("aantal").GetInt64(),
                    p.GetProperty("buurt").GetString()!,
                    p.GetProperty("meldingen").EnumerateArray().Select(m => m.GetProperty("volgcode").GetString()!).ToList()
                );
            })
            .ToList();
    }

    private async Task<List<Plek>> Laad(string query)
    {
        var response = await App.CreateClient().GetAsync($"/kaart/meldingen.geojson?{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/geo+json", response.Content.Headers.ContentType?.MediaType);
        return Plekken(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Points_never_include_sensitive_or_withdrawn_reports_and_stay_inside_the_bbox()
    {
        var parkeren = await Melding("parkeeroverlast", Lat, Lon);
        var wonen = await Melding("woonoverlast", Lat + 0.0003, Lon);
        var drugs = await Melding("drugsafval", Lat, Lon + 0.0002);
        var verdacht = await Melding("verdachte-situatie", Lat, Lon - 0.0002);
        var zorg = await Melding("zorgen-om-iemand", Lat + 0.0002, Lon);
        var ingetrokken = await Melding("parkeeroverlast", Lat - 0.0002, Lon, status: "ingetrokken");
        var elders = await Melding("parkeeroverlast", 52.3318, 4.6126);

        var codes = (await Laad($"bbox={BboxCentrum}&zoom=17")).SelectMany(p => p.Volgcodes).ToList();

        Assert.Contains(parkeren, codes);
        Assert.Contains(wonen, codes);
        Assert.DoesNotContain(drugs, codes);
        Assert.DoesNotContain(verdacht, codes);
        Assert.DoesNotContain(zorg, codes);
        Assert.DoesNotContain(ingetrokken, codes);
        Assert.DoesNotContain(elders, codes);
    }

    [Fact]
    public async Task Public_points_are_coarsened_to_the_raster_and_text_is_never_sent()
    {
        var parkeren = await Melding("parkeeroverlast", Lat, Lon);
        var wonen = await Melding("woonoverlast", Lat, Lon);
        var response = await App.CreateClient().GetStringAsync($"/kaart/meldingen.geojson?bbox={BboxCentrum}&zoom=17");
        var plekken = Plekken(response);

        await using var connection = await DataSource.OpenConnectionAsync();
        foreach (var (code, raster) in new[] { (parkeren, 25.0), (wonen, 250.0) })
        {
            var punt = plekken.Single(p => p.Volgcodes.Contains(code));
            var rd = await connection.QuerySingleAsync<(double X, double Y, double Afstand)>(
                """
                SELECT ST_X(p), ST_Y(p), ST_Distance(p, (SELECT locatie FROM melding WHERE volgcode = @code))
                FROM (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(@lon, @lat), 4326), 28992) AS p) q
                """,
                new
                {
                    code,
                    lon = punt.Lon,
                    lat = punt.Lat,
                }
            );
            // The public point is the centre of a raster cell, not the reported place.
            Assert.Equal(raster / 2, ((rd.X % raster) + raster) % raster, 0.2);
            Assert.Equal(raster / 2, ((rd.Y % raster) + raster) % raster, 0.2);
            Assert.True(rd.Afstand > 0.01 && rd.Afstand <= raster * 0.71, $"{code}: {rd.Afstand} m from the real place");
        }
        Assert.DoesNotContain("Geheime details", response);
    }

    [Fact]
    public async Task Filters_select_category_status_and_period()
    {
        var parkerenOpen = await Melding("parkeeroverlast", Lat, Lon);
        var parkerenKlaar = await Melding("parkeeroverlast", Lat, Lon + 0.0005, status: "afgehandeld");
        var jeugd = await Melding("jeugdoverlast", Lat + 0.0005, Lon);
        var oud = await Melding("parkeeroverlast", Lat - 0.0005, Lon, dagenGeleden: 30);

        static List<string> Codes(List<Plek> plekken) => plekken.SelectMany(p => p.Volgcodes).ToList();
        var rubriek = Codes(await Laad($"bbox={BboxCentrum}&zoom=17&rubriek=parkeeroverlast"));
        var open = Codes(await Laad($"bbox={BboxCentrum}&zoom=17&status=open"));
        var week = Codes(await Laad($"bbox={BboxCentrum}&zoom=17&periode=7"));
        var thema = Codes(await Laad($"bbox={BboxCentrum}&zoom=17&thema=overlast"));

        Assert.Equal(new[] { parkerenOpen, parkerenKlaar, oud }.Order(), rubriek.Order());
        Assert.Equal(new[] { parkerenOpen, jeugd, oud }.Order(), open.Order());
        Assert.DoesNotContain(oud, week);
        Assert.Equal([jeugd], thema);
    }

    [Fact]
    public async Task Reports_sharing_a_public_place_are_one_feature_that_counts_them_all_and_lists_the_newest()
    {
        // Eight public reports within one 25 m raster cell (a few metres apart), filed on different
        // days, one sensitive report in the same cell, and one report in the next street.
        await using var connection = await DataSource.OpenConnectionAsync();
        var plaatsen = (
            await connection.QueryAsync<(double Lat, double Lon)>(
                """
                WITH cel AS (
                    SELECT floor(ST_X(p) / 25) * 25 + 12.5 AS x, floor(ST_Y(p) / 25) * 25 + 12.5 AS y
                    FROM (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(@Lon, @Lat), 4326), 28992) AS p) q
                )
                SELECT ST_Y(w), ST_X(w)
                FROM cel, generate_series(0, 8) AS i,
                     LATERAL (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(x - 8 + i * 2, y + 3), 28992), 4326) AS w) t
                ORDER BY i
                """,
                new { TestGemeente.Plek(Lat, Lon).Lat, TestGemeente.Plek(Lat, Lon).Lon }
            )
        ).ToList();
        var hier = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            hier.Add(
                (
                    await Een.Melding(DataSource)
                        .Rubriek(i % 2 == 0 ? "parkeeroverlast" : "jeugdoverlast")
                        .Op(plaatsen[i].Lat, plaatsen[i].Lon)
                        .AangemaaktDagenGeleden(i + 1)
                        .OpgeslagenAsync()
                ).Volgcode
            );
        }
        var gevoelig = (
            await Een.Melding(DataSource).Rubriek("drugsafval").Op(plaatsen[8].Lat, plaatsen[8].Lon).OpgeslagenAsync()
        ).Volgcode;
        var elders = await Melding("parkeeroverlast", Lat + 0.002, Lon);

        var plekken = await Laad($"bbox={BboxCentrum}&zoom=17");

        var plek = Assert.Single(plekken, p => p.Volgcodes.Contains(hier[0]));
        Assert.Equal(8, plek.Aantal);
        // The newest five (Kaart:MeldingenPerPlek), newest first; the sensitive report is not counted.
        Assert.Equal(hier.Take(5), plek.Volgcodes);
        Assert.DoesNotContain(plekken, p => p.Volgcodes.Contains(gevoelig));
        Assert.Equal(TestGemeente.EersteBuurtNaam, plek.Buurt);
        var ander = Assert.Single(plekken, p => p.Volgcodes.Contains(elders));
        Assert.Equal(1, ander.Aantal);
        Assert.Equal(plekken.Count, plekken.Select(p => (p.Lon, p.Lat)).Distinct().Count());
        // Filtered to one category, the place counts only that category's reports.
        var jeugd = Assert.Single(await Laad($"bbox={BboxCentrum}&zoom=17&rubriek=jeugdoverlast"));
        Assert.Equal(4, jeugd.Aantal);
        Assert.Equal([hier[1], hier[3], hier[5], hier[7]], jeugd.Volgcodes);
    }

    [Fact]
    public async Task A_window_with_more_reports_than_Kaart_MaxPunten_sends_the_newest_and_says_it_was_cut_off()
    {
        var oud = await Melding("parkeeroverlast", Lat, Lon, dagenGeleden: 9);
        var nieuw = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            nieuw.Add(await Melding("jeugdoverlast", Lat + 0.001 + (i * 0.0006), Lon, dagenGeleden: i + 1));
        }
        await using var drie = new WijkAppFactory(Database.ConnectionString, new Dictionary<string, string?> { ["Kaart:MaxPunten"] = "3" });

        async Task<(bool Afgekapt, List<Plek> Plekken)> Vraag(WijkAppFactory app)
        {
            var json = await app.CreateClient().GetStringAsync($"/kaart/meldingen.geojson?bbox={BboxCentrum}&zoom=17");
            using var document = JsonDocument.Parse(json);
            return (document.RootElement.GetProperty("afgekapt").GetBoolean(), Plekken(json));
        }
        var (afgekapt, plekken) = await Vraag(drie);
        var (heel, alle) = await Vraag(App);

        Assert.True(afgekapt);
        Assert.Equal(nieuw.Order(), plekken.SelectMany(p => p.Volgcodes).Order());
        Assert.False(heel);
        Assert.Contains(oud, alle.SelectMany(p => p.Volgcodes));
    }

    [Fact]
    public async Task Low_zoom_counts_per_cell_suppress_small_counts_and_leave_out_sensitive_reports()
    {
        for (var i = 0; i < 6; i++)
        {
            await Melding("parkeeroverlast", Lat + (i * 0.00005), Lon);
        }
        await Melding("jeugdoverlast", 52.3318, 4.6126);
        await Melding("jeugdoverlast", 52.3319, 4.6127);
        for (var i = 0; i < 10; i++)
        {
            await Melding("drugsafval", 52.3421, 4.6262 + (i * 0.00005));
        }

        var json = await App.CreateClient()
            .GetStringAsync($"/kaart/meldingen.geojson?bbox={TestGemeente.Bbox(4.58, 52.32, 4.65, 52.37)}&zoom=13");
        var cellen = JsonSerializer.Deserialize<FeatureCollection>(json, GeoJson)!;

        Assert.All(cellen, c => Assert.Equal("cel", c.Attributes["soort"]));
        Assert.Equal(2, cellen.Count);
        Assert.Contains(cellen, c =>
            (string)c.Attributes["label"] == "6"
            && Convert.ToInt64(c.Attributes["aantal"], System.Globalization.CultureInfo.InvariantCulture) == 6
        );
        var klein = Assert.Single(cellen, c => (string)c.Attributes["label"] == "< 5");
        Assert.False(klein.Attributes.Exists("aantal"));
        Assert.DoesNotContain("volgcode", json);
    }

    [Theory]
    [InlineData("bbox=abc&zoom=12")]
    [InlineData("bbox=4.6,52.3,4.5,52.4&zoom=12")]
    [InlineData("bbox=4.5,52.3,4.7,52.4&zoom=99")]
    [InlineData("zoom=12")]
    public async Task Bad_viewport_is_a_structured_400(string query)
    {
        var response = await App.CreateClient().GetAsync($"/kaart/meldingen.geojson?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_list_beside_the_map_shows_the_same_public_selection()
    {
        var parkeren = await Melding("parkeeroverlast", Lat, Lon);
        var jeugd = await Melding("jeugdoverlast", Lat, Lon);
        var drugs = await Melding("drugsafval", Lat, Lon);

        var alles = await App.CreateClient().GetStringAsync("/kaart");
        var gefilterd = await App.CreateClient().GetStringAsync("/kaart?rubriek=jeugdoverlast&status=open&periode=30");

        Assert.Contains($"/melding/{parkeren}", alles);
        Assert.Contains($"/melding/{jeugd}", alles);
        Assert.DoesNotContain($"/melding/{drugs}", alles);
        Assert.DoesNotContain("value=\"drugsafval\"", alles); // not even offered as a filter
        Assert.Contains($"/melding/{jeugd}", gefilterd);
        Assert.DoesNotContain($"/melding/{parkeren}", gefilterd);
        Assert.Contains("<option value=\"jeugdoverlast\" selected=\"selected\">", gefilterd);
        Assert.Contains("<option value=\"30\" selected=\"selected\">", gefilterd);
    }

    [Fact]
    public async Task Atom_feeds_per_buurt_and_wijk_carry_only_public_reports()
    {
        var parkeren = await Melding("parkeeroverlast", Lat, Lon);
        var drugs = await Melding("drugsafval", Lat, Lon);
        var client = App.CreateClient();

        var buurt = await client.GetAsync($"/kaart/feed/buurt/{TestGemeente.EersteBuurt}.atom");
        var wijk = await client.GetStringAsync($"/kaart/feed/wijk/{TestGemeente.EersteWijk}.atom");
        var onbekend = await client.GetAsync("/kaart/feed/buurt/BU99999999.atom");

        Assert.Equal("application/atom+xml", buurt.Content.Headers.ContentType?.MediaType);
        var xml = XDocument.Parse(await buurt.Content.ReadAsStringAsync());
        XNamespace atom = "http://www.w3.org/2005/Atom";
        var entries = xml.Root!.Elements(atom + "entry").ToList();
        Assert.Single(entries);
        Assert.Equal($"Parkeeroverlast in {TestGemeente.EersteBuurtNaam}", entries[0].Element(atom + "title")!.Value);
        Assert.EndsWith($"/melding/{parkeren}", entries[0].Element(atom + "link")!.Attribute("href")!.Value);
        Assert.Contains(parkeren, wijk);
        Assert.DoesNotContain(drugs, wijk);
        Assert.DoesNotContain("Geheime details", wijk);
        Assert.Equal(HttpStatusCode.NotFound, onbekend.StatusCode);
    }

    [Fact]
    public async Task A_buurt_digest_is_double_opt_in_holds_exactly_the_new_public_reports_is_sent_once_and_unsubscribes()
    {
        var client = new FormulierClient(App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }));
        var pagina = await client.OpenAsync($"/kaart/volgen?buurt={TestGemeente.EersteBuurt}");
        var aanmelden = await client.PostAsync(
            "/kaart/volgen",
            pagina.Token,
            [new("Soort", "buurt"), new("Buurt", TestGemeente.EersteBuurt), new("Email", "buur@example.nl"), new("Frequentie", "dagelijks")]
        );
        Assert.Equal(HttpStatusCode.OK, aanmelden.StatusCode);
        Assert.Contains("Bijna klaar", await aanmelden.Content.ReadAsStringAsync());

        await using var connection = await DataSource.OpenConnectionAsync();
        var digest = App.Services.GetRequiredService<BuurtDigest>();
        var bevestigMail = await connection.QuerySingleAsync<string>("SELECT tekst FROM mail_outbox WHERE aan = 'buur@example.nl'");
        var bevestigLink = System.Text.RegularExpressions.Regex.Match(bevestigMail, "/kaart/volgen/bevestigen/[A-Za-z0-9_-]+").Value;
        // Not confirmed yet: nothing is sent, whatever is reported.
        await connection.ExecuteAsync(
            "UPDATE abonnement SET gezien_tot = now() - interval '2 hours', aangemaakt_op = now() - interval '2 days'"
        );
        await Melding("parkeeroverlast", Lat, Lon, dagenGeleden: 0);
        Assert.Equal(0, await digest.EenRondeAsync(CancellationToken.None));

        var bevestigd = await client.Http.GetAsync(bevestigLink);
        Assert.Equal(HttpStatusCode.OK, bevestigd.StatusCode);
        Assert.Contains("Uw aanmelding is bevestigd", await bevestigd.Content.ReadAsStringAsync());

        // Make the subscription due, with reports filed after its watermark.
        await connection.ExecuteAsync(
            "UPDATE abonnement SET gezien_tot = now() - interval '1 hour', bevestigd_op = now() - interval '2 days'"
        );
        var publiek = await Melding("jeugdoverlast", Lat, Lon, dagenGeleden: 0);
        var gevoelig = await Melding("drugsafval", Lat, Lon, dagenGeleden: 0);
        // In another wijk's buurt (the demo's Glipper Dreef lies in the same buurt as Lat, Lon once moved onto Voorbeeldstad).
        var andereBuurt = (
            await Een.Melding(DataSource)
                .Rubriek("jeugdoverlast")
                .Met("Geheime details die niet openbaar mogen")
                .In(TestGemeente.AndereWijkBuurt)
                .AangemaaktDagenGeleden(0)
                .OpgeslagenAsync()
        ).Volgcode;
        await connection.ExecuteAsync(
            "UPDATE melding SET aangemaakt_op = now() - interval '30 minutes' WHERE volgcode = ANY(@codes)",
            new { codes = new[] { publiek, gevoelig, andereBuurt } }
        );

        // The app's own digest round may run at the same moment; either way one digest is queued.
        var eerste = await digest.EenRondeAsync(CancellationToken.None);
        var tweede = await digest.EenRondeAsync(CancellationToken.None);

        Assert.InRange(eerste, 0, 1);
        Assert.Equal(0, tweede);
        var mails = (
            await connection.QueryAsync<(string Onderwerp, string Tekst)>(
                "SELECT onderwerp, tekst FROM mail_outbox WHERE aan = 'buur@example.nl' AND sleutel LIKE 'digest:%'"
            )
        ).ToList();
        var mail = Assert.Single(mails);
        Assert.Contains(publiek, mail.Tekst);
        Assert.DoesNotContain(gevoelig, mail.Tekst);
        Assert.DoesNotContain(andereBuurt, mail.Tekst);
        Assert.Equal($"1 nieuwe meldingen in buurt {TestGemeente.EersteBuurtNaam}", mail.Onderwerp);

        var opzeggen = System.Text.RegularExpressions.Regex.Match(mail.Tekst, "/kaart/volgen/opzeggen/[A-Za-z0-9_-]+").Value;
        var weg = await client.Http.GetAsync(opzeggen);
        var nogmaals = await client.Http.GetAsync(opzeggen);
        Assert.Contains("U bent afgemeld", await weg.Content.ReadAsStringAsync());
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM abonnement"));
        Assert.Equal(HttpStatusCode.NotFound, nogmaals.StatusCode);
    }

    [Fact]
    public async Task A_subscription_around_an_address_counts_reports_within_its_radius()
    {
        var client = new FormulierClient(App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }));
        var pagina = await client.OpenAsync("/kaart/volgen");
        var zonderAdres = await client.PostAsync(
            "/kaart/volgen",
            pagina.Token,
            [
                new("Soort", "adres"),
                new("Adres", "Nergensstraat 999 Utrecht"),
                new("Straal", "500"),
                new("Email", "buur@example.nl"),
                new("Frequentie", "wekelijks"),
            ]
        );
        var aanmelden = await client.PostAsync(
            "/kaart/volgen",
            pagina.Token,
            [
                new("Soort", "adres"),
                // A PC4 postcode: its centroid is the Raadhuisplein's place (2101, or Voorbeeldstad's 9992).
                new("Adres", TestAdressen.Pc4),
                new("Straal", "500"),
                new("Email", "buur@example.nl"),
                new("Frequentie", "wekelijks"),
            ]
        );

        Assert.Equal(HttpStatusCode.BadRequest, zonderAdres.StatusCode);
        Assert.Equal(HttpStatusCode.OK, aanmelden.StatusCode);
        await using var connection = await DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(
            "UPDATE abonnement SET bevestigd_op = now() - interval '8 days', gezien_tot = now() - interval '1 hour'"
        );
        var dichtbij = await Melding("parkeeroverlast", 52.3526, 4.6195, dagenGeleden: 0);
        var ver = await Melding("parkeeroverlast", 52.3318, 4.6126, dagenGeleden: 0);
        await connection.ExecuteAsync("UPDATE melding SET aangemaakt_op = now() - interval '30 minutes'");

        await App.Services.GetRequiredService<BuurtDigest>().EenRondeAsync(CancellationToken.None);
        var tekst = await connection.QuerySingleAsync<string>("SELECT tekst FROM mail_outbox WHERE sleutel LIKE 'digest:%'");
        Assert.Contains(dichtbij, tekst);
        Assert.DoesNotContain(ver, tekst);
    }
}
