using System.Net;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Features.Open311;

namespace Wijkmeldingen.Tests.Features.Melden;

/// <summary>Extra questions per category (issue 18): the seeded questions on /melden without script,
/// checked with Dutch messages and input kept, stored with the report and shown to staff; a stop with
/// the number to call; Open311's attribute[code]; staff editing on /beheer/rubrieken/{id}.</summary>
public sealed class RubriekVragenTests : AppTest
{
    private FormulierClient NieuweClient() => new(App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }));

    private static List<KeyValuePair<string, string>> Velden(string sleutel, string rubriek, params (string, string)[] extra) =>
        [
            new("Invoer.IdempotentieSleutel", sleutel),
            new("Invoer.Rubriek", rubriek),
            new("Invoer.Omschrijving", "Twee blauwe vaten met een scherpe lucht langs het fietspad."),
            new("Invoer.Lat", TestGemeente.PlekTekst(52.3524, 4.6192).Lat),
            new("Invoer.Lon", TestGemeente.PlekTekst(52.3524, 4.6192).Lon),
            .. extra.Select(e => new KeyValuePair<string, string>(e.Item1, e.Item2)),
        ];

    private async Task<long> Aantal(string tabel)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM {tabel}");
    }

    [Fact]
    public async Task Without_script_the_questions_come_after_the_category_and_the_answers_are_stored_and_shown_to_staff()
    {
        var client = NieuweClient();
        var pagina = await client.OpenAsync("/melden");
        Assert.Contains("id=\"vragen-drugsafval\"", pagina.Html);
        Assert.Matches("<fieldset[^>]*id=\"vragen-drugsafval\"[^>]*hidden", pagina.Html);

        // First submit: the category has a stop, so the form comes back with its questions, nothing stored.
        var eerst = await client.PostAsync("/melden", pagina.Token, Velden(pagina.IdempotentieSleutel!, "drugsafval"));
        var eerstHtml = await eerst.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, eerst.StatusCode);
        Assert.Contains("id=\"vragen-eerst\"", eerstHtml);
        Assert.Contains("Wat heeft u gevonden?", eerstHtml);
        Assert.DoesNotMatch("<fieldset[^>]*id=\"vragen-drugsafval\"[^>]*hidden", eerstHtml);
        Assert.Contains("name=\"Invoer.VragenVoor\" id=\"vragen-voor\" value=\"drugsafval\"", eerstHtml);
        Assert.Contains("Twee blauwe vaten", eerstHtml);
        Assert.Equal(0, await Aantal("melding"));

        // An answer that is not one of the choices: Dutch message, input kept, 400.
        var fout = await client.PostAsync(
            "/melden",
            pagina.Token,
            Velden(
                pagina.IdempotentieSleutel!,
                "drugsafval",
                ("Invoer.VragenVoor", "drugsafval"),
                ("Invoer.Antwoorden[gevonden]", "Een gouden kroon"),
                ("Invoer.Antwoorden[sinds]", "gisteren")
            )
        );
        var foutHtml = await fout.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, fout.StatusCode);
        Assert.Contains("Kies een van de antwoorden bij: Wat heeft u gevonden?", foutHtml);
        Assert.Contains("Twee blauwe vaten", foutHtml);
        Assert.Equal(0, await Aantal("melding"));

        var goed = await client.PostAsync(
            "/melden",
            pagina.Token,
            Velden(
                pagina.IdempotentieSleutel!,
                "drugsafval",
                ("Invoer.VragenVoor", "drugsafval"),
                ("Invoer.Antwoorden[gevaar]", "nee"),
                ("Invoer.Antwoorden[gevonden]", "Vaten of jerrycans"),
                ("Invoer.Antwoorden[nog_aanwezig]", "ja")
            )
        );
        Assert.Equal(HttpStatusCode.Redirect, goed.StatusCode);
        await using var connection = await DataSource.OpenConnectionAsync();
        var antwoorden = (
            await connection.QueryAsync<(string Code, string Vraag, string Antwoord)>(
                "SELECT code, vraag, antwoord FROM melding_antwoord ORDER BY volgorde"
            )
        ).ToList();
        Assert.Equal(
            [
                ("gevaar", "Lekt er iets, ruikt u een sterke chemische lucht of voelt u zich niet goed?", "nee"),
                ("gevonden", "Wat heeft u gevonden?", "Vaten of jerrycans"),
                ("nog_aanwezig", "Ligt het er nu nog?", "ja"),
            ],
            antwoorden
        );

        await BeheerAccounts.MaakAsync(App.Services, "wijkagent@heemstede.nl", "Wim Wijkagent", Rollen.Wijkprofessional);
        var wijkagent = await BeheerAccounts.IngelogdAsync(App, "wijkagent@heemstede.nl");
        var id = await connection.QuerySingleAsync<long>("SELECT id FROM melding");
        var staf = await wijkagent.Http.GetStringAsync($"/beheer/meldingen/{id}");
        Assert.Contains("id=\"antwoorden\"", staf);
        Assert.Contains("<dt>Wat heeft u gevonden?</dt>", staf);
        Assert.Contains("Vaten of jerrycans</dd>", staf);
    }

    [Fact]
    public async Task A_stop_answered_yes_shows_the_number_and_refuses_the_report()
    {
        var client = NieuweClient();
        var pagina = await client.OpenAsync("/melden?rubriek=zorgen-om-iemand");
        Assert.DoesNotMatch("<fieldset[^>]*id=\"vragen-zorgen-om-iemand\"[^>]*hidden", pagina.Html);

        var antwoord = await client.PostAsync(
            "/melden",
            pagina.Token,
            Velden(
                pagina.IdempotentieSleutel!,
                "zorgen-om-iemand",
                ("Invoer.VragenVoor", "zorgen-om-iemand"),
                ("Invoer.Antwoorden[gevaar]", "ja")
            )
        );
        var html = await antwoord.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, antwoord.StatusCode);
        Assert.Contains("U kunt dit hier niet melden.", html);
        Assert.Contains("Bel 112.", html);
        Assert.Contains("href=\"tel:112\"", html);
        Assert.Equal(0, await Aantal("melding"));
    }

    [Fact]
    public async Task Open311_lists_the_questions_as_attributes_and_takes_attribute_code_answers()
    {
        var sleutel = await ApiSleutels.MaakAsync(DataSource, "testapp");
        var definitie = JsonDocument.Parse(await App.CreateClient().GetStringAsync("/open311/v2/services/drugsafval.json")).RootElement;
        var attributen = definitie.GetProperty("attributes").EnumerateArray().ToList();
        Assert.Equal(["voorgevallen_op", "gevaar", "gevonden", "nog_aanwezig"], attributen.Select(a => a.GetProperty("code").GetString()));
        var gevonden = attributen[2];
        Assert.Equal("singlevaluelist", gevonden.GetProperty("datatype").GetString());
        Assert.Equal(3, gevonden.GetProperty("order").GetInt32());
        Assert.Contains(
            "Vaten of jerrycans",
            gevonden.GetProperty("values").EnumerateArray().Select(v => v.GetProperty("key").GetString())
        );
        var xml = await App.CreateClient().GetStringAsync("/open311/v2/services/drugsafval.xml");
        Assert.Contains("<key>Vaten of jerrycans</key>", xml);

        async Task<HttpResponseMessage> Post(params (string, string)[] extra)
        {
            using var inhoud = new FormUrlEncodedContent(
                new (string, string)[]
                {
                    ("api_key", sleutel),
                    ("service_code", "drugsafval"),
                    ("lat", TestGemeente.PlekTekst(52.3524, 4.6192).Lat),
                    ("long", TestGemeente.PlekTekst(52.3524, 4.6192).Lon),
                    ("description", "Jerrycans met een chemische lucht bij de sloot." + extra.Length),
                }
                    .Concat(extra)
                    .Select(v => new KeyValuePair<string, string>(v.Item1, v.Item2))
            );
            return await App.CreateClient().PostAsync("/open311/v2/requests.json", inhoud);
        }

        var stop = await Post(("attribute[gevaar]", "ja"));
        var fout = await Post(("attribute[gevonden]", "Goudstaven"), ("attribute[nog_aanwezig]", "ja"));
        var goed = await Post(
            ("attribute[gevonden]", "Zakken met afval"),
            ("attribute[nog_aanwezig]", "nee"),
            ("attribute[gevaar]", "nee")
        );

        Assert.Equal(HttpStatusCode.BadRequest, stop.StatusCode);
        Assert.Contains("Bel 112", await stop.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, fout.StatusCode);
        Assert.Contains("attribute[gevonden]", await fout.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, goed.StatusCode);
        await using var connection = await DataSource.OpenConnectionAsync();
        Assert.Equal(
            ["gevaar=nee", "gevonden=Zakken met afval", "nog_aanwezig=nee"],
            await connection.QueryAsync<string>("SELECT code || '=' || antwoord FROM melding_antwoord ORDER BY volgorde")
        );
        Assert.Equal(1, await Aantal("melding"));
    }

    [Fact]
    public async Task Staff_add_a_stop_that_always_applies_and_the_category_can_no_longer_be_filed_here()
    {
        await BeheerAccounts.MaakAsync(App.Services, "beheerder@heemstede.nl", "Bea Beheerder", Rollen.Beheerder);
        var beheerder = await BeheerAccounts.IngelogdAsync(App, "beheerder@heemstede.nl");
        await using var connection = await DataSource.OpenConnectionAsync();
        var id = await connection.QuerySingleAsync<short>("SELECT id FROM rubriek WHERE code = 'jeugdoverlast'");
        var rubriekPagina = await beheerder.OpenAsync($"/beheer/rubrieken/{id}");
        Assert.Contains("Met hoeveel jongeren ongeveer?", rubriekPagina.Html);

        var nieuw = await beheerder.OpenAsync($"/beheer/rubrieken/{id}/vragen/nieuw");
        KeyValuePair<string, string>[] velden =
        [
            new("Vraag.Code", "niet_hier"),
            new("Vraag.Soort", "stop"),
            new("Vraag.Vraag", "Jeugdoverlast meldt u in deze gemeente bij de politie."),
            new("Vraag.StopAltijd", "true"),
            new("Vraag.Volgorde", "0"),
        ];
        var zonderNummer = await beheerder.PostAsync($"/beheer/rubrieken/{id}/vragen/nieuw", nieuw.Token, velden);
        Assert.Equal(HttpStatusCode.BadRequest, zonderNummer.StatusCode);
        Assert.Contains("Geef bij een stop het nummer om te bellen", await zonderNummer.Content.ReadAsStringAsync());
        var opgeslagen = await beheerder.PostAsync(
            $"/beheer/rubrieken/{id}/vragen/nieuw",
            nieuw.Token,
            velden.Append(new("Vraag.Telefoon", "0900-8844"))
        );
        Assert.Equal(HttpStatusCode.Redirect, opgeslagen.StatusCode);
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM audit WHERE actie = 'rubriekvraag-toegevoegd'"));

        var client = NieuweClient();
        var pagina = await client.OpenAsync("/melden");
        var antwoord = await client.PostAsync("/melden", pagina.Token, Velden(pagina.IdempotentieSleutel!, "jeugdoverlast"));
        var html = await antwoord.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, antwoord.StatusCode);
        Assert.Contains("Jeugdoverlast meldt u in deze gemeente bij de politie. Bel 0900-8844.", html);
        Assert.Contains("href=\"tel:09008844\"", html);
        Assert.Equal(0, await Aantal("melding"));

        var definitie = await App.CreateClient().GetStringAsync("/open311/v2/services/jeugdoverlast.json");
        Assert.Contains("\"code\":\"niet_hier\"", definitie.Replace(" ", "", StringComparison.Ordinal));
    }
}
