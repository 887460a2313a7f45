using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Features.Wijkbeeld;

namespace Wijkmeldingen.Tests.Features.Wijkbeeld;

/// <summary>Repeat-location alerts: the default rule (3 drugsafval within 100 m in 30 days) raises
/// one alert and one mail to the responsible team; further reports at the same place update that
/// alert without another mail; reports far apart raise nothing. A cell that becomes a 99 % hotspot
/// this week raises a hotspot alert. The app's own background round may run too, so the tests look
/// at the database, not at what one round returned.</summary>
public sealed class SignalenTests : AppTest
{
    private WijkSignalen Signalen => App.Services.GetRequiredService<WijkSignalen>();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await BeheerAccounts.MaakAsync(App.Services, "wijkagent@heemstede.nl", "Wim Wijkagent", Rollen.Wijkprofessional);
        await BeheerAccounts.MaakAsync(App.Services, "beheerder@heemstede.nl", "Bea Beheerder", Rollen.Beheerder);
    }

    /// <summary>A report dagenGeleden days ago at (dx, dy) metres from the buurt's inner point.</summary>
    private async Task<long> MeldAsync(string rubriek, string buurt, double dx, double dy, int dagenGeleden = 2) =>
        (
            await Een.Melding(DataSource)
                .Rubriek(rubriek)
                .Met("Signaaltest")
                .In(buurt)
                .Verschoven(dx, dy)
                .AangemaaktDagenGeleden(dagenGeleden)
                .OpgeslagenAsync()
        ).Id;

    [Fact]
    public async Task Three_drugsafval_reports_within_100_m_raise_one_alert_and_one_mail_and_a_fourth_no_second_mail()
    {
        await MeldAsync("drugsafval", TestGemeente.EersteBuurt, 0, 0, 20);
        await MeldAsync("drugsafval", TestGemeente.EersteBuurt, 40, 0, 10);
        await Signalen.RondeAsync();
        await using var connection = await DataSource.OpenConnectionAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM wijk_signaal WHERE soort = 'herhaling'"));

        await MeldAsync("drugsafval", TestGemeente.EersteBuurt, 0, 45, 1);
        await Signalen.RondeAsync();

        var (id, aantal, team, omschrijving) = await connection.QuerySingleAsync<(long, int, string, string)>(
            "SELECT s.id, s.aantal, t.code, s.omschrijving FROM wijk_signaal s JOIN team t ON t.id = s.team_id WHERE s.soort = 'herhaling'"
        );
        Assert.Equal(3, aantal);
        Assert.Equal("wijkagenten", team); // routing rule 20: drugsafval to the wijkagenten
        Assert.Equal($"3× Drugsafval binnen 100 m in 30 dagen bij {TestGemeente.EersteBuurtNaam}", omschrijving);
        // The team has no mailbox and no members: every wijkprofessional, once.
        var mail = await connection.QuerySingleAsync<(string Aan, string Onderwerp, string Tekst)>(
            $"SELECT aan, onderwerp, tekst FROM mail_outbox WHERE sleutel LIKE 'wijk-signaal:{id}:%'"
        );
        Assert.Equal("wijkagent@heemstede.nl", mail.Aan);
        Assert.Equal($"Signaal: 3× Drugsafval binnen 100 m in 30 dagen bij {TestGemeente.EersteBuurtNaam}", mail.Onderwerp);
        Assert.Contains("/beheer/signalen", mail.Tekst);

        await MeldAsync("drugsafval", TestGemeente.EersteBuurt, 30, 30, 0);
        await Signalen.RondeAsync();
        await Signalen.RondeAsync();

        Assert.Equal(
            (id, 4),
            await connection.QuerySingleAsync<(long, int)>("SELECT id, aantal FROM wijk_signaal WHERE soort = 'herhaling'")
        );
        Assert.Equal(
            1,
            await connection.ExecuteScalarAsync<long>(
                """
                SELECT count(*) FROM mail_outbox WHERE sleutel LIKE 'wijk-signaal:%'
                AND sleutel IN (SELECT 'wijk-signaal:' || id || ':wijkagent@heemstede.nl' FROM wijk_signaal WHERE soort = 'herhaling')
                """
            )
        );
    }

    [Fact]
    public async Task Reports_far_apart_or_of_another_category_raise_no_repeat_alert()
    {
        // Two drugsafval reports close together: a third of another category or from too long ago
        // would complete the rule, one 150 m away or in another buurt does not.
        await MeldAsync("drugsafval", TestGemeente.EersteBuurt, 0, 0);
        await MeldAsync("drugsafval", TestGemeente.EersteBuurt, 10, 0);
        await MeldAsync("drugsafval", TestGemeente.EersteBuurt, 150, 0);
        await MeldAsync("drugsafval", TestGemeente.AndereWijkBuurt, 0, 0);
        await MeldAsync("drugsafval", TestGemeente.StilleBuurt, 0, 0);
        await MeldAsync("parkeeroverlast", TestGemeente.EersteBuurt, 10, 5);
        await MeldAsync("parkeeroverlast", TestGemeente.EersteBuurt, 20, 0);
        await MeldAsync("drugsafval", TestGemeente.EersteBuurt, 5, 5, 45);

        await Signalen.RondeAsync();

        await using var connection = await DataSource.OpenConnectionAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM wijk_signaal WHERE soort = 'herhaling'"));
    }

    [Fact]
    public async Task The_team_mailbox_gets_the_alert_when_the_team_has_one_and_rules_are_configuration()
    {
        await using var metRegel = new WijkAppFactory(
            Database.ConnectionString,
            new Dictionary<string, string?>
            {
                ["Wijkbeeld:Signalen:Regels:0:Rubriek"] = "jeugdoverlast",
                ["Wijkbeeld:Signalen:Regels:0:StraalMeters"] = "50",
                ["Wijkbeeld:Signalen:Regels:0:Aantal"] = "2",
                ["Wijkbeeld:Signalen:Regels:0:Dagen"] = "7",
                ["Wijkbeeld:Signalen:Hotspots"] = "false",
            }
        );
        await using var connection = await DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("UPDATE team SET email = 'handhaving@heemstede.nl' WHERE code = 'handhaving'");
        await MeldAsync("jeugdoverlast", TestGemeente.AndereWijkBuurt, 0, 0);
        await MeldAsync("jeugdoverlast", TestGemeente.AndereWijkBuurt, 20, 20);

        await metRegel.Services.GetRequiredService<WijkSignalen>().RondeAsync();

        var id = await connection.QuerySingleAsync<long>("SELECT id FROM wijk_signaal WHERE regel = 'jeugdoverlast-50m-2x-7d'");
        Assert.Equal(
            ["handhaving@heemstede.nl"],
            await connection.QueryAsync<string>($"SELECT aan FROM mail_outbox WHERE sleutel LIKE 'wijk-signaal:{id}:%'")
        );
    }

    [Fact]
    public async Task A_cell_that_becomes_a_99_percent_hotspot_this_week_raises_a_hotspot_alert_once()
    {
        // Background: scattered reports last week and this week, one in each of four other buurten; then 12 in
        // one spot this week in the quiet buurt.
        await using (var buurten = await DataSource.OpenConnectionAsync())
        {
            var achtergrond = (
                await buurten.QueryAsync<string>(
                    "SELECT code FROM buurt WHERE code <> @stil ORDER BY code LIMIT 4",
                    new { stil = TestGemeente.StilleBuurt }
                )
            ).ToList();
            Assert.Equal(4, achtergrond.Count);
            foreach (var (code, dagen) in achtergrond.Zip([9, 10, 3, 4]))
            {
                await MeldAsync("parkeeroverlast", code, 0, 0, dagen);
            }
        }
        for (var i = 0; i < 12; i++)
        {
            await MeldAsync("jeugdoverlast", TestGemeente.StilleBuurt, i % 4 * 3, i % 3 * 3, 1);
        }
        await App.Services.GetRequiredService<WijkbeeldVerversen>().VerversAsync();

        await Signalen.RondeAsync();
        await Signalen.RondeAsync();

        await using var connection = await DataSource.OpenConnectionAsync();
        var (id, buurt, team) = await connection.QuerySingleAsync<(long, string, string)>(
            """
            SELECT s.id, s.buurt_code, t.code FROM wijk_signaal s JOIN team t ON t.id = s.team_id
            WHERE s.soort = 'hotspot' AND s.aantal = 12
            """
        );
        Assert.Equal(TestGemeente.StilleBuurt, buurt);
        Assert.Equal("handhaving", team); // jeugdoverlast goes to Handhaving (the night rule is left out)
        Assert.Equal(
            1,
            await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM mail_outbox WHERE sleutel LIKE 'wijk-signaal:{id}:%'")
        );
    }

    [Fact]
    public async Task Staff_see_open_alerts_on_the_start_page_and_mark_them_as_seen()
    {
        for (var i = 0; i < 3; i++)
        {
            await MeldAsync("drugsafval", TestGemeente.EersteBuurt, i * 10, 0);
        }
        await Signalen.RondeAsync();
        var wijkagent = await BeheerAccounts.IngelogdAsync(App, "wijkagent@heemstede.nl");
        await using var connection = await DataSource.OpenConnectionAsync();
        var id = await connection.QuerySingleAsync<long>("SELECT id FROM wijk_signaal WHERE soort = 'herhaling'");

        var start = await wijkagent.OpenAsync("/beheer");
        Assert.Contains($"data-signaal=\"{id}\"", start.Html);
        Assert.Contains($"3× Drugsafval binnen 100 m in 30 dagen bij {TestGemeente.EersteBuurtNaam}", WebUtility.HtmlDecode(start.Html));

        var gezien = await wijkagent.PostAsync($"/beheer/signalen?handler=Gezien&id={id}", start.Token, [new("terug", "/beheer")]);

        Assert.Equal(HttpStatusCode.Redirect, gezien.StatusCode);
        Assert.Equal("/beheer", gezien.Headers.Location?.ToString());
        Assert.DoesNotContain($"data-signaal=\"{id}\"", await wijkagent.Http.GetStringAsync("/beheer"));
        Assert.Contains("Gezien door Wim Wijkagent", WebUtility.HtmlDecode(await wijkagent.Http.GetStringAsync("/beheer/signalen")));
        Assert.Equal("signaal-gezien", await connection.QuerySingleAsync<string>("SELECT actie FROM audit WHERE actie = 'signaal-gezien'"));
    }
}
