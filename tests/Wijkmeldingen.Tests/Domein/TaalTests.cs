using System.Net;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Tests.Domein;

/// <summary>The English UI names categories, themes, priorities and states in English (V65, in_taal,
/// Domein.Taal) and refuses photos in English; the Dutch UI, the open data and the CSV exports stay
/// Dutch; a category without an English text falls back to Dutch.</summary>
public sealed class TaalTests : AppTest
{
    private static string Tekst(string html) => WebUtility.HtmlDecode(html);

    private async Task<string> Html(string pad) => Tekst(await App.CreateClient().GetStringAsync(pad));

    [Fact]
    public async Task Report_form_in_english_offers_english_categories_themes_and_guidance()
    {
        var engels = await Html("/melden?culture=en");
        var nederlands = await Html("/melden");

        Assert.Contains("<html lang=\"en\">", engels);
        Assert.Contains(">Parking nuisance</span>", engels);
        Assert.Contains(">Traffic</h3>", engels);
        Assert.Contains("Wrongly or obstructively parked vehicles.", engels);
        Assert.Contains("Do not touch the waste and keep your distance", engels);
        Assert.DoesNotContain(">Parkeeroverlast</span>", engels);
        Assert.DoesNotContain(">Verkeer</h3>", engels);
        Assert.DoesNotContain("Raak het afval niet aan", engels);

        Assert.Contains(">Parkeeroverlast</span>", nederlands);
        Assert.Contains(">Verkeer</h3>", nederlands);
        Assert.Contains("Raak het afval niet aan", nederlands);
        Assert.DoesNotContain("Parking nuisance", nederlands);
    }

    [Fact]
    public async Task Tracking_page_in_english_shows_english_category_theme_and_states()
    {
        var melding = await Een.Melding(DataSource).Rubriek("jeugdoverlast").OpgeslagenAsync();
        await using (var connection = await DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync(
                """
                UPDATE melding SET status = 'in-behandeling' WHERE id = @Id;
                INSERT INTO melding_historie (melding_id, van_status, naar_status, door)
                VALUES (@Id, 'gemeld', 'in-behandeling', 'wijkagent');
                """,
                new { melding.Id }
            );
        }

        var engels = await Html($"/melding/{melding.Volgcode}?culture=en");
        var nederlands = await Html($"/melding/{melding.Volgcode}");

        Assert.Contains("Youth nuisance <span class=\"thema-label\">(Nuisance)</span>", engels);
        Assert.Contains("id=\"status\">In progress</span>", engels);
        Assert.Contains("<strong>Reported</strong>", engels);
        Assert.DoesNotContain("Jeugdoverlast", engels);
        Assert.DoesNotContain("In behandeling", engels);
        Assert.Contains("Jeugdoverlast <span class=\"thema-label\">(Overlast)</span>", nederlands);
        Assert.Contains("id=\"status\">In behandeling</span>", nederlands);
        Assert.DoesNotContain("Youth nuisance", nederlands);
    }

    [Fact]
    public async Task Map_in_english_after_the_language_switch_filters_lists_and_pops_up_in_english()
    {
        await Een.Melding(DataSource).Rubriek("jeugdoverlast").OpgeslagenAsync();
        var client = App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var wissel = await client.GetAsync("/taal/en?terug=/kaart");
        Assert.Equal(HttpStatusCode.Redirect, wissel.StatusCode);

        var engels = Tekst(await client.GetStringAsync("/kaart"));
        var geojson = await client.GetAsync("/kaart/meldingen.geojson?zoom=18&bbox=" + TestGemeente.Bbox(4.5, 52.3, 4.7, 52.4));
        var nederlands = await Html("/kaart");

        Assert.Contains("<optgroup label=\"Nuisance\">", engels);
        Assert.Contains(">Youth nuisance</option>", engels);
        Assert.Contains(">Youth nuisance</a></td>", engels);
        Assert.Contains("<td>Reported</td>", engels);
        Assert.DoesNotContain("Jeugdoverlast", engels);
        using var json = JsonDocument.Parse(await geojson.Content.ReadAsStringAsync());
        var plek = Assert.Single(json.RootElement.GetProperty("features").EnumerateArray()).GetProperty("properties");
        // One public place with its newest reports (KaartPlekken).
        var eigenschappen = Assert.Single(plek.GetProperty("meldingen").EnumerateArray());
        Assert.Equal("Youth nuisance", eigenschappen.GetProperty("rubriek").GetString());
        Assert.Equal("Reported", eigenschappen.GetProperty("status").GetString());
        Assert.True(geojson.Headers.CacheControl!.Private);

        Assert.Contains("<optgroup label=\"Overlast\">", nederlands);
        Assert.Contains(">Jeugdoverlast</a></td>", nederlands);
        Assert.Contains("<td>Gemeld</td>", nederlands);
        Assert.DoesNotContain("Youth nuisance", nederlands);
    }

    [Fact]
    public async Task Safety_picture_in_english_names_priorities_themes_and_categories_in_english_but_its_csv_stays_dutch()
    {
        var engels = await Html($"/wijken/{TestGemeente.EersteWijk}?culture=en");
        var csv = await App.CreateClient().GetStringAsync($"/wijken/{TestGemeente.EersteWijk}/cijfers.csv?culture=en");
        var nederlands = await Html($"/wijken/{TestGemeente.EersteWijk}");

        Assert.Contains("Safe & liveable neighbourhoods", engels);
        Assert.Contains("Nuisance", engels);
        Assert.Contains("Youth nuisance", engels);
        Assert.DoesNotContain("Jeugdoverlast", engels);
        Assert.Contains("Jeugdoverlast", csv);
        Assert.DoesNotContain("Youth nuisance", csv);
        Assert.Contains("Veilige & Leefbare wijken", nederlands);
        Assert.DoesNotContain("Youth nuisance", nederlands);
    }

    [Fact]
    public async Task A_category_without_english_text_falls_back_to_dutch()
    {
        await using (var connection = await EigenaarDataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO rubriek (thema_id, code, naam, uitleg, openbaarheid, volgorde)
                SELECT id, 'vuurwerkoverlast', 'Vuurwerkoverlast', 'Vuurwerk buiten de toegestane tijden.', 'exact', 3
                FROM thema WHERE code = 'overlast'
                """
            );
        }

        var engels = await Html("/melden?culture=en");

        Assert.Contains(">Vuurwerkoverlast</span>", engels);
        Assert.Contains("Vuurwerk buiten de toegestane tijden.", engels);
        Assert.Contains(">Residential nuisance</span>", engels);
    }

    [Fact]
    public async Task A_beheerder_writes_the_english_texts_of_a_category_and_staff_see_english_names()
    {
        await BeheerAccounts.MaakAsync(App.Services, "beheerder@example.nl", "Bea Beheerder", Rollen.Beheerder);
        var beheerder = await BeheerAccounts.IngelogdAsync(App, "beheerder@example.nl");
        await Een.Melding(DataSource).Rubriek("jeugdoverlast").OpgeslagenAsync();
        short thema;
        await using (var connection = await DataSource.OpenConnectionAsync())
        {
            thema = await connection.QuerySingleAsync<short>("SELECT id FROM thema WHERE code = 'overlast'");
        }
        var nieuw = await beheerder.OpenAsync("/beheer/rubrieken/nieuw");
        KeyValuePair<string, string>[] velden =
        [
            new("Rubriek.Code", "vuurwerkoverlast"),
            new("Rubriek.Naam", "Vuurwerkoverlast"),
            new("Rubriek.Uitleg", "Vuurwerk buiten de toegestane tijden."),
            new("Rubriek.Advies", "Bel bij brand 112."),
            new("Rubriek.NaamEn", " Fireworks nuisance "),
            new("Rubriek.UitlegEn", "Fireworks outside the permitted times."),
            new("Rubriek.AdviesEn", "In case of fire call 112."),
            new("Rubriek.ThemaId", thema.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("Rubriek.Openbaarheid", "exact"),
            new("Rubriek.Actief", "true"),
            new("Rubriek.Volgorde", "3"),
            new("Rubriek.Dagen", "2"),
        ];
        var teLang = await beheerder.PostAsync(
            "/beheer/rubrieken/nieuw",
            nieuw.Token,
            velden.Select(v => v.Key == "Rubriek.NaamEn" ? new(v.Key, new string('x', 101)) : v)
        );
        var opgeslagen = await beheerder.PostAsync("/beheer/rubrieken/nieuw", nieuw.Token, velden);

        Assert.Equal(HttpStatusCode.BadRequest, teLang.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, opgeslagen.StatusCode);
        var engels = await Html("/melden?culture=en");
        Assert.Contains(">Fireworks nuisance</span>", engels);
        Assert.Contains("Fireworks outside the permitted times.", engels);
        Assert.Contains("In case of fire call 112.", engels);
        var nederlands = await Html("/melden");
        Assert.Contains(">Vuurwerkoverlast</span>", nederlands);
        Assert.DoesNotContain("Fireworks", nederlands);
        var bewerken = await beheerder.OpenAsync("/beheer/rubrieken/nieuw");
        Assert.DoesNotContain("Fireworks", bewerken.Html);

        var lijst = Tekst(await beheerder.Http.GetStringAsync("/beheer/meldingen?culture=en"));
        Assert.Contains("Youth nuisance", lijst);
        Assert.Contains(">Reported</span>", lijst);
        Assert.DoesNotContain(">Gemeld</span>", lijst);
    }

    [Fact]
    public async Task A_refused_photo_is_explained_in_english_in_the_english_ui()
    {
        var client = new FormulierClient(App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }));
        var pagina = await client.OpenAsync("/melden?culture=en");
        KeyValuePair<string, string>[] velden =
        [
            new("Invoer.Rubriek", "parkeeroverlast"),
            new("Invoer.Omschrijving", "Every morning cars are parked on the pavement by the school."),
            new("Invoer.Lat", TestGemeente.PlekTekst(52.3524, 4.6192).Lat),
            new("Invoer.Lon", TestGemeente.PlekTekst(52.3524, 4.6192).Lon),
            new("Invoer.IdempotentieSleutel", pagina.IdempotentieSleutel!),
        ];

        var antwoord = await client.PostAsync(
            "/melden?culture=en",
            pagina.Token,
            velden,
            [("Invoer.Fotos", "foto.jpg", TestFotos.GeenFoto(), "image/jpeg")]
        );
        var html = Tekst(await antwoord.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, antwoord.StatusCode);
        Assert.Contains("foto.jpg: This file is not a photo. Choose a JPG, PNG or WebP file.", html);
        Assert.DoesNotContain("Dit bestand is geen foto", html);
    }

    [Fact]
    public async Task Open311_answers_in_dutch_unless_the_client_asks_for_english()
    {
        async Task<string?> Groep(string query, string? acceptLanguage = null, bool engelsCookie = false)
        {
            var client = App.CreateClient();
            if (engelsCookie)
            {
                await client.GetAsync("/taal/en?terug=/");
            }
            using var verzoek = new HttpRequestMessage(HttpMethod.Get, "/open311/v2/services.json" + query);
            if (acceptLanguage is not null)
            {
                verzoek.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
            }
            var antwoord = await client.SendAsync(verzoek);
            Assert.Equal(HttpStatusCode.OK, antwoord.StatusCode);
            using var json = JsonDocument.Parse(await antwoord.Content.ReadAsStringAsync());
            var dienst = json.RootElement.EnumerateArray().Single(d => d.GetProperty("service_code").GetString() == "te-hard-rijden");
            return dienst.GetProperty("service_name").GetString() + "/" + dienst.GetProperty("group").GetString();
        }

        Assert.Equal("Te hard rijden/Verkeer", await Groep(""));
        Assert.Equal("Speeding/Traffic", await Groep("?locale=en"));
        Assert.Equal("Speeding/Traffic", await Groep("?locale=en-GB"));
        Assert.Equal("Speeding/Traffic", await Groep("", "en-GB,en;q=0.9,nl;q=0.5"));
        Assert.Equal("Te hard rijden/Verkeer", await Groep("", "nl-NL,nl;q=0.9,en;q=0.8"));
        Assert.Equal("Te hard rijden/Verkeer", await Groep("?locale=nl", "en"));
        Assert.Equal("Te hard rijden/Verkeer", await Groep("", engelsCookie: true));
    }

    [Fact]
    public async Task Open_data_stays_dutch_in_the_english_ui()
    {
        await Een.Melding(DataSource).Rubriek("jeugdoverlast").OpgeslagenAsync();

        var csv = await App.CreateClient().GetStringAsync("/opendata/meldingen.csv?culture=en");
        var geojson = await App.CreateClient().GetStringAsync("/opendata/meldingen.geojson?culture=en");

        Assert.Contains("Jeugdoverlast", csv);
        Assert.Contains("Gemeld", csv);
        Assert.DoesNotContain("Youth nuisance", csv);
        Assert.Contains("Jeugdoverlast", geojson);
        Assert.DoesNotContain("Youth nuisance", geojson);
    }
}
