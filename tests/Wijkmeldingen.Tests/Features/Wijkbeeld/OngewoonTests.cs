using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Features.Wijkbeeld;

namespace Wijkmeldingen.Tests.Features.Wijkbeeld;

/// <summary>
/// "Unusual for this place" beside Gi* (issue 19). A slowly busy centre: the Raadhuisplein's 100 m
/// cell with 7 reports every month and its six neighbours with 4 each, for the twelve months before
/// March 2026 and in March itself. A spike: 40 reports within 40 m of each other in March 2026 in a
/// quiet buurt (TestGemeente.StilleBuurt) that had none before. Each view finds its own: Gi* flags the busy cluster,
/// the unusual view flags the spike and not the steady busy cell.
/// </summary>
public sealed class OngewoonTests : AppTest
{
    private const string Maart = "soort=maand&maand=2026-03";
    private static readonly Periode MaartPeriode = new("maand", new DateTime(2026, 3, 1), new DateTime(2026, 3, 1));
    private static readonly HexRaster Raster = new(100);

    /// <summary>The six neighbours of a flat-topped hexagon, centre to centre (√3 × edge away).</summary>
    private static readonly (double X, double Y)[] Buren =
    [
        (0, 173.2),
        (0, -173.2),
        (150, 86.6),
        (150, -86.6),
        (-150, 86.6),
        (-150, -86.6),
    ];

    private HexCel drukCel;
    private HexCel piekCel;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var centrum = await BinnenpuntAsync(TestGemeente.EersteBuurt);
        var centrumMidden = Raster.Middelpunt(Raster.Cel(centrum.X, centrum.Y));
        drukCel = Raster.Cel(centrumMidden.X, centrumMidden.Y);
        var stil = await BinnenpuntAsync(TestGemeente.StilleBuurt);
        var stilMidden = Raster.Middelpunt(Raster.Cel(stil.X, stil.Y));
        piekCel = Raster.Cel(stilMidden.X, stilMidden.Y);
        // Precondition: the spike is far from the busy centre (not in each other's Gi* neighbourhood).
        Assert.True(Math.Sqrt(Math.Pow(stilMidden.X - centrumMidden.X, 2) + Math.Pow(stilMidden.Y - centrumMidden.Y, 2)) > 600);

        for (var maand = new DateTime(2025, 3, 1); maand <= new DateTime(2026, 3, 1); maand = maand.AddMonths(1))
        {
            for (var k = 0; k < 7; k++)
            {
                await MeldAsync(TestGemeente.EersteBuurt, centrum, centrumMidden.X + k, centrumMidden.Y, maand.AddDays(k * 3 + 1));
            }
            foreach (var (bx, by) in Buren)
            {
                for (var k = 0; k < 4; k++)
                {
                    await MeldAsync(
                        TestGemeente.EersteBuurt,
                        centrum,
                        centrumMidden.X + bx + k,
                        centrumMidden.Y + by,
                        maand.AddDays(k * 5 + 2)
                    );
                }
            }
        }
        // 40 reports on one spot: within 20 m of the cell's centre, so within 40 m of each other.
        for (var k = 0; k < 40; k++)
        {
            var hoek = k * 37.0 * Math.PI / 180;
            var straal = 5 + (k % 4 * 5);
            await MeldAsync(
                TestGemeente.StilleBuurt,
                stil,
                stilMidden.X + (straal * Math.Cos(hoek)),
                stilMidden.Y + (straal * Math.Sin(hoek)),
                new DateTime(2026, 3, 1 + (k % 28))
            );
        }
        await App.Services.GetRequiredService<WijkbeeldVerversen>().VerversAsync();
        await BeheerAccounts.MaakAsync(App.Services, "wijkagent@heemstede.nl", "Wim Wijkagent", Rollen.Wijkprofessional);
    }

    private async Task<(double X, double Y)> BinnenpuntAsync(string buurt)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        return await connection.QuerySingleAsync<(double, double)>(
            "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_PointOnSurface(geom) AS p FROM buurt WHERE code = @buurt) s",
            new { buurt }
        );
    }

    /// <summary>A report at RD point (x, y), given as metres from the buurt's inner point.</summary>
    private async Task MeldAsync(string buurt, (double X, double Y) binnenpunt, double x, double y, DateTime dag) =>
        await Een.Melding(DataSource)
            .Rubriek("jeugdoverlast")
            .Met("Ongewoontest")
            .In(buurt)
            .Verschoven(x - binnenpunt.X, y - binnenpunt.Y)
            .AangemaaktOp(dag.AddHours(14))
            .OpgeslagenAsync();

    [Fact]
    public async Task Gi_star_flags_the_busy_cluster_and_the_unusual_view_flags_the_spike_and_not_the_steady_busy_cell()
    {
        var filter = new HotspotFilter(100, MaartPeriode, Publiek: false);
        var gi = await App.Services.GetRequiredService<HotspotEngine>().BerekenAsync(filter);
        var ongewoon = await App.Services.GetRequiredService<OngewoonEngine>().BerekenAsync(filter);

        var giDruk = gi.Single(c => (c.I, c.J) == (drukCel.I, drukCel.J));
        var druk = ongewoon.Cellen.Single(c => (c.I, c.J) == (drukCel.I, drukCel.J));
        var piek = ongewoon.Cellen.Single(c => (c.I, c.J) == (piekCel.I, piekCel.J));

        // The planted reports landed where meant: 7 in the busy cell, 40 in the spike's.
        Assert.Equal((7L, 40L), (druk.Aantal, piek.Aantal));
        // Gi*: the busy centre is a hotspot at 99 %.
        Assert.Equal(HotspotKlasse.Heet99, giDruk.Klasse);
        // Unusual: the busy cell expects its own 7 (84 in twelve months) and is not unusual...
        Assert.Equal(Verwachting.Eigen, druk.Bron);
        Assert.Equal(7.0, druk.Verwacht, 1e-9);
        Assert.False(druk.Ongewoon);
        Assert.True(druk.Q > 0.5, $"q = {druk.Q}");
        // ...its neighbours (4 expected, 4 seen) neither; the spike cell, quiet until now, is.
        Assert.Equal(Verwachting.Gemeente, piek.Bron);
        Assert.True(piek.Ongewoon);
        Assert.True(piek.Q < 1e-10, $"q = {piek.Q}");
        Assert.Equal([(piekCel.I, piekCel.J)], ongewoon.Cellen.Where(c => c.Ongewoon).Select(c => (c.I, c.J)));
        Assert.Equal(12, ongewoon.HistorieMaanden);
        // Tested (at least 5 reports): the busy cell and the spike; the neighbours' 4 are below the minimum.
        Assert.Equal(2, ongewoon.Getoetst);
    }

    [Fact]
    public async Task Staff_map_shows_both_layers_with_their_tables_and_the_geojson_carries_the_unusual_class()
    {
        var wijkagent = await BeheerAccounts.IngelogdAsync(App, "wijkagent@heemstede.nl");

        var html = WebUtility.HtmlDecode(await wijkagent.Http.GetStringAsync($"/beheer/hotspots?{Maart}&cel=100&laag=ongewoon"));
        var cellen = await wijkagent.Http.GetStringAsync($"/beheer/hotspots/cellen.geojson?{Maart}&cel=100");

        var druk = $"data-cel=\"{drukCel.I},{drukCel.J}\"";
        var piek = $"data-cel=\"{piekCel.I},{piekCel.J}\"";
        var ranglijst = Regex.Match(html, "<table[^>]*id=\"ranglijst\".*?</table>", RegexOptions.Singleline).Value;
        var tabel = Regex.Match(html, "<table[^>]*id=\"ongewoon\".*?</table>", RegexOptions.Singleline).Value;
        Assert.Contains(druk, ranglijst);
        Assert.Contains(piek, tabel);
        Assert.DoesNotContain(druk, tabel);
        Assert.Matches(new Regex(Regex.Escape(piek) + ".*?data-aantal>40</td>", RegexOptions.Singleline), tabel);
        Assert.Contains("gemiddelde gemeente", tabel);
        // The switch is on "ongewoon", its legend shown, Gi*'s hidden.
        Assert.Matches("<input type=\"radio\" name=\"laag\" value=\"ongewoon\" checked=\"checked\"", html);
        Assert.Matches("id=\"legenda-gi\"[^>]*hidden", html);
        Assert.DoesNotMatch("id=\"legenda-ongewoon\"[^>]*hidden", html);

        using var json = JsonDocument.Parse(cellen);
        var klassen = json
            .RootElement.GetProperty("features")
            .EnumerateArray()
            .Select(f => f.GetProperty("properties"))
            .ToDictionary(p => p.GetProperty("cel").GetString()!, p => p.GetProperty("ongewoon").GetInt32());
        Assert.Equal(2, klassen[$"{piekCel.I},{piekCel.J}"]);
        Assert.Equal(0, klassen[$"{drukCel.I},{drukCel.J}"]);
        Assert.Equal(1, klassen.Values.Count(k => k == 2));
    }
}
