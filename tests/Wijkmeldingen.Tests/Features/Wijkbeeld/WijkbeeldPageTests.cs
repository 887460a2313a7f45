using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Features.Wijkbeeld;

namespace Wijkmeldingen.Tests.Features.Wijkbeeld;

/// <summary>
/// The public wijk picture over known reports in wijk 00 (Centrum etc.), the 4th quarter of 2025
/// against the 3rd:
///   jeugdoverlast in Centrum: 30 on Wednesday 15 October 2025 at 12:00 (9 handled after 2 days,
///     11 after 6, 3 of those reopened), 20 in August;
///   parkeeroverlast in Centrum: 3 in November (below the threshold);
///   drugsafval ('verborgen') in Centrum: 50 in October — never public.
/// </summary>
public sealed partial class WijkbeeldPageTests : AppTest
{
    private const string Kwartaal = "soort=kwartaal&kwartaal=2025-4";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var oktober = new DateTime(2025, 10, 15, 12, 0, 0);
        await TestMeldingen.MeldAsync(
            DataSource,
            "jeugdoverlast",
            TestGemeente.EersteBuurt,
            oktober,
            9,
            "afgehandeld",
            afgehandeldNaDagen: 2
        );
        await TestMeldingen.MeldAsync(
            DataSource,
            "jeugdoverlast",
            TestGemeente.EersteBuurt,
            oktober,
            8,
            "afgehandeld",
            afgehandeldNaDagen: 6
        );
        await TestMeldingen.MeldAsync(
            DataSource,
            "jeugdoverlast",
            TestGemeente.EersteBuurt,
            oktober,
            3,
            "afgehandeld",
            afgehandeldNaDagen: 6,
            heropend: true
        );
        await TestMeldingen.MeldAsync(DataSource, "jeugdoverlast", TestGemeente.EersteBuurt, oktober, 10, "in-behandeling");
        await TestMeldingen.MeldAsync(DataSource, "jeugdoverlast", TestGemeente.EersteBuurt, new DateTime(2025, 8, 10, 21, 0, 0), 20);
        await TestMeldingen.MeldAsync(DataSource, "parkeeroverlast", TestGemeente.EersteBuurt, new DateTime(2025, 11, 3, 9, 0, 0), 3);
        await TestMeldingen.MeldAsync(DataSource, "drugsafval", TestGemeente.EersteBuurt, oktober, 50);
        await App.Services.GetRequiredService<WijkbeeldVerversen>().VerversAsync();
    }

    [Fact]
    public async Task Shows_reports_per_1000_inhabitants_and_the_change_against_the_previous_quarter()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        var wijkInwoners = await connection.ExecuteScalarAsync<int>($"SELECT inwoners FROM wijk WHERE code = '{TestGemeente.EersteWijk}'");
        var buurtInwoners = await connection.ExecuteScalarAsync<int>(
            $"SELECT inwoners FROM buurt WHERE code = '{TestGemeente.EersteBuurt}'"
        );
        var nl = CultureInfo.GetCultureInfo("nl-NL");

        var html = await App.CreateClient().GetStringAsync($"/wijken/{TestGemeente.EersteWijk}?{Kwartaal}");

        var jeugd = Rij(html, "jeugdoverlast");
        Assert.Equal(["30", "20", (30 * 1000.0 / wijkInwoners).ToString("N1", nl), "+50 %", "67 %", "6", "10 %"], jeugd);
        // The buurt: 30 + 3 public reports this quarter (drugsafval not counted), 20 before.
        var centrum = Rij(html, TestGemeente.EersteBuurt);
        Assert.Equal(["33", "20", (33 * 1000.0 / buurtInwoners).ToString("N1", nl), "+65 %"], centrum[1..5]);
        Assert.Contains("Meldingen in oktober – december 2025, vergeleken met juli – september 2025.", WebUtility.HtmlDecode(html));
    }

    [Fact]
    public async Task Small_counts_are_shown_as_fewer_than_5_and_their_derived_figures_left_out()
    {
        var html = await App.CreateClient().GetStringAsync($"/wijken/{TestGemeente.EersteWijk}?{Kwartaal}");

        var parkeren = Rij(html, "parkeeroverlast");
        Assert.Equal(["< 5", "< 5", "–", "–", "–", "–", "–"], parkeren);
        // The weekday x hour matrix: Wednesday 12:00 holds the 30 youth-nuisance reports.
        Assert.Contains(">30</td>", html);
        Assert.DoesNotContain(">3</td>", html);
    }

    [Fact]
    public async Task Sensitive_categories_never_reach_a_page_an_export_or_a_total()
    {
        var client = App.CreateClient();

        var wijk = await client.GetStringAsync($"/wijken/{TestGemeente.EersteWijk}?{Kwartaal}");
        var overzicht = await client.GetStringAsync($"/wijken?{Kwartaal}");
        var csv = await client.GetStringAsync($"/wijken/{TestGemeente.EersteWijk}/cijfers.csv?{Kwartaal}");
        var gemeenteCsv = await client.GetStringAsync($"/wijken/cijfers.csv?{Kwartaal}");
        var geojson = await client.GetStringAsync("/wijken/hotspots.geojson?soort=kwartaal&kwartaal=2025-4");

        foreach (var tekst in new[] { wijk, overzicht, csv, gemeenteCsv })
        {
            Assert.DoesNotContain("Drugsafval", tekst);
            Assert.DoesNotContain("Ondermijning", tekst);
            Assert.DoesNotContain("Zorgen om iemand", tekst);
            Assert.DoesNotContain("Verdachte situatie", tekst);
            Assert.DoesNotContain("drugsafval;", tekst);
        }
        // Totals are public reports only: 33 this quarter, not 33 + 50.
        await using var connection = await DataSource.OpenConnectionAsync();
        var gemeente = await connection.QuerySingleAsync<(string Code, string Naam)>("SELECT code, naam FROM gemeente");
        var wijkNaam = await connection.QuerySingleAsync<string>(
            "SELECT naam FROM wijk WHERE code = @code",
            new { code = TestGemeente.EersteWijk }
        );
        Assert.Contains($"{gemeente.Code};2025-10;2025-12;totaal;{gemeente.Code};{gemeente.Naam};33;20;", gemeenteCsv);
        Assert.Contains($"{TestGemeente.EersteWijk};2025-10;2025-12;totaal;{TestGemeente.EersteWijk};{wijkNaam};33;20;", csv);
        Assert.Contains("data-kern=\"aantal\">33<", wijk);
        Assert.Contains($"{TestGemeente.EersteWijk};2025-10;2025-12;rubriek;parkeeroverlast;Parkeeroverlast;< 5;< 5;;;;;", csv);
        // Hotspot cells count only public reports; the cell with 33 is shown, nothing counts 83.
        using var json = JsonDocument.Parse(geojson);
        var aantallen = json
            .RootElement.GetProperty("features")
            .EnumerateArray()
            .Select(f => f.GetProperty("properties").GetProperty("aantal"))
            .Where(a => a.ValueKind == JsonValueKind.Number)
            .Select(a => a.GetInt32())
            .ToList();
        Assert.Equal([33], aantallen);
    }

    [Fact]
    public async Task Overview_lists_every_wijk_and_the_hotspot_map()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        var wijken = (await connection.QueryAsync<string>("SELECT code FROM wijk ORDER BY code")).ToList();
        var response = await App.CreateClient().GetAsync($"/wijken?{Kwartaal}");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(TestGemeente.AndereWijk, wijken);
        Assert.Contains($"href=\"/wijken/{TestGemeente.EersteWijk}?soort=kwartaal&amp;kwartaal=2025-4\"", html);
        Assert.All(wijken, code => Assert.Contains($"href=\"/wijken/{code}?", html));
        Assert.Contains("id=\"hotspotkaart\"", html);
        Assert.Contains("<svg class=\"grafiek__svg\"", html);
        Assert.DoesNotContain("<script>", html);
        Assert.Equal(HttpStatusCode.NotFound, (await App.CreateClient().GetAsync("/wijken/WK999999")).StatusCode);
    }

    [Fact]
    public async Task New_reports_reach_the_picture_after_the_rollup_refresh()
    {
        // Hold the rollup's own lock meanwhile, so the app's background round cannot refresh in between.
        await using (var slot = await DataSource.OpenConnectionAsync())
        await using (var transactie = await slot.BeginTransactionAsync())
        {
            await slot.ExecuteAsync("SELECT pg_advisory_xact_lock(397020)", transaction: transactie);
            // Raw on purpose: the refresh below must find exactly one dirty month. Reports filed through the
            // write path and moved back in time (Een.Melding ... AangemaaktOp) also leave the current month dirty.
            await using (var connection = await DataSource.OpenConnectionAsync())
            {
                await connection.ExecuteAsync(
                    """
                    INSERT INTO melding (rubriek_id, omschrijving, locatie, aangemaakt_op, gewijzigd_op)
                    SELECT r.id, 'Testmelding', ST_PointOnSurface(b.geom), m.t, m.t
                    FROM rubriek r, buurt b, generate_series(1, 7),
                         (SELECT timestamp '2025-12-01 08:00' AT TIME ZONE 'Europe/Amsterdam' AS t) m
                    WHERE r.code = 'verkeersagressie' AND b.code = @buurt
                    """,
                    new { buurt = TestGemeente.EersteBuurt }
                );
            }
            Assert.Equal(
                ["< 5"],
                Rij(await App.CreateClient().GetStringAsync($"/wijken/{TestGemeente.EersteWijk}?{Kwartaal}"), "verkeersagressie").Take(1)
            );
        }

        // The background round may take the lock first and do this refresh itself.
        Assert.InRange(await App.Services.GetRequiredService<WijkbeeldVerversen>().VerversAsync(), 0, 1);

        Assert.Equal(
            ["7"],
            Rij(await App.CreateClient().GetStringAsync($"/wijken/{TestGemeente.EersteWijk}?{Kwartaal}"), "verkeersagressie").Take(1)
        );
    }

    [Fact]
    public async Task Kpi_page_defines_each_kpi_and_says_when_one_is_not_defined_yet()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        var wijkInwoners = await connection.ExecuteScalarAsync<int>($"SELECT inwoners FROM wijk WHERE code = '{TestGemeente.EersteWijk}'");
        var nl = CultureInfo.GetCultureInfo("nl-NL");

        var html = WebUtility.HtmlDecode(await App.CreateClient().GetStringAsync($"/wijken/kpi?{Kwartaal}"));

        Assert.Contains("Meldingen per 1.000 inwoners per thema", html);
        Assert.Contains("Er is nog geen streeftermijn vastgesteld, dus deze indicator is nog niet gedefinieerd.", html);
        Assert.Contains("Er zijn nog geen gegevens over tevredenheid", html);
        Assert.Contains("Voor Ondermijning, Zorg & veiligheid publiceren we geen cijfers per wijk", html);
        // Overlast per 1,000 in wijk 00 (first wijk column); wijk 01 has no reports.
        Assert.Equal((30 * 1000.0 / wijkInwoners).ToString("N1", nl), Rij(html, "overlast")[0]);
        Assert.Equal("–", Rij(html, "overlast")[1]); // 0 reports: below the threshold, so no rate either

        // With a target time, the share handled within it: 9 of 30 within 5 days.
        await using var metStreef = new WijkAppFactory(
            Database.ConnectionString,
            new Dictionary<string, string?> { ["Wijkbeeld:StreefDagen:overlast"] = "5" }
        );
        var metStreefHtml = WebUtility.HtmlDecode(await metStreef.CreateClient().GetStringAsync($"/wijken/kpi?{Kwartaal}"));
        var streefRij = Regex
            .Matches(metStreefHtml, "<tr[^>]*data-code=\"overlast\">(.*?)</tr>", RegexOptions.Singleline)[1]
            .Groups[1]
            .Value;
        var cellen = CelPattern().Matches(streefRij).Select(m => m.Groups[1].Value.Trim()).ToArray();
        // The target, then wijk 00 (9 of 30), every other wijk (no reports), the municipality (9 of 30).
        var wijken = await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM wijk");
        Assert.Equal(["5 dagen", "30 %", .. Enumerable.Repeat("–", wijken - 1), "30 %"], cellen);
    }

    [Fact]
    public async Task The_suppression_threshold_is_configuration()
    {
        await using var streng = new WijkAppFactory(
            Database.ConnectionString,
            new Dictionary<string, string?> { ["Wijkbeeld:Drempel"] = "40" }
        );

        var html = await streng.CreateClient().GetStringAsync($"/wijken/{TestGemeente.EersteWijk}?{Kwartaal}");

        Assert.Equal(["< 40", "< 40", "–"], Rij(html, "jeugdoverlast")[..3]);
    }

    [Fact]
    public async Task Published_stories_and_perceived_safety_stand_beside_the_figures()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(
            """
            INSERT INTO wijk_verhaal (wijk_code, van, tot, titel, tekst, auteur, gepubliceerd_op) VALUES
                (@wijk, '2025-10-01', '2025-12-01', 'Meer meldingen door de nieuwe buurtapp',
                 'Jongeren bij het plein: we praten met hen en de buurt.' || E'\n\n' || 'Tweede alinea.',
                 'Wijkprofessional Centrum', now()),
                (@wijk, '2025-10-01', '2025-12-01', 'Concept, nog niet af', 'Niet publiek.', 'Wijkprofessional Centrum', NULL),
                (@wijk, '2024-01-01', '2024-03-01', 'Over een ander kwartaal', 'Andere periode.', 'Wijkprofessional Centrum', now());
            INSERT INTO wijk_beleving (wijk_code, jaar, indicator, omschrijving, waarde, eenheid, bron) VALUES
                (@wijk, 2024, 'veilig-in-buurt', 'Voelt zich veilig in de eigen buurt', 81, '%', 'Veiligheidsmonitor 2024'),
                (@wijk, 2025, 'veilig-in-buurt', 'Voelt zich veilig in de eigen buurt', 84, '%', 'Veiligheidsmonitor 2025'),
                (@wijk, 2027, 'veilig-in-buurt', 'Voelt zich veilig in de eigen buurt', 99, '%', 'Toekomst');
            """,
            new { wijk = TestGemeente.EersteWijk }
        );

        var html = WebUtility.HtmlDecode(await App.CreateClient().GetStringAsync($"/wijken/{TestGemeente.EersteWijk}?{Kwartaal}"));
        var ander = WebUtility.HtmlDecode(await App.CreateClient().GetStringAsync($"/wijken/{TestGemeente.AndereWijk}?{Kwartaal}"));

        Assert.Contains("Meer meldingen door de nieuwe buurtapp", html);
        Assert.Contains("<p>Tweede alinea.</p>", html);
        Assert.DoesNotContain("Concept, nog niet af", html);
        Assert.DoesNotContain("Over een ander kwartaal", html);
        Assert.Equal(["84 % (2025)", "81 % (2024)", "Veiligheidsmonitor 2025"], Rij(html, "veilig-in-buurt"));
        Assert.Contains("nog geen cijfers over veiligheidsgevoel", ander);
    }

    [Fact]
    public async Task Speaks_english_after_the_language_switch()
    {
        var html = WebUtility.HtmlDecode(
            await App.CreateClient().GetStringAsync($"/wijken/{TestGemeente.EersteWijk}?{Kwartaal}&culture=en")
        );

        Assert.Contains("<html lang=\"en\">", html);
        Assert.Contains("Key figures", html);
        Assert.Contains("Reports in October – December 2025, compared with July – September 2025.", html);
        Assert.Equal("30", Rij(html, "jeugdoverlast")[0]);
    }

    [Theory]
    [InlineData("", new[] { 33 })]
    [InlineData("&thema=overlast", new[] { 30 })]
    [InlineData("&thema=verkeer", new int[0])] // 3 parking reports: below the threshold
    [InlineData("&thema=overlast&status=open", new[] { 10 })]
    [InlineData("&status=gesloten", new[] { 20 })]
    [InlineData("&thema=ondermijning", new int[0])] // only 'verborgen' categories: never counted
    public async Task Hotspot_map_filters_by_theme_and_status(string filter, int[] verwacht)
    {
        var geojson = await App.CreateClient().GetStringAsync($"/wijken/hotspots.geojson?{Kwartaal}{filter}");

        using var json = JsonDocument.Parse(geojson);
        var aantallen = json
            .RootElement.GetProperty("features")
            .EnumerateArray()
            .Select(f => f.GetProperty("properties").GetProperty("aantal"))
            .Where(a => a.ValueKind == JsonValueKind.Number)
            .Select(a => a.GetInt32())
            .ToArray();
        Assert.Equal(verwacht, aantallen);
        var html = await App.CreateClient().GetStringAsync($"/wijken?{Kwartaal}{filter}");
        var query = Kwartaal.Replace("&", "&amp;", StringComparison.Ordinal) + filter.Replace("&", "&amp;", StringComparison.Ordinal);
        Assert.Contains($"data-hotspots-url=\"/wijken/hotspots.geojson?{query}\"", html);
    }

    /// <summary>The cells of the table row with data-code="<paramref name="code"/>" (after its header).</summary>
    private static string[] Rij(string html, string code)
    {
        var rij = Regex.Match(html, $"<tr[^>]*data-code=\"{code}\"[^>]*>(.*?)</tr>", RegexOptions.Singleline);
        Assert.True(rij.Success, $"no row {code}");
        return CelPattern().Matches(rij.Groups[1].Value).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value).Trim()).ToArray();
    }

    [GeneratedRegex("<td[^>]*>(.*?)</td>", RegexOptions.Singleline)]
    private static partial Regex CelPattern();
}
