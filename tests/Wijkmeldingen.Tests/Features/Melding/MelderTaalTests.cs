using System.Net;
using Dapper;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Features.Open311;

namespace Wijkmeldingen.Tests.Features.Melding;

/// <summary>The melder's language (issue 18): stored with the report when it is filed (UI culture of
/// /melden, Open311's locale), and used for the mails staff actions send the melder later (status
/// message, handled with the satisfaction question, staff question), whatever language staff use.
/// Followers, whose language is unknown, keep Dutch.</summary>
public sealed class MelderTaalTests : DatabaseTest
{
    private WijkAppFactory app = null!;
    private FormulierClient wijkagent = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        app = new WijkAppFactory(Database.ConnectionString);
        await BeheerAccounts.MaakAsync(app.Services, "wijkagent@heemstede.nl", "Wim Wijkagent", Rollen.Wijkprofessional);
        wijkagent = await BeheerAccounts.IngelogdAsync(app, "wijkagent@heemstede.nl");
    }

    public override async Task DisposeAsync()
    {
        await app.DisposeAsync();
        await base.DisposeAsync();
    }

    private async Task<string> TaalAsync(string omschrijving)
    {
        await using var db = await DataSource.OpenConnectionAsync();
        return await db.QuerySingleAsync<string>("SELECT taal FROM melding WHERE omschrijving = @omschrijving", new { omschrijving });
    }

    private async Task<(string Onderwerp, string Tekst)> LaatsteMailAsync(string aan, string soort)
    {
        await using var db = await DataSource.OpenConnectionAsync();
        return await db.QuerySingleAsync<(string, string)>(
            "SELECT onderwerp, tekst FROM mail_outbox WHERE aan = @aan AND sleutel LIKE @soort ORDER BY id DESC LIMIT 1",
            new { aan, soort = soort + "%" }
        );
    }

    private async Task StatusAsync(long id, string van, string naar, string tekst)
    {
        var pagina = await wijkagent.OpenAsync($"/beheer/meldingen/{id}?culture=en");
        var antwoord = await wijkagent.PostAsync(
            $"/beheer/meldingen/{id}?handler=Status&culture=en",
            pagina.Token,
            [new("Huidig", van), new("NaarStatus", naar), new("Tekst", tekst)]
        );
        Assert.Equal(HttpStatusCode.Redirect, antwoord.StatusCode);
    }

    [Fact]
    public async Task Open311_stores_the_locale_as_the_melders_language()
    {
        var sleutel = await ApiSleutels.MaakAsync(DataSource, "testapp");
        var client = app.CreateClient();
        var plek = TestGemeente.PlekTekst(52.3524, 4.6192);
        async Task PostAsync(string omschrijving, string? locale)
        {
            var velden = new List<KeyValuePair<string, string>>
            {
                new("api_key", sleutel),
                new("service_code", "parkeeroverlast"),
                new("lat", plek.Lat),
                new("long", plek.Lon),
                new("description", omschrijving),
                new("email", "melder@example.nl"),
            };
            if (locale is not null)
            {
                velden.Add(new("locale", locale));
            }
            using var inhoud = new FormUrlEncodedContent(velden);
            var antwoord = await client.PostAsync("/open311/v2/requests.json", inhoud);
            Assert.True(antwoord.IsSuccessStatusCode, await antwoord.Content.ReadAsStringAsync());
        }

        await PostAsync("A van parks on the pavement every day.", "en");
        await PostAsync("Een bestelbus staat elke dag op de stoep.", null);

        Assert.Equal("en", await TaalAsync("A van parks on the pavement every day."));
        Assert.Equal("nl", await TaalAsync("Een bestelbus staat elke dag op de stoep."));
    }

    [Fact]
    public async Task An_english_filer_gets_english_mails_from_staff_and_a_dutch_follower_stays_dutch()
    {
        var engels = await Een.Melding(DataSource).Email("melder@example.nl").InTaal("en").OpgeslagenAsync();
        var nederlands = await Een.Melding(DataSource).Verschoven(60, 0).Email("buur@example.nl").OpgeslagenAsync();
        var volger = new FormulierClient(app.CreateClient());
        var volgPagina = await volger.OpenAsync($"/melding/{engels.Volgcode}");
        await volger.PostAsync($"/melding/{engels.Volgcode}?handler=Volgen", volgPagina.Token, [new("VolgEmail", "volger@example.nl")]);

        // Staff work in English here: the melder's own language decides, not theirs.
        await StatusAsync(engels.Id, "gemeld", "in-behandeling", "Een handhaver komt kijken.");
        await StatusAsync(nederlands.Id, "gemeld", "in-behandeling", "Een handhaver komt kijken.");

        var bericht = await LaatsteMailAsync("melder@example.nl", "melding-bericht:");
        Assert.Equal($"News about your report {engels.Volgcode}", bericht.Onderwerp);
        Assert.Contains("There is news about your report", bericht.Tekst);
        Assert.Contains("Status: In progress", bericht.Tekst);
        Assert.Contains("Parking nuisance", bericht.Tekst);
        var volgerMail = await LaatsteMailAsync("volger@example.nl", "melding-bericht:");
        Assert.Equal($"Nieuws over uw melding {engels.Volgcode}", volgerMail.Onderwerp);
        Assert.Contains("Status: In behandeling", volgerMail.Tekst);
        var buur = await LaatsteMailAsync("buur@example.nl", "melding-bericht:");
        Assert.Equal($"Nieuws over uw melding {nederlands.Volgcode}", buur.Onderwerp);

        var pagina = await wijkagent.OpenAsync($"/beheer/meldingen/{engels.Id}?culture=en");
        var vraag = await wijkagent.PostAsync(
            $"/beheer/meldingen/{engels.Id}?handler=Vraag&culture=en",
            pagina.Token,
            [new("Vraag", "Is the van still there?")]
        );
        Assert.Equal(HttpStatusCode.Redirect, vraag.StatusCode);
        var vraagMail = await LaatsteMailAsync("melder@example.nl", "melding-vraag:");
        Assert.Equal($"Question about your report {engels.Volgcode}", vraagMail.Onderwerp);
        Assert.Contains("Is the van still there?", vraagMail.Tekst);

        await StatusAsync(engels.Id, "in-behandeling", "afgehandeld", "");
        var afgehandeld = await LaatsteMailAsync("melder@example.nl", "melding-bericht:");
        Assert.Contains("has been handled", afgehandeld.Tekst);
        Assert.Contains("Are you satisfied with how your report was handled?", afgehandeld.Tekst);
    }
}
