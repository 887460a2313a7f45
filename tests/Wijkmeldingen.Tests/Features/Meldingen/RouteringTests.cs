using System.Net;
using Dapper;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Tests.Features.Meldingen;

/// <summary>Routing rules put a new report with a team (category, wijk/buurt, time of day, in
/// order); handling targets give it a due date; overdue reports show in the list and on
/// /beheer/signalering.</summary>
public sealed class RouteringTests : AppTest
{
    // Raw on purpose: the team and the target date are set by the insert trigger from aangemaakt_op, and
    // these tests need a filing time the write path (always now()) cannot give.
    private async Task<(long Id, string Volgcode)> Melding(
        string rubriek,
        string aangemaakt = "now()",
        double? lat = null,
        double? lon = null
    )
    {
        // By default in the loaded municipality's first buurt (the demo's Raadhuisplein, or Voorbeeldstad Centrum).
        lat ??= TestGemeente.Lat;
        lon ??= TestGemeente.Lon;
        await using var connection = await DataSource.OpenConnectionAsync();
        return await connection.QuerySingleAsync<(long, string)>(
            $"""
            INSERT INTO melding (rubriek_id, omschrijving, locatie, aangemaakt_op)
            VALUES ((SELECT id FROM rubriek WHERE code = @rubriek), 'Test',
                    ST_Transform(ST_SetSRID(ST_MakePoint(@lon, @lat), 4326), 28992), {aangemaakt})
            RETURNING id, volgcode
            """,
            new
            {
                rubriek,
                lat,
                lon,
            }
        );
    }

    private async Task<string?> Team(long id)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        return await connection.QuerySingleOrDefaultAsync<string>(
            "SELECT t.code FROM melding m JOIN team t ON t.id = m.team_id WHERE m.id = @id",
            new { id }
        );
    }

    [Fact]
    public async Task New_reports_land_with_the_team_of_the_first_matching_rule()
    {
        var jeugdOverdag = await Melding("jeugdoverlast", "'2026-11-27 14:00 Europe/Amsterdam'");
        var jeugdNacht = await Melding("jeugdoverlast", "'2026-11-27 23:30 Europe/Amsterdam'");
        var jeugdVroeg = await Melding("jeugdoverlast", "'2026-11-28 05:59 Europe/Amsterdam'");
        var drugs = await Melding("drugsafval");
        var wonen = await Melding("woonoverlast");

        Assert.Equal("handhaving", await Team(jeugdOverdag.Id));
        Assert.Equal("wijkagenten", await Team(jeugdNacht.Id));
        Assert.Equal("wijkagenten", await Team(jeugdVroeg.Id));
        Assert.Equal("wijkagenten", await Team(drugs.Id));
        Assert.Equal("wijkcoordinatie", await Team(wonen.Id));
    }

    [Fact]
    public async Task Targets_count_working_days_or_calendar_days()
    {
        var vrijdag = await Melding("jeugdoverlast", "'2026-11-27 10:00 Europe/Amsterdam'");
        var drugs = await Melding("drugsafval", "'2026-11-27 10:00 Europe/Amsterdam'");
        await using var connection = await DataSource.OpenConnectionAsync();

        var streef = await connection.QuerySingleAsync<DateTime>("SELECT streefdatum FROM melding WHERE id = @Id", new { vrijdag.Id });
        var streefDrugs = await connection.QuerySingleAsync<DateTime>("SELECT streefdatum FROM melding WHERE id = @Id", new { drugs.Id });

        // Five working days after Friday 10:00 (CET, UTC+1) is the next Friday 10:00.
        Assert.Equal(new DateTime(2026, 12, 4, 9, 0, 0, DateTimeKind.Utc), streef);
        Assert.Equal(new DateTime(2026, 11, 28, 9, 0, 0, DateTimeKind.Utc), streefDrugs);
    }

    [Fact]
    public async Task A_beheerder_edits_the_rules_and_every_change_is_audited()
    {
        await BeheerAccounts.MaakAsync(App.Services, "beheerder@heemstede.nl", "Bea Beheerder", Rollen.Beheerder);
        await BeheerAccounts.MaakAsync(App.Services, "wijkagent@heemstede.nl", "Wim Wijkagent", Rollen.Wijkprofessional);
        var beheerder = await BeheerAccounts.IngelogdAsync(App, "beheerder@heemstede.nl");
        var wijkagent = await BeheerAccounts.IngelogdAsync(App, "wijkagent@heemstede.nl");
        await using var connection = await DataSource.OpenConnectionAsync();
        var voorbeeld = await Melding("woonoverlast");
        var buurt = await connection.QuerySingleAsync<string>("SELECT buurt_code FROM melding WHERE id = @Id", new { voorbeeld.Id });
        var zorg = await connection.QuerySingleAsync<short>("SELECT id FROM team WHERE code = 'zorg'");
        var pagina = await beheerder.OpenAsync("/beheer/routering");

        var fout = await beheerder.PostAsync(
            "/beheer/routering?handler=Toevoegen",
            pagina.Token,
            [new("Volgorde", "1"), new("Team", $"team:{zorg}"), new("VanUur", "8")]
        );
        var goed = await beheerder.PostAsync(
            "/beheer/routering?handler=Toevoegen",
            pagina.Token,
            [new("Volgorde", "1"), new("Rubriek", "r:woonoverlast"), new("Gebied", $"b:{buurt}"), new("Team", $"team:{zorg}")]
        );
        var daarna = await Melding("woonoverlast");

        Assert.Equal(HttpStatusCode.BadRequest, fout.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, goed.StatusCode);
        Assert.Equal("zorg", await Team(daarna.Id));
        Assert.Equal(HttpStatusCode.Forbidden, (await wijkagent.Http.GetAsync("/beheer/routering")).StatusCode);

        var regel = await connection.QuerySingleAsync<int>("SELECT id FROM routeringsregel WHERE volgorde = 1");
        var verwijderd = await beheerder.PostAsync(
            "/beheer/routering?handler=Verwijderen",
            pagina.Token,
            [new("RegelId", regel.ToString(System.Globalization.CultureInfo.InvariantCulture))]
        );
        Assert.Equal(HttpStatusCode.Redirect, verwijderd.StatusCode);
        Assert.Equal("wijkcoordinatie", await Team((await Melding("woonoverlast")).Id));
        Assert.Equal(
            ["routering-toegevoegd", "routering-verwijderd"],
            await connection.QueryAsync<string>("SELECT actie FROM audit WHERE actie LIKE 'routering%' ORDER BY id")
        );
    }

    [Fact]
    public async Task Overdue_reports_and_waiting_requests_are_signalled()
    {
        await BeheerAccounts.MaakAsync(App.Services, "wijkagent@heemstede.nl", "Wim Wijkagent", Rollen.Wijkprofessional);
        var wijkagent = await BeheerAccounts.IngelogdAsync(App, "wijkagent@heemstede.nl");
        var oud = await Melding("jeugdoverlast", "now() - interval '30 days'");
        var nieuw = await Melding("jeugdoverlast");
        var afgehandeld = await Melding("jeugdoverlast", "now() - interval '30 days'");
        await using var connection = await DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("UPDATE melding SET status = 'afgehandeld' WHERE id = @Id", new { afgehandeld.Id });
        await connection.ExecuteAsync(
            "INSERT INTO melding_verzoek (melding_id, soort) VALUES (@Id, 'persoonsgegevens-verwijderen')",
            new { nieuw.Id }
        );

        var teLaat = await wijkagent.Http.GetStringAsync("/beheer/meldingen?status=te-laat");
        var signalering = await wijkagent.Http.GetStringAsync("/beheer/signalering");

        Assert.Contains(oud.Volgcode, teLaat);
        Assert.Contains("Te laat", teLaat);
        Assert.DoesNotContain(nieuw.Volgcode, teLaat);
        Assert.DoesNotContain(afgehandeld.Volgcode, teLaat);
        Assert.Contains("Te laat (1)", signalering);
        Assert.Contains(oud.Volgcode, signalering);
        Assert.DoesNotContain(afgehandeld.Volgcode, signalering);
        Assert.Contains(nieuw.Volgcode, signalering);
        Assert.Contains("persoonsgegevens te verwijderen", signalering);
    }
}
