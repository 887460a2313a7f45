using System.Globalization;
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
/// The wijk's own map of its buurten (/wijken/{wijk} and /wijken/{wijk}/buurten.geojson, the loaded
/// municipality's first wijk) over known reports in the 4th quarter of 2025 in its first three buurten
/// by code (buurtA, B, C: BU03970000-02 in the demo municipality): 30 in A, 12 in B, 2 in C (below the
/// threshold), 50 drugsafval ('verborgen') in B that no figure may count.
/// </summary>
public sealed partial class BuurtKaartTests : AppTest
{
    private const string Kwartaal = "soort=kwartaal&kwartaal=2025-4";
    private static readonly string Wijk = TestGemeente.EersteWijk;

    private string buurtA = "";
    private string buurtB = "";
    private string buurtC = "";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await using (var connection = await DataSource.OpenConnectionAsync())
        {
            var codes = (
                await connection.QueryAsync<string>("SELECT code FROM buurt WHERE wijk_code = @Wijk ORDER BY code LIMIT 3", new { Wijk })
            ).ToList();
            Assert.Equal(3, codes.Count);
            (buurtA, buurtB, buurtC) = (codes[0], codes[1], codes[2]);
        }
        var oktober = new DateTime(2025, 10, 15, 12, 0, 0);
        await TestMeldingen.MeldAsync(DataSource, "jeugdoverlast", buurtA, oktober, 30);
        await TestMeldingen.MeldAsync(DataSource, "parkeeroverlast", buurtB, oktober, 12);
        await TestMeldingen.MeldAsync(DataSource, "parkeeroverlast", buurtC, oktober, 2);
        await TestMeldingen.MeldAsync(DataSource, "drugsafval", buurtB, oktober, 50);
        await App.Services.GetRequiredService<WijkbeeldVerversen>().VerversAsync();
    }

    private async Task<Dictionary<string, JsonElement>> BuurtenAsync(string query = Kwartaal)
    {
        var response = await App.CreateClient().GetAsync($"/wijken/{Wijk}/buurten.geojson?{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/geo+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json
            .RootElement.GetProperty("features")
            .EnumerateArray()
            .ToDictionary(f => f.GetProperty("properties").GetProperty("code").GetString()!, f => f.Clone());
    }

    [Fact]
    public async Task The_geojson_holds_every_buurt_of_the_wijk_with_its_count_rate_and_class()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        var inwoners = (
            await connection.QueryAsync<(string Code, int? Inwoners)>(
                "SELECT code, inwoners FROM buurt WHERE wijk_code = @Wijk",
                new { Wijk }
            )
        ).ToDictionary(b => b.Code, b => b.Inwoners);

        var buurten = await BuurtenAsync();

        Assert.Equal(inwoners.Keys.Order(), buurten.Keys.Order());
        var centrum = buurten[buurtA];
        Assert.Equal("Polygon", centrum.GetProperty("geometry").GetProperty("type").GetString()![^7..]);
        var p0 = centrum.GetProperty("properties");
        var p1 = buurten[buurtB].GetProperty("properties");
        Assert.Equal(30, p0.GetProperty("aantal").GetInt32());
        Assert.Equal("30", p0.GetProperty("aantalTekst").GetString());
        Assert.Equal(Math.Round(30 * 1000.0 / inwoners[buurtA]!.Value, 1), p0.GetProperty("per1000").GetDouble());
        Assert.Equal("klasse", p0.GetProperty("stand").GetString());
        if (inwoners.Count == 3)
        {
            // A wijk of three buurten (Voorbeeldstad's first): C's 2 is the only hidden count, and the wijk's
            // total minus A and B would give it away, so B, the smallest shown, is hidden with it.
            Assert.Equal(JsonValueKind.Null, p1.GetProperty("aantal").ValueKind);
            Assert.Equal("< 5", p1.GetProperty("aantalTekst").GetString());
            Assert.Equal(JsonValueKind.Null, p1.GetProperty("per1000").ValueKind);
            Assert.Equal(JsonValueKind.Null, p1.GetProperty("klasse").ValueKind);
            Assert.Equal("onderdrukt", p1.GetProperty("stand").GetString());
            Assert.Equal(
                BuurtKaart.Deel([new Regel("buurt", "a", "a", new Aantal(30, false), new Aantal(0, true), inwoners[buurtA])]).Klassen.Count,
                p0.GetProperty("klasse").GetInt32()
            );
            return;
        }
        // Public reports only: the 50 drugsafval reports are not in B's 12.
        Assert.Equal(12, p1.GetProperty("aantal").GetInt32());
        Assert.Equal(Math.Round(12 * 1000.0 / inwoners[buurtB]!.Value, 1), p1.GetProperty("per1000").GetDouble());
        // The class follows the rate: the highest rate is in the top class; both carry a class.
        var hoogste = new[] { p0, p1 }.MaxBy(p => p.GetProperty("per1000").GetDouble());
        var laagste = new[] { p0, p1 }.MinBy(p => p.GetProperty("per1000").GetDouble());
        var indeling = BuurtKaart.Deel([
            new Regel("buurt", "a", "a", new Aantal(30, false), new Aantal(0, true), inwoners[buurtA]),
            new Regel("buurt", "b", "b", new Aantal(12, false), new Aantal(0, true), inwoners[buurtB]),
        ]);
        Assert.Equal(indeling.Klassen.Count, hoogste.GetProperty("klasse").GetInt32());
        Assert.True(laagste.GetProperty("klasse").GetInt32() <= hoogste.GetProperty("klasse").GetInt32());
        Assert.Equal("klasse", p1.GetProperty("stand").GetString());
    }

    [Fact]
    public async Task Small_counts_carry_no_number_no_rate_and_no_class()
    {
        var buurten = await BuurtenAsync();

        var klein = buurten[buurtC].GetProperty("properties");
        Assert.Equal(JsonValueKind.Null, klein.GetProperty("aantal").ValueKind);
        Assert.Equal("< 5", klein.GetProperty("aantalTekst").GetString());
        Assert.Equal(JsonValueKind.Null, klein.GetProperty("per1000").ValueKind);
        Assert.Equal(JsonValueKind.Null, klein.GetProperty("klasse").ValueKind);
        Assert.Equal("onderdrukt", klein.GetProperty("stand").GetString());
        // Buurten without reports are suppressed too (0 < 5), so the 2 cannot be worked out.
        foreach (var (code, f) in buurten.Where(x => x.Key != buurtA && x.Key != buurtB))
        {
            Assert.Equal("onderdrukt", f.GetProperty("properties").GetProperty("stand").GetString());
        }
        // In another quarter nothing is shown anywhere.
        var leeg = await BuurtenAsync("soort=kwartaal&kwartaal=2024-1");
        Assert.All(leeg.Values, f => Assert.Equal(JsonValueKind.Null, f.GetProperty("properties").GetProperty("aantal").ValueKind));
    }

    [Fact]
    public async Task The_page_has_the_map_its_legend_and_the_same_classes_in_the_table()
    {
        var html = await App.CreateClient().GetStringAsync($"/wijken/{Wijk}?{Kwartaal}");
        var buurten = await BuurtenAsync();

        Assert.Contains("id=\"buurtkaart\"", html);
        Assert.Contains($"data-buurten-url=\"/wijken/{Wijk}/buurten.geojson?soort=kwartaal&amp;kwartaal=2025-4\"", html);
        // The legend: a line per class, and the suppressed line with the threshold.
        var legenda = Regex.Match(html, "<ul class=\"legenda legenda--buurten\".*?</ul>", RegexOptions.Singleline).Value;
        var klassen = Regex.Count(legenda, "data-klasse=\"\\d\"");
        Assert.InRange(klassen, 1, BuurtKaart.MaxKlassen);
        Assert.Contains("Klasse 1: 0 tot en met", WebUtility.HtmlDecode(legenda));
        Assert.Contains("Minder dan 5 meldingen: niet getoond", WebUtility.HtmlDecode(legenda));
        // The table's class column says the same as the map, in words.
        foreach (var (code, f) in buurten)
        {
            var cel = Regex.Match(html, $"<tr data-code=\"{code}\".*?<td data-klasse=\"([^\"]*)\">([^<]*)</td>", RegexOptions.Singleline);
            Assert.True(cel.Success, code);
            var p = f.GetProperty("properties");
            if (p.GetProperty("klasse").ValueKind == JsonValueKind.Number)
            {
                var k = p.GetProperty("klasse").GetInt32();
                Assert.Equal(k.ToString(CultureInfo.InvariantCulture), cel.Groups[1].Value);
                Assert.Equal($"{k} van {klassen}", WebUtility.HtmlDecode(cel.Groups[2].Value).Trim());
            }
            else
            {
                Assert.Equal("onderdrukt", cel.Groups[1].Value);
                Assert.Equal("niet getoond", cel.Groups[2].Value.Trim());
            }
        }
    }

    [Fact]
    public async Task An_unknown_wijk_is_a_404_and_bad_period_input_no_500()
    {
        var client = App.CreateClient();

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/wijken/WK999999/buurten.geojson")).StatusCode);
        var raar = await client.GetAsync($"/wijken/{Wijk}/buurten.geojson?soort=kwartaal&kwartaal=%27;DROP");
        Assert.True(raar.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, raar.StatusCode.ToString());
    }

    [Theory]
    [InlineData(new[] { 12.3, 4.0 }, new[] { 2.5, 5, 7.5, 10, 12.5 }, new[] { 5, 2 })]
    [InlineData(new[] { 10.0, 2.0 }, new[] { 2.0, 4, 6, 8, 10 }, new[] { 5, 1 })]
    [InlineData(new[] { 3.0, 1.5, 0.0 }, new[] { 1.0, 2, 3 }, new[] { 3, 2, 1 })]
    [InlineData(new[] { 0.0 }, new[] { 0.1 }, new[] { 1 })]
    public void Classes_are_equal_and_round_steps_up_to_the_highest_rate(double[] per1000, double[] grenzen, int[] klassen)
    {
        var regels = per1000
            .Select((p, i) => new Regel("buurt", $"b{i}", $"b{i}", new Aantal((long)Math.Round(p * 10), false), default, 10_000))
            .Append(new Regel("buurt", "klein", "klein", new Aantal(2, true), default, 10_000))
            .Append(new Regel("buurt", "leeg", "leeg", new Aantal(7, false), default, null))
            .ToList();

        var indeling = BuurtKaart.Deel(regels);

        Assert.Equal(grenzen, indeling.Klassen.Select(k => k.Tot));
        Assert.Equal(klassen, indeling.Buurten.Take(per1000.Length).Select(b => b.Klasse!.Nummer));
        Assert.Equal(BuurtKaart.Stand.Onderdrukt, indeling.Van("klein")!.Stand);
        Assert.Null(indeling.Van("klein")!.Klasse);
        Assert.Equal(BuurtKaart.Stand.GeenInwoners, indeling.Van("leeg")!.Stand);
        // The colours spread over the scale and end at its darkest step.
        Assert.Equal(indeling.Klassen.Count == 1 ? 3 : 5, indeling.Klassen[^1].Kleur);
    }
}
