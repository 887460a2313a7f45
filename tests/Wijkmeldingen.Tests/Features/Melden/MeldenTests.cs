using System.Net;
using Dapper;
using MetadataExtractor;
using MetadataExtractor.Formats.Exif;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Wijkmeldingen.Testing;

namespace Wijkmeldingen.Tests.Features.Melden;

/// <summary>/melden without JavaScript: server-side validation, Dutch messages, input kept,
/// exactly one report per submit, photos stripped, contact apart, the confirmation mail queued.</summary>
public sealed class MeldenTests : AppTest
{
    // In the loaded municipality's first buurt (TestGemeente.EersteBuurt).
    private static readonly double CentrumLat = TestGemeente.Lat,
        CentrumLon = TestGemeente.Lon;

    private FormulierClient NieuweClient(WijkAppFactory? app = null) =>
        new((app ?? App).CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }));

    private static List<KeyValuePair<string, string>> Velden(
        string? sleutel,
        string rubriek = "parkeeroverlast",
        double? lat = double.NaN,
        double? lon = double.NaN,
        string omschrijving = "Elke ochtend staan er auto's op de stoep bij de school.",
        string email = "",
        string website = "",
        string plek = ""
    )
    {
        var velden = new List<KeyValuePair<string, string>>
        {
            new("Invoer.Rubriek", rubriek),
            new("Invoer.Omschrijving", omschrijving),
            new("Invoer.Email", email),
            new("Invoer.Website", website),
            new("Invoer.Plek", plek),
        };
        if (sleutel is not null)
        {
            velden.Add(new("Invoer.IdempotentieSleutel", sleutel));
        }
        // NaN (the default) is the place in the first buurt, null no place at all.
        if (lat is double.NaN && lon is double.NaN)
        {
            (lat, lon) = (CentrumLat, CentrumLon);
        }
        if (lat is not null && lon is not null)
        {
            velden.Add(new("Invoer.Lat", lat.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            velden.Add(new("Invoer.Lon", lon.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        return velden;
    }

    /// <summary>Asserts a redirect, showing the page's error messages when there is none.</summary>
    private static async Task AssertDoorgestuurd(HttpResponseMessage antwoord)
    {
        if (antwoord.StatusCode != HttpStatusCode.Redirect)
        {
            var html = await antwoord.Content.ReadAsStringAsync();
            var fouten = System.Text.RegularExpressions.Regex.Matches(
                html,
                "class=\"(?:fout|melding melding--fout)\"[^>]*>(.*?)</",
                System.Text.RegularExpressions.RegexOptions.Singleline
            );
            Assert.Fail(
                $"expected a redirect, got {(int)antwoord.StatusCode}: {string.Join(" | ", fouten.Select(f => f.Groups[1].Value.Trim()))}"
            );
        }
    }

    private async Task<long> AantalMeldingen()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM melding");
    }

    [Fact]
    public async Task Form_leads_with_112_and_offers_the_categories_from_the_database_by_theme()
    {
        var pagina = await NieuweClient().OpenAsync("/melden");

        Assert.True(
            pagina.Html.IndexOf("Bij spoed of gevaar: bel 112", StringComparison.Ordinal)
                < pagina.Html.IndexOf("<form", StringComparison.Ordinal)
        );
        Assert.Equal(9, System.Text.RegularExpressions.Regex.Count(pagina.Html, "name=\"Invoer.Rubriek\""));
        Assert.Contains("<h3 class=\"thema\">Verkeer</h3>", pagina.Html);
        Assert.Contains("Raak het afval niet aan", pagina.Html);
        Assert.Contains("0800-2000", pagina.Html);
        Assert.NotNull(pagina.IdempotentieSleutel);
    }

    [Fact]
    public async Task A_valid_report_is_stored_once_with_a_stripped_photo_and_contact_apart()
    {
        var client = NieuweClient();
        var pagina = await client.OpenAsync("/melden");
        var foto = TestFotos.JpegMetGps(CentrumLat, CentrumLon);

        var wanneer = DateTime.UtcNow.AddHours(-3);
        var antwoord = await client.PostAsync(
            "/melden",
            pagina.Token,
            [
                .. Velden(pagina.IdempotentieSleutel, email: "melder@example.nl"),
                new(
                    "Invoer.VoorgevallenOp",
                    TimeZoneInfo
                        .ConvertTimeFromUtc(wanneer, TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam"))
                        .ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture)
                ),
            ],
            [("Invoer.Fotos", "IMG_0001.JPG", foto, "image/jpeg")]
        );

        await AssertDoorgestuurd(antwoord);
        var locatie = antwoord.Headers.Location!.ToString();
        Assert.StartsWith("/melden/bedankt/", locatie);
        var code = locatie["/melden/bedankt/".Length..];

        await using var connection = await DataSource.OpenConnectionAsync();
        var melding = await connection.QuerySingleAsync<(long Id, string Buurt, string Status, string Omschrijving, DateTime Voorgevallen)>(
            "SELECT id, buurt_code, status, omschrijving, voorgevallen_op FROM melding WHERE volgcode = @code",
            new { code }
        );
        Assert.InRange((melding.Voorgevallen - wanneer).TotalMinutes, -1.5, 1.5);
        Assert.Equal(TestGemeente.EersteBuurt, melding.Buurt);
        Assert.Equal("gemeld", melding.Status);
        Assert.Equal(
            "melder@example.nl",
            await connection.QuerySingleAsync<string>("SELECT email FROM melder_contact WHERE melding_id = @Id", new { melding.Id })
        );
        Assert.Equal(
            1,
            await connection.ExecuteScalarAsync<long>(
                "SELECT count(*) FROM melding_historie WHERE melding_id = @Id AND naar_status = 'gemeld'",
                new { melding.Id }
            )
        );

        var opgeslagen = await connection.QuerySingleAsync<byte[]>(
            "SELECT jpeg FROM melding_foto WHERE melding_id = @Id",
            new { melding.Id }
        );
        var directories = ImageMetadataReader.ReadMetadata(new MemoryStream(opgeslagen));
        Assert.Empty(directories.OfType<GpsDirectory>());
        Assert.Empty(directories.OfType<ExifIfd0Directory>());
        Assert.Equal(0xFF, opgeslagen[0]);
        Assert.Equal(0xD8, opgeslagen[1]);

        var mail = await connection.QuerySingleAsync<(string Aan, string Onderwerp, string Tekst)>(
            "SELECT aan, onderwerp, tekst FROM mail_outbox WHERE sleutel = @sleutel",
            new { sleutel = $"melding-ontvangen:{melding.Id}" }
        );
        Assert.Equal("melder@example.nl", mail.Aan);
        Assert.Contains(code, mail.Onderwerp);
        Assert.Contains($"/melding/{code}\n", mail.Tekst);
        Assert.Matches($"/melding/{code}/opvolgen/[A-Za-z0-9_-]{{43}}", mail.Tekst);

        // The confirmation shows the tracking code and, once, the private link.
        var bedankt = await client.Http.GetStringAsync(locatie);
        Assert.Contains(code, bedankt);
        Assert.Matches($"href=\"/melding/{code}/opvolgen/[A-Za-z0-9_-]{{43}}\"", bedankt);
        var nogmaals = await client.Http.GetStringAsync(locatie);
        Assert.DoesNotContain("/opvolgen/", nogmaals);
    }

    [Fact]
    public async Task A_double_submit_with_the_same_key_creates_one_report()
    {
        var client = NieuweClient();
        var pagina = await client.OpenAsync("/melden");

        var eerste = await client.PostAsync("/melden", pagina.Token, Velden(pagina.IdempotentieSleutel));
        var tweede = await client.PostAsync("/melden", pagina.Token, Velden(pagina.IdempotentieSleutel));

        await AssertDoorgestuurd(eerste);
        await AssertDoorgestuurd(tweede);
        Assert.Equal(eerste.Headers.Location, tweede.Headers.Location);
        Assert.Equal(1, await AantalMeldingen());
    }

    [Fact]
    public async Task A_place_outside_the_municipality_is_refused_in_dutch_and_the_input_kept()
    {
        var client = NieuweClient();
        var pagina = await client.OpenAsync("/melden");

        var antwoord = await client.PostAsync(
            "/melden",
            pagina.Token,
            Velden(
                pagina.IdempotentieSleutel,
                lat: 52.3731,
                lon: 4.8926,
                omschrijving: "Scooters op de Dam, veel te hard.",
                email: "iemand@example.nl"
            )
        );
        var html = await antwoord.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, antwoord.StatusCode);
        Assert.Contains($"Deze plek ligt buiten de gemeente {TestGemeente.Naam}", html);
        Assert.Contains("Scooters op de Dam, veel te hard.</textarea>", html);
        Assert.Contains("value=\"iemand@example.nl\"", html);
        Assert.Contains("value=\"parkeeroverlast\" checked=\"checked\"", html);
        Assert.Equal(0, await AantalMeldingen());
    }

    [Fact]
    public async Task Missing_input_gets_a_message_next_to_each_field()
    {
        var client = NieuweClient();
        var pagina = await client.OpenAsync("/melden");

        var antwoord = await client.PostAsync(
            "/melden",
            pagina.Token,
            Velden(pagina.IdempotentieSleutel, rubriek: "", lat: null, lon: null, omschrijving: "", email: "geen-adres")
        );
        var html = await antwoord.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, antwoord.StatusCode);
        Assert.Contains("id=\"fout-Lat\"", html);
        Assert.Contains("Kies op de kaart of via het adres waar het is.", html);
        Assert.Contains("Kies wat u wilt melden.", html);
        Assert.Contains("Vul een omschrijving in.", html);
        Assert.Contains("Vul een geldig e-mailadres in", html);
        Assert.Contains("value=\"geen-adres\"", html);
        Assert.Contains("aria-invalid=\"true\"", html);
        Assert.Contains($"value=\"{pagina.IdempotentieSleutel}\"", html);
        Assert.Equal(0, await AantalMeldingen());
    }

    [Theory]
    [InlineData("kort", "De omschrijving is te kort")]
    [InlineData(null, "De omschrijving is te lang")]
    public async Task Description_length_is_limited(string? omschrijving, string verwacht)
    {
        var client = NieuweClient();
        var pagina = await client.OpenAsync("/melden");

        var antwoord = await client.PostAsync(
            "/melden",
            pagina.Token,
            Velden(pagina.IdempotentieSleutel, omschrijving: omschrijving ?? new string('x', 2001))
        );

        Assert.Equal(HttpStatusCode.BadRequest, antwoord.StatusCode);
        Assert.Contains(verwacht, await antwoord.Content.ReadAsStringAsync());
        Assert.Equal(0, await AantalMeldingen());
    }

    [Fact]
    public async Task Unknown_category_is_refused()
    {
        var client = NieuweClient();
        var pagina = await client.OpenAsync("/melden");

        var antwoord = await client.PostAsync("/melden", pagina.Token, Velden(pagina.IdempotentieSleutel, rubriek: "bestaat-niet"));

        Assert.Equal(HttpStatusCode.BadRequest, antwoord.StatusCode);
        Assert.Contains("Kies wat u wilt melden.", await antwoord.Content.ReadAsStringAsync());
        Assert.Equal(0, await AantalMeldingen());
    }

    [Fact]
    public async Task A_file_that_is_not_an_image_is_refused_and_the_rest_kept()
    {
        var client = NieuweClient();
        var pagina = await client.OpenAsync("/melden");

        var antwoord = await client.PostAsync(
            "/melden",
            pagina.Token,
            Velden(pagina.IdempotentieSleutel),
            [("Invoer.Fotos", "foto.jpg", TestFotos.GeenFoto(), "image/jpeg")]
        );
        var html = await antwoord.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, antwoord.StatusCode);
        Assert.Contains("foto.jpg: Dit bestand is geen foto.", html);
        Assert.Contains("Elke ochtend staan er auto&#x27;s op de stoep bij de school.</textarea>", html);
        Assert.Equal(0, await AantalMeldingen());
    }

    [Fact]
    public async Task More_than_three_photos_are_refused()
    {
        var client = NieuweClient();
        var pagina = await client.OpenAsync("/melden");
        var foto = TestFotos.Jpeg(64, 48);

        var antwoord = await client.PostAsync(
            "/melden",
            pagina.Token,
            Velden(pagina.IdempotentieSleutel),
            Enumerable.Range(1, 4).Select(i => ("Invoer.Fotos", $"f{i}.jpg", foto, "image/jpeg"))
        );

        Assert.Equal(HttpStatusCode.BadRequest, antwoord.StatusCode);
        Assert.Contains("U kunt maximaal 3 foto", await antwoord.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Photos_survive_a_failed_submit_and_are_stored_with_the_next()
    {
        var client = NieuweClient();
        var pagina = await client.OpenAsync("/melden");

        var mislukt = await client.PostAsync(
            "/melden",
            pagina.Token,
            Velden(pagina.IdempotentieSleutel, omschrijving: ""),
            [
                (
                    "Invoer.Fotos",
                    "foto.jpg",
                    TestFotos.JpegMetGps(TestGemeente.Plek(52.35, 4.62).Lat, TestGemeente.Plek(52.35, 4.62).Lon),
                    "image/jpeg"
                ),
            ]
        );
        var html = await mislukt.Content.ReadAsStringAsync();
        var id = System
            .Text.RegularExpressions.Regex.Match(html, "name=\"Invoer.BewaardeFotos\" value=\"([0-9a-f-]{36})\"")
            .Groups[1]
            .Value;
        var thumbnail = await client.Http.GetAsync($"/melden/foto/{id}");

        var gelukt = await client.PostAsync(
            "/melden",
            pagina.Token,
            [.. Velden(pagina.IdempotentieSleutel), new("Invoer.BewaardeFotos", id)]
        );

        Assert.Equal(HttpStatusCode.BadRequest, mislukt.StatusCode);
        Assert.Equal(HttpStatusCode.OK, thumbnail.StatusCode);
        Assert.Equal("image/jpeg", thumbnail.Content.Headers.ContentType?.MediaType);
        await AssertDoorgestuurd(gelukt);
        await using var connection = await DataSource.OpenConnectionAsync();
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM melding_foto"));
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM foto_upload"));
    }

    [Fact]
    public async Task Without_javascript_a_photos_own_place_is_offered_when_no_place_was_chosen_and_used_once_confirmed()
    {
        var client = NieuweClient();
        var pagina = await client.OpenAsync("/melden");
        // The photo field comes before the map and the address: the photo's place is offered first
        // (on a phone the compact photo row sits above a map that still fills the first screen).
        var leeg = await client.Http.GetStringAsync("/melden");
        Assert.True(leeg.IndexOf("id=\"fotos\"", StringComparison.Ordinal) < leeg.IndexOf("id=\"meldkaart\"", StringComparison.Ordinal));
        Assert.True(leeg.IndexOf("id=\"fotos\"", StringComparison.Ordinal) < leeg.IndexOf("id=\"veld-Rubriek\"", StringComparison.Ordinal));

        var eerste = await client.PostAsync(
            "/melden",
            pagina.Token,
            Velden(pagina.IdempotentieSleutel, lat: null, lon: null),
            [("Invoer.Fotos", "IMG_0001.jpg", TestFotos.JpegMetGps(CentrumLat, CentrumLon), "image/jpeg")]
        );
        var html = await eerste.Content.ReadAsStringAsync();

        // Nothing stored yet: the melder first sees the place and confirms it by sending again.
        Assert.Equal(HttpStatusCode.OK, eerste.StatusCode);
        Assert.Equal(0, await AantalMeldingen());
        Assert.Contains("id=\"foto-plek-voorgesteld\"", html);
        Assert.Contains("Wij hebben de plek ingevuld waar uw foto is gemaakt", WebUtility.HtmlDecode(html));
        string Waarde(string naam) =>
            System.Text.RegularExpressions.Regex.Match(html, $"name=\"{naam}\"[^>]*value=\"([^\"]*)\"").Groups[1].Value;
        Assert.Equal(CentrumLat, double.Parse(Waarde("Invoer.Lat"), System.Globalization.CultureInfo.InvariantCulture), 5);
        Assert.Equal(CentrumLon, double.Parse(Waarde("Invoer.Lon"), System.Globalization.CultureInfo.InvariantCulture), 5);
        Assert.StartsWith("in de buurt ", WebUtility.HtmlDecode(Waarde("Invoer.Plek")), StringComparison.Ordinal);
        // The text is kept and the photo too (stripped, waiting in foto_upload).
        Assert.Contains("Elke ochtend staan er auto&#x27;s op de stoep bij de school.", html);
        var fotoId = Waarde("Invoer.BewaardeFotos");
        Assert.Matches("^[0-9a-f-]{36}$", fotoId);

        var bevestigd = await client.PostAsync(
            "/melden",
            pagina.Token,
            [
                .. Velden(pagina.IdempotentieSleutel, lat: null, lon: null, plek: WebUtility.HtmlDecode(Waarde("Invoer.Plek"))),
                new("Invoer.Lat", Waarde("Invoer.Lat")),
                new("Invoer.Lon", Waarde("Invoer.Lon")),
                new("Invoer.BewaardeFotos", fotoId),
            ]
        );

        await AssertDoorgestuurd(bevestigd);
        await using var connection = await DataSource.OpenConnectionAsync();
        var afstand = await connection.ExecuteScalarAsync<double>(
            "SELECT ST_Distance(locatie, ST_Transform(ST_SetSRID(ST_MakePoint(@lon, @lat), 4326), 28992)) FROM melding",
            new { lat = CentrumLat, lon = CentrumLon }
        );
        Assert.True(afstand < 1, $"{afstand} m from the photo's place");
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM melding_foto"));
    }

    [Fact]
    public async Task A_photo_taken_outside_the_municipality_is_not_offered_as_the_place()
    {
        var client = NieuweClient();
        var pagina = await client.OpenAsync("/melden");

        var antwoord = await client.PostAsync(
            "/melden",
            pagina.Token,
            Velden(pagina.IdempotentieSleutel, lat: null, lon: null),
            [("Invoer.Fotos", "IMG_0002.jpg", TestFotos.JpegMetGps(52.3702, 4.8952), "image/jpeg")]
        );
        var html = WebUtility.HtmlDecode(await antwoord.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, antwoord.StatusCode);
        Assert.Contains("De plek waar uw foto is gemaakt ligt buiten de gemeente", html);
        Assert.DoesNotContain("id=\"foto-plek-voorgesteld\"", html);
        Assert.Equal(0, await AantalMeldingen());
    }

    [Fact]
    public async Task The_honeypot_stores_nothing()
    {
        var client = NieuweClient();
        var pagina = await client.OpenAsync("/melden");

        var antwoord = await client.PostAsync("/melden", pagina.Token, Velden(pagina.IdempotentieSleutel, website: "https://spam.example"));

        Assert.Equal(HttpStatusCode.BadRequest, antwoord.StatusCode);
        Assert.Equal(0, await AantalMeldingen());
    }

    [Fact]
    public async Task Without_the_antiforgery_token_nothing_is_stored_and_no_500()
    {
        var client = NieuweClient();
        var pagina = await client.OpenAsync("/melden");

        var antwoord = await client.PostAsync("/melden", "vervalst", Velden(pagina.IdempotentieSleutel));

        Assert.Equal(HttpStatusCode.BadRequest, antwoord.StatusCode);
        Assert.Equal(0, await AantalMeldingen());
    }

    [Fact]
    public async Task The_rate_limit_refuses_with_a_dutch_message_and_keeps_the_input()
    {
        await using var app = new WijkAppFactory(
            Database.ConnectionString,
            new Dictionary<string, string?> { ["Melden:RateLimietAantal"] = "2" }
        );
        var client = NieuweClient(app);
        var pagina = await client.OpenAsync("/melden");

        for (var i = 0; i < 2; i++)
        {
            var ok = await client.PostAsync("/melden", pagina.Token, Velden(Guid.NewGuid().ToString()));
            await AssertDoorgestuurd(ok);
        }
        var geweigerd = await client.PostAsync(
            "/melden",
            pagina.Token,
            Velden(Guid.NewGuid().ToString(), omschrijving: "Derde melding binnen het uur over parkeren.")
        );
        var html = await geweigerd.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.TooManyRequests, geweigerd.StatusCode);
        Assert.Contains("U heeft kort na elkaar veel meldingen gedaan", html);
        Assert.Contains("Derde melding binnen het uur over parkeren.</textarea>", html);
        Assert.Equal(2, await AantalMeldingen());
    }

    [Fact]
    public async Task Nearby_open_reports_of_the_same_category_are_offered_but_never_sensitive_ones()
    {
        MeldingBouwer Bestaand(string rubriek, double dlon) =>
            Een.Melding(DataSource).Rubriek(rubriek).Met("bestaand").Op(CentrumLat, CentrumLon + dlon);
        await Bestaand("parkeeroverlast", 0.0005).OpgeslagenAsync(); // ~34 m: offered
        await Bestaand("parkeeroverlast", 0.0010).Status("afgehandeld").OpgeslagenAsync(); // closed: not offered
        await Bestaand("parkeeroverlast", 0.0060).OpgeslagenAsync(); // ~410 m: too far
        await Bestaand("jeugdoverlast", 0.0002).OpgeslagenAsync(); // other category
        await Bestaand("drugsafval", 0.0002).OpgeslagenAsync(); // never public
        var client = App.CreateClient();

        var parkeren = await client.GetStringAsync($"/melden/dichtbij?lat={CentrumLat}&lon={CentrumLon}&rubriek=parkeeroverlast");
        var drugs = await client.GetStringAsync($"/melden/dichtbij?lat={CentrumLat}&lon={CentrumLon}&rubriek=drugsafval");
        var fout = await client.GetAsync("/melden/dichtbij?lat=abc&lon=4.6&rubriek=x");

        Assert.Single(System.Text.RegularExpressions.Regex.Matches(parkeren, "\"volgcode\""));
        Assert.Matches("\"afstandMeters\":3[2-6][,}]", parkeren);
        Assert.Equal("[]", drugs);
        Assert.Equal(HttpStatusCode.BadRequest, fout.StatusCode);
    }

    [Fact]
    public async Task Fotos_MaxAantal_from_the_configuration_is_the_limit_not_a_constant()
    {
        var foto = TestFotos.Jpeg(64, 48);
        async Task<(HttpResponseMessage Antwoord, string Formulier)> Meld(WijkAppFactory app, int aantal)
        {
            var client = NieuweClient(app);
            var pagina = await client.OpenAsync("/melden");
            var antwoord = await client.PostAsync(
                "/melden",
                pagina.Token,
                Velden(pagina.IdempotentieSleutel),
                Enumerable.Range(1, aantal).Select(i => ("Invoer.Fotos", $"f{i}.jpg", foto, "image/jpeg"))
            );
            return (antwoord, pagina.Html);
        }

        await using (
            var vijf = new WijkAppFactory(Database.ConnectionString, new Dictionary<string, string?> { ["Fotos:MaxAantal"] = "5" })
        )
        {
            var (antwoord, formulier) = await Meld(vijf, 5);
            Assert.Contains("Maximaal 5 foto", WebUtility.HtmlDecode(formulier));
            await AssertDoorgestuurd(antwoord);
        }
        await using var connection = await DataSource.OpenConnectionAsync();
        Assert.Equal(5, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM melding_foto"));

        await using var een = new WijkAppFactory(Database.ConnectionString, new Dictionary<string, string?> { ["Fotos:MaxAantal"] = "1" });
        var (teVeel, _) = await Meld(een, 2);
        Assert.Equal(HttpStatusCode.BadRequest, teVeel.StatusCode);
        Assert.Contains("U kunt maximaal 1 foto", WebUtility.HtmlDecode(await teVeel.Content.ReadAsStringAsync()));
        Assert.Equal(1, await AantalMeldingen());
    }

    [Fact]
    public async Task An_oversized_photo_is_refused_with_a_dutch_message()
    {
        await using var app = new WijkAppFactory(
            Database.ConnectionString,
            new Dictionary<string, string?> { ["Fotos:MaxBytes"] = "20000" }
        );
        var client = NieuweClient(app);
        var pagina = await client.OpenAsync("/melden");

        var antwoord = await client.PostAsync(
            "/melden",
            pagina.Token,
            Velden(pagina.IdempotentieSleutel),
            [("Invoer.Fotos", "groot.jpg", TestFotos.Jpeg(1600, 1200), "image/jpeg")]
        );

        Assert.Equal(HttpStatusCode.BadRequest, antwoord.StatusCode);
        Assert.Contains("groot.jpg: Deze foto is groter dan", await antwoord.Content.ReadAsStringAsync());
        Assert.Equal(0, await AantalMeldingen());
    }

    [Fact]
    public async Task The_confirmation_mail_reaches_the_smtp_server_with_the_tracking_and_private_links()
    {
        using var smtp = TestSmtpServer.Start();
        await using var app = new WijkAppFactory(Database.ConnectionString, smtp.Settings);
        var client = NieuweClient(app);
        var pagina = await client.OpenAsync("/melden");

        var antwoord = await client.PostAsync("/melden", pagina.Token, Velden(pagina.IdempotentieSleutel, email: "bewoner@example.nl"));
        await AssertDoorgestuurd(antwoord);
        var code = antwoord.Headers.Location!.ToString()["/melden/bedankt/".Length..];
        var verzonden = await app
            .Services.GetRequiredService<Wijkmeldingen.Web.Mail.OutboxSender>()
            .VerzendOpenstaandeAsync(CancellationToken.None);

        Assert.Equal(1, verzonden);
        var mail = Assert.Single(smtp.Messages);
        Assert.Equal("bewoner@example.nl", mail.To.Mailboxes.Single().Address);
        Assert.Equal($"Uw melding {code} is ontvangen", mail.Subject);
        Assert.Contains($"http://127.0.0.1:5080/melding/{code}\n", (mail.TextBody ?? "").ReplaceLineEndings("\n"));
        Assert.Matches($"http://127.0.0.1:5080/melding/{code}/opvolgen/[A-Za-z0-9_-]{{43}}", mail.TextBody);
        Assert.Contains("Bij spoed of gevaar: bel 112.", mail.TextBody);
    }
}
