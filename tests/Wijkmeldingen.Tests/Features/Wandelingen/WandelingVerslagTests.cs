using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Tests.Features.Wandelingen;

/// <summary>After a walk: the staff summary (participants, observations, follow-up) and the public
/// summary on the walk's page, which shows public categories at their coarse place only.</summary>
public sealed partial class WandelingVerslagTests : AppTest
{
    private async Task<long> AfgelopenWandelingAsync()
    {
        var id = await Een.Wandeling(App.Services)
            .Titel("Avondschouw")
            .Over(TimeSpan.FromDays(-2))
            .Duur(60)
            .Route((52.3524, 4.6192), (52.3530, 4.6210))
            .Omschrijving("")
            .OpgeslagenAsync();
        await using var connection = await DataSource.OpenConnectionAsync();
        // Raw on purpose: participants of a walk that has already taken place (sign-up closes at the start).
        // Anna and Bram were checked in; Dina signed up but did not come, so she is not counted.
        await connection.ExecuteAsync(
            """
            INSERT INTO wandeling_aanmelding (wandeling_id, naam, email, aantal_personen, soort, sleutel_hash, code, aanwezig_op)
            VALUES (@id, 'Anna', 'anna@example.nl', 3, 'deelnemer', '\x01', 'AAAAAA', now()),
                   (@id, 'Bram', 'bram@example.nl', 2, 'deelnemer', '\x02', 'BBBBBB', now()),
                   (@id, 'Dina', 'dina@example.nl', 4, 'deelnemer', '\x04', 'DDDDDD', NULL),
                   (@id, 'Cor', 'cor@example.nl', 1, 'wachtlijst', '\x03', 'CCCCCC', NULL)
            """,
            new { id }
        );
        return id;
    }

    private MeldingBouwer Waarneming(long id, string rubriek) =>
        Een.Melding(DataSource).UitWandeling(id).Rubriek(rubriek).Met($"Gezien op de wandeling: {rubriek}.").MelderType(null);

    [Fact]
    public async Task Staff_see_participants_observations_and_follow_up_and_the_public_sees_only_coarse_public_ones()
    {
        var id = await AfgelopenWandelingAsync();
        var parkeren = await Waarneming(id, "parkeeroverlast")
            .Op(TestGemeente.Plek(52.35301, 4.62101))
            .Status("afgehandeld")
            .OpgeslagenAsync();
        var zorg = await Waarneming(id, "zorgen-om-iemand").Op(TestGemeente.Plek(52.35251, 4.61951)).OpgeslagenAsync();
        await using var connection = await DataSource.OpenConnectionAsync();

        var organisator = await WandelingBeheerTests.OrganisatorAsync(App);
        var verslag = await organisator.Http.GetStringAsync($"/beheer/wandelingen/{id}/verslag");
        Assert.Contains("<dd id=\"deelnemers\">5</dd>", verslag);
        Assert.Contains("<dd id=\"aantal-waarnemingen\">2</dd>", verslag);
        Assert.Contains("<dd id=\"aantal-afgehandeld\">1</dd>", verslag);
        Assert.Contains(parkeren.Volgcode, verslag);
        Assert.Contains(zorg.Volgcode, verslag);

        var publiek = await App.CreateClient().GetStringAsync($"/wijkwandelingen/{id}");
        Assert.Contains(
            "5 deelnemers liepen mee. Onderweg zijn 1 meldingen gedaan die openbaar zijn; 1 daarvan zijn al afgehandeld.",
            publiek
        );
        Assert.Contains("Parkeeroverlast", publiek);
        Assert.DoesNotContain("Zorgen om iemand", publiek);
        Assert.DoesNotContain(parkeren.Volgcode, publiek);
        var punt = Assert.Single(PuntPatroon().Matches(publiek));
        var (lat, lon) = (
            double.Parse(punt.Groups[1].Value, CultureInfo.InvariantCulture),
            double.Parse(punt.Groups[2].Value, CultureInfo.InvariantCulture)
        );
        var verwacht = await connection.QuerySingleAsync<(double Lat, double Lon)>(
            """
            SELECT ST_Y(ST_Transform(publiek_punt(m.locatie, r.openbaarheid, 25), 4326)),
                   ST_X(ST_Transform(publiek_punt(m.locatie, r.openbaarheid, 25), 4326))
            FROM melding m JOIN rubriek r ON r.id = m.rubriek_id WHERE m.id = @Id
            """,
            new { parkeren.Id }
        );
        Assert.Equal(verwacht.Lat, lat, 9);
        Assert.Equal(verwacht.Lon, lon, 9);
        Assert.NotEqual(TestGemeente.Plek(52.35301, 4.62101).Lat, lat, 6);

        // The participants' data is deleted after the walk; the figure stays.
        await connection.ExecuteAsync("DELETE FROM wandeling_aanmelding WHERE wandeling_id = @id", new { id });
        Assert.Contains("<dd id=\"deelnemers\">5</dd>", await organisator.Http.GetStringAsync($"/beheer/wandelingen/{id}/verslag"));
        Assert.Contains("5 deelnemers liepen mee.", await App.CreateClient().GetStringAsync($"/wijkwandelingen/{id}"));
    }

    [Fact]
    public async Task Attached_places_appear_on_the_public_page_before_the_walk_but_sensitive_ones_never()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        var id = await Een.Wandeling(App.Services)
            .Titel("Ochtendronde")
            .Over(TimeSpan.FromDays(2))
            .Duur(60)
            .Route()
            .Omschrijving("")
            .OpgeslagenAsync();
        var jeugd = await Een.Melding(DataSource)
            .Rubriek("jeugdoverlast")
            .Met("Vernielingen bij het speelveld.")
            .Op(TestGemeente.Plek(52.3526, 4.6195))
            .OpgeslagenAsync();
        var zorg = await Een.Melding(DataSource)
            .Rubriek("zorgen-om-iemand")
            .Met("Een verwarde man bij de bushalte.")
            .Op(TestGemeente.Plek(52.3527, 4.6197))
            .OpgeslagenAsync();
        await connection.ExecuteAsync(
            "INSERT INTO wandeling_melding (wandeling_id, melding_id) VALUES (@id, @a), (@id, @b)",
            new
            {
                id,
                a = jeugd.Id,
                b = zorg.Id,
            }
        );

        var publiek = await App.CreateClient().GetStringAsync($"/wijkwandelingen/{id}");

        Assert.Contains("We bezoeken: Jeugdoverlast", publiek);
        Assert.DoesNotContain("Zorgen om iemand", publiek);
        Assert.DoesNotContain("Vernielingen", publiek);
        Assert.Single(PuntPatroon().Matches(publiek));
        Assert.DoesNotContain("id=\"verslag\"", publiek);
    }

    [Fact]
    public async Task The_summary_is_for_organisers_and_beheerders_only()
    {
        var id = await AfgelopenWandelingAsync();
        await BeheerAccounts.MaakAsync(App.Services, "wim@heemstede.nl", "Wim Wijkagent", Rollen.Wijkprofessional);
        var wijkagent = await BeheerAccounts.IngelogdAsync(App, "wim@heemstede.nl");
        var anoniem = App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        Assert.Equal(HttpStatusCode.Forbidden, (await wijkagent.Http.GetAsync($"/beheer/wandelingen/{id}/verslag")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await wijkagent.Http.GetAsync($"/beheer/wandelingen/{id}/waarneming")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await anoniem.GetAsync($"/beheer/wandelingen/{id}/verslag")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await anoniem.GetAsync($"/beheer/wandelingen/{id}/waarneming")).StatusCode);
    }

    [GeneratedRegex("<li data-lat=\"([0-9.]+)\" data-lon=\"([0-9.]+)\" data-soort=")]
    private static partial Regex PuntPatroon();
}
