using System.Net;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Tests.Features.Melding;

/// <summary>A question from staff (issue 18): asked on the report page, mailed through the outbox with a
/// tokened link, answered once without signing in; the answer lands on the report and in its audit
/// trail; a used, expired or unknown link gets a clear Dutch message.</summary>
public sealed partial class VraagTests : DatabaseTest
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

    [GeneratedRegex(@"/melding/([A-Z0-9-]+)/vraag/([A-Za-z0-9_-]+)")]
    private static partial Regex VraagLink();

    private FormulierClient Melder() => new(app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }));

    private async Task<HttpResponseMessage> Vragen(long id, string vraag)
    {
        var pagina = await wijkagent.OpenAsync($"/beheer/meldingen/{id}");
        return await wijkagent.PostAsync($"/beheer/meldingen/{id}?handler=Vraag", pagina.Token, [new("Vraag", vraag)]);
    }

    /// <summary>Asks and returns the path in the melder's mail.</summary>
    private async Task<string> GevraagdAsync(MeldingOpslaan.Resultaat melding, string vraag)
    {
        Assert.Equal(HttpStatusCode.Redirect, (await Vragen(melding.Id, vraag)).StatusCode);
        await using var db = await DataSource.OpenConnectionAsync();
        var (onderwerp, tekst) = await db.QuerySingleAsync<(string, string)>(
            "SELECT onderwerp, tekst FROM mail_outbox WHERE aan = 'melder@example.nl' AND sleutel LIKE 'melding-vraag:%' "
                + "ORDER BY id DESC LIMIT 1"
        );
        Assert.Contains(melding.Volgcode, onderwerp);
        Assert.Contains(vraag, tekst);
        return VraagLink().Match(tekst).Value;
    }

    [Fact]
    public async Task Staff_ask_the_melder_answers_once_through_the_mail_link_and_staff_see_the_answer()
    {
        var melding = await Een.Melding(DataSource)
            .Met("Brommers scheuren over het fietspad.")
            .Email("melder@example.nl")
            .OpgeslagenAsync();
        var pad = await GevraagdAsync(melding, "Op welke tijden gebeurt het vooral?");
        var melder = Melder();

        var pagina = await melder.OpenAsync(pad);
        var leeg = await melder.PostAsync(pad, pagina.Token, [new("Antwoord", "   ")]);
        var antwoord = await melder.PostAsync(pad, pagina.Token, [new("Antwoord", "Vooral tussen vier en zes uur 's middags.")]);
        var nogmaals = await melder.PostAsync(pad, pagina.Token, [new("Antwoord", "Iets anders.")]);
        var daarna = WebUtility.HtmlDecode(await melder.Http.GetStringAsync(pad));

        Assert.Contains("Op welke tijden gebeurt het vooral?", pagina.Html);
        Assert.Equal(HttpStatusCode.BadRequest, leeg.StatusCode);
        Assert.Contains("Schrijf uw antwoord in het vak.", await leeg.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, antwoord.StatusCode);
        Assert.Equal(HttpStatusCode.OK, nogmaals.StatusCode);
        Assert.Contains("U heeft deze vraag al beantwoord", daarna);
        Assert.DoesNotContain("Op welke tijden", daarna);
        await using var db = await DataSource.OpenConnectionAsync();
        Assert.Equal(
            "Vooral tussen vier en zes uur 's middags.",
            await db.QuerySingleAsync<string>("SELECT antwoord FROM melding_vraag WHERE melding_id = @Id", new { melding.Id })
        );
        var acties = (await db.QueryAsync<string>("SELECT actie FROM audit WHERE melding_id = @Id", new { melding.Id })).AsList();
        Assert.Contains("vraag-gesteld", acties);
        Assert.Contains("vraag-beantwoord", acties);
        Assert.Equal(
            "melder",
            await db.QuerySingleAsync<string>(
                "SELECT door FROM audit WHERE melding_id = @Id AND actie = 'vraag-beantwoord'",
                new { melding.Id }
            )
        );
        var staf = WebUtility.HtmlDecode(await wijkagent.Http.GetStringAsync($"/beheer/meldingen/{melding.Id}"));
        Assert.Contains("Vooral tussen vier en zes uur 's middags.", staf);
        Assert.Contains("Antwoord van de melder", staf);
        // Marked new in triage for staff.
        Assert.True(
            await db.QuerySingleAsync<bool>("SELECT melder_gewijzigd_op IS NOT NULL FROM melding WHERE id = @Id", new { melding.Id })
        );
    }

    [Fact]
    public async Task An_expired_or_unknown_link_gets_a_dutch_message_and_stores_nothing()
    {
        var melding = await Een.Melding(DataSource).Email("melder@example.nl").OpgeslagenAsync();
        var pad = await GevraagdAsync(melding, "Staat de auto er nog?");
        var melder = Melder();
        var token = (await melder.OpenAsync(pad)).Token;
        await using var db = await DataSource.OpenConnectionAsync();
        // Raw on purpose: expiry is a matter of time, which only the clock makes.
        await db.ExecuteAsync(
            "UPDATE melding_vraag SET verloopt_op = now() - interval '1 minute' WHERE melding_id = @Id",
            new { melding.Id }
        );

        var verlopen = await melder.Http.GetAsync(pad);
        var laat = await melder.PostAsync(pad, token, [new("Antwoord", "Ja, nog steeds.")]);
        var onbekend = await melder.Http.GetAsync($"/melding/{melding.Volgcode}/vraag/{Sleutels.Nieuw()}");

        Assert.Equal(HttpStatusCode.Gone, verlopen.StatusCode);
        Assert.Contains("Deze link is verlopen.", await verlopen.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Gone, laat.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, onbekend.StatusCode);
        Assert.Contains("Deze link klopt niet.", await onbekend.Content.ReadAsStringAsync());
        Assert.Null(await db.QuerySingleAsync<string?>("SELECT antwoord FROM melding_vraag WHERE melding_id = @Id", new { melding.Id }));
    }

    [Fact]
    public async Task Without_an_email_address_no_question_can_be_asked()
    {
        var melding = await Een.Melding(DataSource).OpgeslagenAsync();

        var pagina = await wijkagent.Http.GetStringAsync($"/beheer/meldingen/{melding.Id}");
        var antwoord = await Vragen(melding.Id, "Waar precies?");

        Assert.DoesNotContain("id=\"vraag-stellen\"", pagina);
        Assert.Equal(HttpStatusCode.BadRequest, antwoord.StatusCode);
        Assert.Contains("geen e-mailadres", WebUtility.HtmlDecode(await antwoord.Content.ReadAsStringAsync()));
        await using var db = await DataSource.OpenConnectionAsync();
        Assert.Equal(0, await db.QuerySingleAsync<int>("SELECT count(*)::int FROM melding_vraag"));
    }
}
