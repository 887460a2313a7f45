using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Features.Wijkbeeld;

namespace Wijkmeldingen.Tests.Features.Wijkbeeld;

/// <summary>
/// "Unusual for this place" as an alert rule (issue 19). This month: 40 jeugdoverlast reports on one
/// spot in a quiet buurt, and the Raadhuisplein's cell with its usual 7 (as in each of the twelve
/// months before). The default rule (all categories together) raises one alert for the spike cell,
/// mailed once through the outbox, and none for the busy cell; a second round raises nothing new. A
/// rule per category alerts only for the category that spiked.
/// </summary>
public sealed class OngewoonSignaalTests : AppTest
{
    private static readonly HexRaster Raster = new(100);

    private WijkSignalen Signalen => App.Services.GetRequiredService<WijkSignalen>();

    private async Task<(double X, double Y)> BinnenpuntAsync(string buurt)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        return await connection.QuerySingleAsync<(double, double)>(
            "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_PointOnSurface(geom) AS p FROM buurt WHERE code = @buurt) s",
            new { buurt }
        );
    }

    [Fact]
    public async Task A_spike_raises_one_unusual_alert_mailed_once_and_the_steady_busy_cell_none()
    {
        await BeheerAccounts.MaakAsync(App.Services, "wijkagent@heemstede.nl", "Wim Wijkagent", Rollen.Wijkprofessional);
        var nu = Tijd.Lokaal(DateTimeOffset.UtcNow);
        var dezeMaand = new DateTime(nu.Year, nu.Month, 1);
        var centrum = await BinnenpuntAsync(TestGemeente.EersteBuurt);
        var druk = Raster.Cel(centrum.X, centrum.Y);
        var stil = await BinnenpuntAsync(TestGemeente.StilleBuurt);
        var piek = Raster.Cel(stil.X, stil.Y);
        var piekMidden = Raster.Middelpunt(piek);
        var drukMidden = Raster.Middelpunt(druk);

        for (var terug = 12; terug >= 1; terug--)
        {
            await Een.Melding(DataSource)
                .Rubriek("parkeeroverlast")
                .In(TestGemeente.EersteBuurt)
                .Verschoven(drukMidden.X - centrum.X, drukMidden.Y - centrum.Y)
                .AangemaaktOp(dezeMaand.AddMonths(-terug).AddDays(9).AddHours(12))
                .OpgeslagenAsync(7);
        }
        // This month (filed now): the busy cell's usual 7, and the spike.
        await Een.Melding(DataSource)
            .Rubriek("parkeeroverlast")
            .In(TestGemeente.EersteBuurt)
            .Verschoven(drukMidden.X - centrum.X, drukMidden.Y - centrum.Y)
            .OpgeslagenAsync(7);
        for (var k = 0; k < 40; k++)
        {
            var hoek = k * 37.0 * Math.PI / 180;
            var straal = 5 + (k % 4 * 5);
            await Een.Melding(DataSource)
                .Rubriek("jeugdoverlast")
                .In(TestGemeente.StilleBuurt)
                .Verschoven(piekMidden.X - stil.X + (straal * Math.Cos(hoek)), piekMidden.Y - stil.Y + (straal * Math.Sin(hoek)))
                .OpgeslagenAsync();
        }

        await Signalen.RondeAsync();
        await Signalen.RondeAsync();

        await using var connection = await DataSource.OpenConnectionAsync();
        var maand = dezeMaand.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        var alerts = (
            await connection.QueryAsync<(long Id, string Regel, string Plek, int Aantal, string Rubriek, string Omschrijving)>(
                """
                SELECT s.id, s.regel, s.plek, s.aantal, r.code, s.omschrijving
                FROM wijk_signaal s JOIN rubriek r ON r.id = s.rubriek_id WHERE s.soort = 'ongewoon'
                """
            )
        ).ToList();
        var alert = Assert.Single(alerts);
        Assert.Equal(($"ongewoon-alle-100m-{maand}", $"{piek.I},{piek.J}", 40), (alert.Regel, alert.Plek, alert.Aantal));
        Assert.Equal("jeugdoverlast", alert.Rubriek); // the cell's most frequent category routes it
        Assert.StartsWith("40× meldingen in ", alert.Omschrijving);
        Assert.EndsWith("ongewoon voor deze plek", alert.Omschrijving);
        Assert.DoesNotContain(alerts, a => a.Plek == $"{druk.I},{druk.J}");
        // Mailed once, through the outbox, to the wijkprofessional (the team has no mailbox or members).
        var mails = (
            await connection.QueryAsync<string>($"SELECT aan FROM mail_outbox WHERE sleutel LIKE 'wijk-signaal:{alert.Id}:%'")
        ).ToList();
        Assert.Equal(["wijkagent@heemstede.nl"], mails);

        // A rule per category: parkeeroverlast (steady) raises nothing; 'elke' raises the spike's
        // category once, under its own rule name.
        await using var perRubriek = new WijkAppFactory(
            Database.ConnectionString,
            new Dictionary<string, string?>
            {
                ["Wijkbeeld:Signalen:Ongewoon:0:Rubriek"] = "parkeeroverlast",
                ["Wijkbeeld:Signalen:Ongewoon:1:Rubriek"] = "elke",
                ["Wijkbeeld:Signalen:Ongewoon:1:MaxQ"] = "0.001",
            }
        );
        var ronde = perRubriek.Services.GetRequiredService<WijkSignalen>();
        await ronde.RondeAsync();
        await ronde.RondeAsync();
        var regels = (await connection.QueryAsync<string>("SELECT regel FROM wijk_signaal WHERE soort = 'ongewoon' ORDER BY id")).ToList();
        Assert.Equal([$"ongewoon-alle-100m-{maand}", $"ongewoon-jeugdoverlast-100m-{maand}"], regels);
        Assert.Equal(
            2,
            await connection.ExecuteScalarAsync<long>(
                "SELECT count(*) FROM mail_outbox WHERE sleutel LIKE 'wijk-signaal:%' AND sleutel IN "
                    + "(SELECT 'wijk-signaal:' || id || ':wijkagent@heemstede.nl' FROM wijk_signaal WHERE soort = 'ongewoon')"
            )
        );
    }
}
