using System.Net;
using System.Text;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Features.Wandelingen;

namespace Wijkmeldingen.Tests.Features.Wandelingen;

/// <summary>The organiser's sign-ups page: counts, the CSV export, one message to every
/// participant, and participant data kept from everyone but organisers and beheerders.</summary>
public sealed class WandelingAanmeldingenTests : AppTest
{
    private async Task<(FormulierClient Client, long Id)> WandelingMetAanmeldingenAsync()
    {
        var client = await WandelingBeheerTests.OrganisatorAsync(App);
        var id = await WandelingBeheerTests.MaakAsync(client, WandelingBeheerTests.Velden(capaciteit: "3"));
        await WandelingBeheerTests.PubliceerAsync(client, id);
        var service = App.Services.GetRequiredService<Aanmeldingen>();
        await service.AanmeldenEnBevestigenAsync(id, "Anna de Vries", "anna@example.nl", 2, CancellationToken.None);
        await service.AanmeldenEnBevestigenAsync(id, "=Bram; \"B\" Jansen", "bram@example.nl", 1, CancellationToken.None);
        await service.AanmeldenEnBevestigenAsync(id, "Cor", "cor@example.nl", 2, CancellationToken.None); // waitlist
        return (client, id);
    }

    [Fact]
    public async Task The_page_shows_participants_and_the_waitlist_with_counts()
    {
        var (client, id) = await WandelingMetAanmeldingenAsync();

        var html = await client.Http.GetStringAsync($"/beheer/wandelingen/{id}/aanmeldingen");

        Assert.Contains("2 aanmeldingen met samen 3 van 3 plaatsen; 1 op de wachtlijst.", html);
        Assert.Contains("anna@example.nl", html);
        Assert.Contains("cor@example.nl", html[html.IndexOf("id=\"wachtlijst\"", StringComparison.Ordinal)..]);
    }

    [Fact]
    public async Task The_csv_export_has_a_bom_semicolons_dutch_headers_and_defused_formulas()
    {
        var (client, id) = await WandelingMetAanmeldingenAsync();

        var antwoord = await client.Http.GetAsync($"/beheer/wandelingen/{id}/aanmeldingen?handler=Csv");
        var bytes = await antwoord.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, antwoord.StatusCode);
        Assert.Equal("text/csv", antwoord.Content.Headers.ContentType?.MediaType);
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var regels = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Naam;E-mailadres;Personen;Soort;Aangemeld op", regels[0]);
        Assert.StartsWith("Anna de Vries;anna@example.nl;2;Deelnemer;", regels[1]);
        Assert.StartsWith("\"'=Bram; \"\"B\"\" Jansen\";bram@example.nl;1;Deelnemer;", regels[2]);
        Assert.StartsWith("Cor;cor@example.nl;2;Wachtlijst;", regels[3]);
        Assert.Equal(4, regels.Length);
        await using var connection = await DataSource.OpenConnectionAsync();
        Assert.Equal(
            1,
            await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM audit WHERE actie = 'wandeling-deelnemers-export'")
        );
    }

    [Fact]
    public async Task A_message_to_all_participants_is_queued_once_per_participant_and_audited()
    {
        var (client, id) = await WandelingMetAanmeldingenAsync();
        var pagina = await client.OpenAsync($"/beheer/wandelingen/{id}/aanmeldingen");
        var sleutel = System.Text.RegularExpressions.Regex.Match(pagina.Html, "name=\"Sleutel\" value=\"([0-9a-f-]{36})\"").Groups[1].Value;

        var leeg = await client.PostAsync(
            $"/beheer/wandelingen/{id}/aanmeldingen",
            pagina.Token,
            [new("Sleutel", sleutel), new("Onderwerp", ""), new("Tekst", "")]
        );
        var velden = new List<KeyValuePair<string, string>>
        {
            new("Sleutel", sleutel),
            new("Onderwerp", "Neem een regenjas mee"),
            new("Tekst", "Het gaat morgen regenen."),
        };
        var eerste = await client.PostAsync($"/beheer/wandelingen/{id}/aanmeldingen", pagina.Token, velden);
        var dubbel = await client.PostAsync($"/beheer/wandelingen/{id}/aanmeldingen", pagina.Token, velden);

        Assert.Equal(HttpStatusCode.BadRequest, leeg.StatusCode);
        Assert.Contains("Geef een onderwerp", await leeg.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, eerste.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, dubbel.StatusCode);
        await using var connection = await DataSource.OpenConnectionAsync();
        var mails = (
            await connection.QueryAsync<(string Aan, string Onderwerp, string Tekst)>(
                "SELECT aan, onderwerp, tekst FROM mail_outbox WHERE sleutel LIKE 'wandeling-bericht:%' ORDER BY aan"
            )
        ).ToList();
        Assert.Equal(["anna@example.nl", "bram@example.nl"], mails.Select(m => m.Aan));
        Assert.All(mails, m => Assert.Equal("Neem een regenjas mee", m.Onderwerp));
        Assert.Contains("Beste Anna de Vries,", mails[0].Tekst);
        Assert.Contains("Het gaat morgen regenen.", mails[0].Tekst);
        Assert.Contains($"/wijkwandelingen/{id}", mails[0].Tekst);
        var audit = await connection.QuerySingleAsync<(string Door, string Na)>(
            "SELECT door, na::text FROM audit WHERE actie = 'wandeling-bericht'"
        );
        Assert.Equal("Olga Organisator", audit.Door);
        Assert.Contains("\"ontvangers\": 2", audit.Na);
    }

    [Fact]
    public async Task Participant_data_is_refused_to_wijkprofessionals_and_anonymous_visitors()
    {
        var (_, id) = await WandelingMetAanmeldingenAsync();
        await BeheerAccounts.MaakAsync(App.Services, "wim@heemstede.nl", "Wim Wijkagent", Rollen.Wijkprofessional);
        await BeheerAccounts.MaakAsync(App.Services, "bea@heemstede.nl", "Bea Beheerder", Rollen.Beheerder);
        var wijkagent = await BeheerAccounts.IngelogdAsync(App, "wim@heemstede.nl");
        var beheerder = await BeheerAccounts.IngelogdAsync(App, "bea@heemstede.nl");
        var anoniem = App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        foreach (var pad in new[] { $"/beheer/wandelingen/{id}/aanmeldingen", $"/beheer/wandelingen/{id}/aanmeldingen?handler=Csv" })
        {
            var wijkagentAntwoord = await wijkagent.Http.GetAsync(pad);
            Assert.Equal(HttpStatusCode.Forbidden, wijkagentAntwoord.StatusCode);
            Assert.DoesNotContain("anna@example.nl", await wijkagentAntwoord.Content.ReadAsStringAsync());
            var anoniemAntwoord = await anoniem.GetAsync(pad);
            Assert.Equal(HttpStatusCode.Redirect, anoniemAntwoord.StatusCode);
            Assert.DoesNotContain("anna@example.nl", await anoniemAntwoord.Content.ReadAsStringAsync());
            Assert.Contains("anna@example.nl", await beheerder.Http.GetStringAsync(pad));
        }
        // Nor do the public walk pages show who signed up.
        Assert.DoesNotContain("anna@example.nl", await anoniem.GetStringAsync($"/wijkwandelingen/{id}"));
        Assert.DoesNotContain("Anna de Vries", await anoniem.GetStringAsync($"/wijkwandelingen/{id}"));
    }
}
