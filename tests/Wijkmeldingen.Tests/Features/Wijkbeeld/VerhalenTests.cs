using System.Net;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Features.Wijkbeeld.Beheer.Verhalen;

namespace Wijkmeldingen.Tests.Features.Wijkbeeld;

/// <summary>"Het verhaal achter de cijfers": a wijkprofessional writes a narrative at
/// /beheer/verhalen; it reaches the public wijk page only once published and only for periods it
/// overlaps, as plain text in paragraphs; every step is audited.</summary>
public sealed class VerhalenTests : AppTest
{
    private const string Kwartaal = "soort=kwartaal&kwartaal=2025-4";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await BeheerAccounts.MaakAsync(App.Services, "wijkagent@heemstede.nl", "Wim Wijkagent", Rollen.Wijkprofessional);
        await BeheerAccounts.MaakAsync(App.Services, "organisator@heemstede.nl", "Olga Organisator", Rollen.Organisator);
    }

    private static KeyValuePair<string, string>[] Velden(string titel, string tekst, string van = "2025-10", string tot = "2025-12") =>
        [
            new("Verhaal.Wijk", TestGemeente.EersteWijk),
            new("Verhaal.Van", van),
            new("Verhaal.Tot", tot),
            new("Verhaal.Titel", titel),
            new("Verhaal.Tekst", tekst),
        ];

    [Fact]
    public async Task A_narrative_is_public_only_once_published_and_only_for_its_period()
    {
        var wijkagent = await BeheerAccounts.IngelogdAsync(App, "wijkagent@heemstede.nl");
        var nieuw = await wijkagent.OpenAsync("/beheer/verhalen/nieuw");

        var opgeslagen = await wijkagent.PostAsync(
            "/beheer/verhalen/nieuw",
            nieuw.Token,
            Velden(
                "Rustiger rond het plein",
                "Na de gesprekken met jongeren <script>alert(1)</script> is het rustiger.\r\n\r\n\r\nTweede alinea:\r\nmet een regel erbij."
            )
        );

        Assert.Equal(HttpStatusCode.Redirect, opgeslagen.StatusCode);
        await using var connection = await DataSource.OpenConnectionAsync();
        var (id, tekst, auteur) = await connection.QuerySingleAsync<(long, string, string)>("SELECT id, tekst, auteur FROM wijk_verhaal");
        Assert.Equal(
            "Na de gesprekken met jongeren <script>alert(1)</script> is het rustiger.\n\nTweede alinea:\nmet een regel erbij.",
            tekst
        );
        Assert.Equal("Wim Wijkagent", auteur);
        Assert.DoesNotContain("Rustiger rond het plein", await Publiek(Kwartaal));

        var lijst = await wijkagent.OpenAsync("/beheer/verhalen");
        Assert.Contains("Rustiger rond het plein", lijst.Html);
        var gepubliceerd = await wijkagent.PostAsync($"/beheer/verhalen?handler=Publiceren&id={id}", lijst.Token, []);

        Assert.Equal(HttpStatusCode.Redirect, gepubliceerd.StatusCode);
        var html = await Publiek(Kwartaal);
        Assert.Contains("Rustiger rond het plein", html);
        Assert.Contains("<p>Na de gesprekken met jongeren &lt;script&gt;alert(1)&lt;/script&gt; is het rustiger.</p>", html);
        Assert.Contains("Tweede alinea:", html);
        Assert.DoesNotContain("<script>alert(1)", html);
        Assert.Contains("Rustiger rond het plein", await Publiek("soort=maand&maand=2025-11"));
        Assert.DoesNotContain("Rustiger rond het plein", await Publiek("soort=kwartaal&kwartaal=2025-3"));
        Assert.DoesNotContain(
            "Rustiger rond het plein",
            await App.CreateClient().GetStringAsync($"/wijken/{TestGemeente.AndereWijk}?{Kwartaal}")
        );

        // Edit: the change is live at once; unpublish: gone from the public page.
        var bewerken = await wijkagent.OpenAsync($"/beheer/verhalen/{id}");
        Assert.Contains("Rustiger rond het plein", bewerken.Html);
        Assert.Equal(
            HttpStatusCode.Redirect,
            (
                await wijkagent.PostAsync($"/beheer/verhalen/{id}", bewerken.Token, Velden("Veel rustiger rond het plein", "Bijgewerkt."))
            ).StatusCode
        );
        Assert.Contains("Veel rustiger rond het plein", await Publiek(Kwartaal));
        var ingetrokken = await wijkagent.PostAsync($"/beheer/verhalen?handler=Intrekken&id={id}", lijst.Token, []);
        Assert.Equal(HttpStatusCode.Redirect, ingetrokken.StatusCode);
        Assert.DoesNotContain("rustiger rond het plein", await Publiek(Kwartaal));

        Assert.Equal(
            ["verhaal-toegevoegd", "verhaal-gepubliceerd", "verhaal-gewijzigd", "verhaal-ingetrokken"],
            await connection.QueryAsync<string>("SELECT actie FROM audit WHERE actie LIKE 'verhaal-%' ORDER BY id")
        );
        Assert.Equal(
            "Rustiger rond het plein",
            await connection.QuerySingleAsync<string>("SELECT voor->>'Titel' FROM audit WHERE actie = 'verhaal-gewijzigd'")
        );
        Assert.Equal(
            "Wim Wijkagent",
            await connection.QuerySingleAsync<string>("SELECT DISTINCT door FROM audit WHERE actie LIKE 'verhaal-%'")
        );
    }

    [Fact]
    public async Task Wrong_input_is_refused_with_dutch_messages_and_the_input_kept()
    {
        var wijkagent = await BeheerAccounts.IngelogdAsync(App, "wijkagent@heemstede.nl");
        var nieuw = await wijkagent.OpenAsync("/beheer/verhalen/nieuw");

        var fout = await wijkagent.PostAsync(
            "/beheer/verhalen/nieuw",
            nieuw.Token,
            Velden("", "Een tekst die blijft staan.", van: "2025-12", tot: "2025-10")
        );
        var html = WebUtility.HtmlDecode(await fout.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, fout.StatusCode);
        Assert.Contains("Vul een titel in van hoogstens 200 tekens.", html);
        Assert.Contains("De laatste maand ligt vóór de eerste maand.", html);
        Assert.Contains(">Een tekst die blijft staan.</textarea>", html);
        Assert.Contains("value=\"2025-12\"", html);
        await using var connection = await DataSource.OpenConnectionAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM wijk_verhaal"));
    }

    [Fact]
    public async Task Organisers_and_anonymous_visitors_cannot_write_narratives()
    {
        var organisator = await BeheerAccounts.IngelogdAsync(App, "organisator@heemstede.nl");
        var anoniem = App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        Assert.Equal(HttpStatusCode.Forbidden, (await organisator.Http.GetAsync("/beheer/verhalen")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await organisator.Http.GetAsync("/beheer/verhalen/nieuw")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await anoniem.GetAsync("/beheer/verhalen")).StatusCode);
    }

    [Theory]
    [InlineData("Een.\r\n\r\nTwee.", "Een.\n\nTwee.")]
    [InlineData("  Een. \n \n\n Twee.\n", "Een.\n\nTwee.")]
    [InlineData("Regel\nvolgende", "Regel\nvolgende")]
    public void Paragraphs_are_separated_by_exactly_one_blank_line(string invoer, string verwacht) =>
        Assert.Equal(verwacht, BewerkenModel.Normaliseer(invoer));

    private async Task<string> Publiek(string periode) =>
        await App.CreateClient().GetStringAsync($"/wijken/{TestGemeente.EersteWijk}?{periode}");
}
