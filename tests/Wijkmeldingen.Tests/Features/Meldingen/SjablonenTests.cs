using System.Net;
using Dapper;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Tests.Features.Meldingen;

/// <summary>/beheer/sjablonen: beheerders create, edit, deactivate and order reply templates; the
/// report page offers the active ones in that order. Audited; beheerders only.</summary>
public sealed class SjablonenTests : AppTest
{
    private FormulierClient beheerder = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await BeheerAccounts.MaakAsync(App.Services, "beheerder@heemstede.nl", "Bea Beheerder", Rollen.Beheerder);
        beheerder = await BeheerAccounts.IngelogdAsync(App, "beheerder@heemstede.nl");
    }

    private async Task<HttpResponseMessage> Post(string pad, params (string Naam, string Waarde)[] velden)
    {
        var pagina = await beheerder.OpenAsync(pad.Split('?')[0]);
        return await beheerder.PostAsync(pad, pagina.Token, velden.Select(v => new KeyValuePair<string, string>(v.Naam, v.Waarde)));
    }

    private async Task<List<string>> ActieveOpMeldingpagina()
    {
        var melding = await Een.Melding(DataSource).Met("Auto op de stoep, al dagen.").OpgeslagenAsync();
        var html = await beheerder.Http.GetStringAsync($"/beheer/meldingen/{melding.Id}");
        var select = html[html.IndexOf("id=\"sjabloon\"", StringComparison.Ordinal)..];
        select = select[..select.IndexOf("</select>", StringComparison.Ordinal)];
        return System
            .Text.RegularExpressions.Regex.Matches(select, "data-tekst=\"[^\"]*\">([^<]+)</option>")
            .Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value))
            .ToList();
    }

    [Fact]
    public async Task Create_edit_deactivate_and_the_report_page_follows()
    {
        var leeg = await Post("/beheer/sjablonen/nieuw", ("Naam", ""), ("Tekst", ""), ("Actief", "true"));
        var dubbel = await Post("/beheer/sjablonen/nieuw", ("Naam", "opgelost"), ("Tekst", "x"), ("Actief", "true"));
        var nieuw = await Post(
            "/beheer/sjablonen/nieuw",
            ("Naam", "Kenteken doorgegeven"),
            ("Tekst", "Wij hebben het kenteken doorgegeven aan handhaving."),
            ("Actief", "true"),
            ("Actief", "false")
        );

        Assert.Equal(HttpStatusCode.BadRequest, leeg.StatusCode);
        var leegHtml = await leeg.Content.ReadAsStringAsync();
        Assert.Contains("fout-naam", leegHtml);
        Assert.Contains("fout-tekst", leegHtml);
        Assert.Equal(HttpStatusCode.BadRequest, dubbel.StatusCode);
        Assert.Contains("al een sjabloon met deze naam", await dubbel.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, nieuw.StatusCode);
        Assert.Equal("Kenteken doorgegeven", (await ActieveOpMeldingpagina())[^1]);

        await using var db = await DataSource.OpenConnectionAsync();
        var id = await db.QuerySingleAsync<short>("SELECT id FROM antwoord_sjabloon WHERE naam = 'Kenteken doorgegeven'");
        var wijzig = await Post(
            $"/beheer/sjablonen/{id}",
            ("Naam", "Kenteken gemeld"),
            ("Tekst", "Het kenteken is gemeld bij handhaving."),
            ("Actief", "false")
        );

        Assert.Equal(HttpStatusCode.Redirect, wijzig.StatusCode);
        Assert.Equal(
            ("Kenteken gemeld", false),
            await db.QuerySingleAsync<(string, bool)>("SELECT naam, actief FROM antwoord_sjabloon WHERE id = @id", new { id })
        );
        Assert.DoesNotContain("Kenteken gemeld", await ActieveOpMeldingpagina());
        Assert.Contains("Kenteken gemeld", await beheerder.Http.GetStringAsync("/beheer/sjablonen"));
        Assert.Equal(
            ["sjabloon-aangemaakt", "sjabloon-gewijzigd"],
            await db.QueryAsync<string>("SELECT actie FROM audit WHERE actie LIKE 'sjabloon-%' ORDER BY id")
        );
        Assert.Equal(
            "Kenteken doorgegeven",
            await db.QuerySingleAsync<string>("SELECT voor->>'Naam' FROM audit WHERE actie = 'sjabloon-gewijzigd'")
        );
    }

    [Fact]
    public async Task Templates_move_up_and_down()
    {
        var voor = await ActieveOpMeldingpagina();
        await using var db = await DataSource.OpenConnectionAsync();
        var tweede = await db.QuerySingleAsync<short>("SELECT id FROM antwoord_sjabloon WHERE naam = @naam", new { naam = voor[1] });

        Assert.Equal(
            HttpStatusCode.Redirect,
            (
                await Post("/beheer/sjablonen?handler=Omhoog", ("Id", tweede.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            ).StatusCode
        );
        var na = await ActieveOpMeldingpagina();
        Assert.Equal([voor[1], voor[0], .. voor[2..]], na);

        var laatste = await db.QuerySingleAsync<short>("SELECT id FROM antwoord_sjabloon WHERE naam = @naam", new { naam = voor[^1] });
        await Post("/beheer/sjablonen?handler=Omlaag", ("Id", laatste.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(na, await ActieveOpMeldingpagina());
        Assert.Equal(1, await db.ExecuteScalarAsync<long>("SELECT count(*) FROM audit WHERE actie = 'sjabloon-volgorde'"));
    }

    [Fact]
    public async Task Only_beheerders_manage_templates()
    {
        await BeheerAccounts.MaakAsync(App.Services, "wijkagent@heemstede.nl", "Wim Wijkagent", Rollen.Wijkprofessional);
        var wijkagent = await BeheerAccounts.IngelogdAsync(App, "wijkagent@heemstede.nl");

        Assert.Equal(HttpStatusCode.Forbidden, (await wijkagent.Http.GetAsync("/beheer/sjablonen")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await wijkagent.Http.GetAsync("/beheer/sjablonen/1")).StatusCode);
        Assert.Contains("href=\"/beheer/sjablonen\"", await beheerder.Http.GetStringAsync("/beheer"));
        Assert.DoesNotContain("href=\"/beheer/sjablonen\"", await wijkagent.Http.GetStringAsync("/beheer"));
        Assert.Equal(HttpStatusCode.NotFound, (await beheerder.Http.GetAsync("/beheer/sjablonen/999")).StatusCode);
    }
}
