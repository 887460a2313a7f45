using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Features.Wijkbeeld;

namespace Wijkmeldingen.Tests.Features.Wandelingen;

/// <summary>Observations on a walk become ordinary reports (routing, triage, wijk figures) that
/// remember the walk; the back office shows and filters them as "uit wandeling".</summary>
public sealed class WandelingWaarnemingTests : AppTest
{
    [Fact]
    public async Task An_observation_is_a_report_with_the_walk_that_goes_through_triage_and_counts_in_the_wijk()
    {
        var organisator = await WandelingBeheerTests.OrganisatorAsync(App);
        var id = await WandelingBeheerTests.MaakAsync(organisator, WandelingBeheerTests.Velden(titel: "Schouw Centrum"));
        var pagina = await organisator.OpenAsync($"/beheer/wandelingen/{id}/waarneming");
        // The meeting point is the default place.
        Assert.Contains($"value=\"{TestGemeente.PlekTekst(52.3524, 4.6192).Lat}\"", pagina.Html);

        var fout = await organisator.PostAsync(
            $"/beheer/wandelingen/{id}/waarneming",
            pagina.Token,
            [
                new("Invoer.IdempotentieSleutel", pagina.IdempotentieSleutel!),
                new("Invoer.Rubriek", ""),
                new("Invoer.Lat", TestGemeente.PlekTekst(52.3524, 4.6192).Lat),
                new("Invoer.Lon", TestGemeente.PlekTekst(52.3524, 4.6192).Lon),
                new("Invoer.Omschrijving", ""),
            ]
        );
        Assert.Equal(HttpStatusCode.BadRequest, fout.StatusCode);
        Assert.Contains("Kies", await fout.Content.ReadAsStringAsync());

        var velden = new List<KeyValuePair<string, string>>
        {
            new("Invoer.IdempotentieSleutel", pagina.IdempotentieSleutel!),
            new("Invoer.Rubriek", "parkeeroverlast"),
            new("Invoer.Lat", TestGemeente.PlekTekst(52.3530, 4.6210).Lat),
            new("Invoer.Lon", TestGemeente.PlekTekst(52.3530, 4.6210).Lon),
            new("Invoer.Omschrijving", "Fietsen en auto's blokkeren de stoep bij de bakker."),
        };
        var goed = await organisator.PostAsync(
            $"/beheer/wandelingen/{id}/waarneming",
            pagina.Token,
            velden,
            [("Invoer.Fotos", "stoep.jpg", TestFotos.JpegMetGps(52.35, 4.62), "image/jpeg")]
        );
        var nogmaals = await organisator.PostAsync($"/beheer/wandelingen/{id}/waarneming", pagina.Token, velden);
        Assert.Equal(HttpStatusCode.Redirect, goed.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, nogmaals.StatusCode);

        await using var connection = await DataSource.OpenConnectionAsync();
        var melding = await connection.QuerySingleAsync<(
            long Id,
            string Volgcode,
            long? WandelingId,
            string Bron,
            string Status,
            string WijkCode,
            short? TeamId,
            int Fotos,
            bool Contact
        )>(
            """
            SELECT m.id, m.volgcode, m.wandeling_id, m.bron, m.status, m.wijk_code, m.team_id,
                   (SELECT count(*)::int FROM melding_foto f WHERE f.melding_id = m.id),
                   EXISTS (SELECT 1 FROM melder_contact c WHERE c.melding_id = m.id)
            FROM melding m
            """
        );
        Assert.Equal(
            (id, "wandeling", "gemeld", TestGemeente.EersteWijk, 1, false),
            (melding.WandelingId!.Value, melding.Bron, melding.Status, melding.WijkCode, melding.Fotos, melding.Contact)
        );
        Assert.Equal(
            "handhaving",
            await connection.QuerySingleAsync<string>("SELECT code FROM team WHERE id = @TeamId", new { melding.TeamId })
        );
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM mail_outbox WHERE sleutel LIKE 'melding-%'"));
        Assert.Equal(
            1,
            await connection.ExecuteScalarAsync<long>(
                "SELECT count(*) FROM audit WHERE actie = 'wandeling-waarneming' AND melding_id = @Id",
                new { melding.Id }
            )
        );
        Assert.Contains(melding.Volgcode, await organisator.Http.GetStringAsync($"/beheer/wandelingen/{id}/waarneming"));

        // Triage: in the list (also under "uit wandeling"), with the walk named, and on the report page.
        await BeheerAccounts.MaakAsync(App.Services, "wim@heemstede.nl", "Wim Wijkagent", Rollen.Wijkprofessional);
        var wijkagent = await BeheerAccounts.IngelogdAsync(App, "wim@heemstede.nl");
        await Een.Melding(DataSource)
            .Rubriek("jeugdoverlast")
            .Met("Een gewone melding via het formulier.")
            .Op(TestGemeente.Plek(52.3526, 4.6195))
            .OpgeslagenAsync();
        var lijst = await wijkagent.Http.GetStringAsync("/beheer/meldingen");
        Assert.Contains(melding.Volgcode, lijst);
        Assert.Contains("via wijkwandeling Schouw Centrum", lijst);
        var gefilterd = await wijkagent.Http.GetStringAsync("/beheer/meldingen?herkomst=wandeling");
        Assert.Contains(melding.Volgcode, gefilterd);
        Assert.DoesNotContain("Een gewone melding", gefilterd);
        Assert.Contains("Een gewone melding", lijst);
        Assert.Contains("via wijkwandeling Schouw Centrum", await wijkagent.Http.GetStringAsync($"/beheer/meldingen/{melding.Id}"));
        Assert.Contains("1 meldingen gevonden", await wijkagent.Http.GetStringAsync("/beheer/meldingen?herkomst=wandeling"));

        // The wijk's figures count it like any report.
        await App.Services.GetRequiredService<WijkbeeldVerversen>().VerversAsync();
        Assert.Equal(
            1,
            await connection.ExecuteScalarAsync<long>(
                """
                SELECT coalesce(sum(aantal), 0) FROM wijkbeeld_maand w JOIN rubriek r ON r.id = w.rubriek_id
                WHERE w.wijk_code = @wijk AND r.code = 'parkeeroverlast'
                """,
                new { wijk = TestGemeente.EersteWijk }
            )
        );
    }
}
