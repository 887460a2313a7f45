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
        await using var connection = await DataSource.OpenConnectionAsync();
        var id = await connection.QuerySingleAsync<long>(
            """
            INSERT INTO wandeling (titel, wijk_code, begint_op, duur_minuten, startpunt, startpunt_naam, route, capaciteit, status)
            VALUES ('Avondschouw', 'WK039700', now() - interval '2 days', 60,
                    ST_Transform(ST_SetSRID(ST_MakePoint(4.6192, 52.3524), 4326), 28992), 'Raadhuisplein',
                    ST_Transform(ST_GeomFromText('LINESTRING(4.6192 52.3524, 4.6210 52.3530)', 4326), 28992), 20, 'gepubliceerd')
            RETURNING id
            """
        );
        await connection.ExecuteAsync(
            """
            INSERT INTO wandeling_aanmelding (wandeling_id, naam, email, aantal_personen, soort, sleutel_hash)
            VALUES (@id, 'Anna', 'anna@example.nl', 3, 'deelnemer', '\x01'), (@id, 'Bram', 'bram@example.nl', 2, 'deelnemer', '\x02'),
                   (@id, 'Cor', 'cor@example.nl', 1, 'wachtlijst', '\x03')
            """,
            new { id }
        );
        return id;
    }

    private async Task<MeldingOpslaan.Resultaat> WaarnemingAsync(long id, string rubriek, double lat, double lon)
    {
        var resultaat = await MeldingOpslaan.UitvoerenAsync(
            DataSource,
            new(
                Guid.NewGuid(),
                rubriek,
                $"Gezien op de wandeling: {rubriek}.",
                lat,
                lon,
                null,
                null,
                null,
                null,
                [],
                [],
                Bron: "wandeling"
            ),
            null,
            CancellationToken.None
        );
        await using var connection = await DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("UPDATE melding SET wandeling_id = @w WHERE id = @m", new { w = id, m = resultaat.Id });
        return resultaat;
    }

    [Fact]
    public async Task Staff_see_participants_observations_and_follow_up_and_the_public_sees_only_coarse_public_ones()
    {
        var id = await AfgelopenWandelingAsync();
        var parkeren = await WaarnemingAsync(id, "parkeeroverlast", 52.35301, 4.62101);
        var zorg = await WaarnemingAsync(id, "zorgen-om-iemand", 52.35251, 4.61951);
        await using var connection = await DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("UPDATE melding SET status = 'afgehandeld' WHERE id = @Id", new { parkeren.Id });

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
        Assert.NotEqual(52.35301, lat, 6);

        // The participants' data is deleted after the walk; the figure stays.
        await connection.ExecuteAsync("DELETE FROM wandeling_aanmelding WHERE wandeling_id = @id", new { id });
        Assert.Contains("<dd id=\"deelnemers\">5</dd>", await organisator.Http.GetStringAsync($"/beheer/wandelingen/{id}/verslag"));
        Assert.Contains("5 deelnemers liepen mee.", await App.CreateClient().GetStringAsync($"/wijkwandelingen/{id}"));
    }

    [Fact]
    public async Task Attached_places_appear_on_the_public_page_before_the_walk_but_sensitive_ones_never()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        var id = await connection.QuerySingleAsync<long>(
            """
            INSERT INTO wandeling (titel, wijk_code, begint_op, duur_minuten, startpunt, startpunt_naam, capaciteit, status)
            VALUES ('Ochtendronde', 'WK039700', now() + interval '2 days', 60,
                    ST_Transform(ST_SetSRID(ST_MakePoint(4.6192, 52.3524), 4326), 28992),
                    'Raadhuisplein', 20, 'gepubliceerd') RETURNING id
            """
        );
        var jeugd = await MeldingOpslaan.UitvoerenAsync(
            DataSource,
            new(Guid.NewGuid(), "jeugdoverlast", "Vernielingen bij het speelveld.", 52.3526, 4.6195, null, "inwoner", null, null, [], []),
            null,
            CancellationToken.None
        );
        var zorg = await MeldingOpslaan.UitvoerenAsync(
            DataSource,
            new(
                Guid.NewGuid(),
                "zorgen-om-iemand",
                "Een verwarde man bij de bushalte.",
                52.3527,
                4.6197,
                null,
                "inwoner",
                null,
                null,
                [],
                []
            ),
            null,
            CancellationToken.None
        );
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
