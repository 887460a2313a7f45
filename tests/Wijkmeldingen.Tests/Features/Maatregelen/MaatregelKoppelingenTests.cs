using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Tests.Features.Wijkbeeld;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Features.Wijkbeeld;

namespace Wijkmeldingen.Tests.Features.Maatregelen;

/// <summary>Besides reports, a measure answers hotspots (a Gi* or unusual cell of a period, copied from
/// /beheer/hotspots) and walks (the walk, and its findings: reports filed from it). The public wijk
/// page shows the hotspots coarsened to the public grid without counts, leaves out hotspots of sensitive
/// categories, and lists the walks with their findings; the walk's public report lists the measures
/// that came from it. In October 2025, 30 jeugdoverlast and 30 drugsafval reports on one spot in
/// TestGemeente.EersteBuurt make that spot a hotspot.</summary>
public sealed partial class MaatregelKoppelingenTests : AppTest
{
    private const string Oktober = "soort=vrij&van=2025-10&tot=2025-10";

    private async Task<FormulierClient> MedewerkerAsync()
    {
        await BeheerAccounts.MaakAsync(App.Services, "wim@heemstede.nl", "Wim Wijkprofessional", Rollen.Wijkprofessional);
        return await BeheerAccounts.IngelogdAsync(App, "wim@heemstede.nl");
    }

    private static List<KeyValuePair<string, string>> Velden(
        string titel,
        string meldingen = "",
        string hotspots = "",
        string bevindingen = "",
        string wandelingen = ""
    )
    {
        var velden = MaatregelenTests.Velden(meldingen: meldingen, titel: titel);
        velden.Add(new("Invoer.Hotspots", hotspots));
        velden.Add(new("Invoer.Bevindingen", bevindingen));
        velden.Add(new("Invoer.Wandelingen", wandelingen));
        return velden;
    }

    private static async Task<long> MaakAsync(FormulierClient client, List<KeyValuePair<string, string>> velden)
    {
        var pagina = await client.OpenAsync("/beheer/maatregelen/nieuw");
        var antwoord = await client.PostAsync("/beheer/maatregelen/nieuw", pagina.Token, velden);
        Assert.Equal(HttpStatusCode.Redirect, antwoord.StatusCode);
        return long.Parse(IdPatroon().Match(antwoord.Headers.Location!.ToString()).Groups[1].Value, CultureInfo.InvariantCulture);
    }

    private async Task HotspotsAsync()
    {
        var oktober = new DateTime(2025, 10, 15, 12, 0, 0);
        await TestMeldingen.MeldAsync(DataSource, "jeugdoverlast", TestGemeente.EersteBuurt, oktober, 30);
        await TestMeldingen.MeldAsync(DataSource, "drugsafval", TestGemeente.EersteBuurt, oktober, 30);
        await App.Services.GetRequiredService<WijkbeeldVerversen>().VerversAsync();
    }

    /// <summary>The reference of the cell with the 30 reports in a table on the staff hotspot map (its
    /// empty neighbours are Gi* hotspots too: their neighbourhood holds the same 30).</summary>
    private static string Verwijzing(string html, string tabel, string laag)
    {
        var tabelHtml = Regex.Match(html, $"<table[^>]*id=\"{tabel}\".*?</table>", RegexOptions.Singleline).Value;
        var m = Regex.Match(
            tabelHtml,
            $"<tr (?:(?!</tr>).)*data-aantal>30</td>(?:(?!</tr>).)*data-hotspot=\"({laag}/[^\"]+)\"",
            RegexOptions.Singleline
        );
        Assert.True(m.Success, $"no {laag} reference in table {tabel}");
        return m.Groups[1].Value;
    }

    [Fact]
    public async Task Staff_link_a_hotspot_from_the_hotspot_map_a_walk_and_its_finding_and_the_public_sees_them_coarsened()
    {
        await HotspotsAsync();
        var wandeling = await Een.Wandeling(App.Services)
            .Titel("Avondschouw Centrum")
            .Over(TimeSpan.FromDays(-2))
            .Duur(60)
            .OpgeslagenAsync();
        var bevinding = await Een.Melding(DataSource).UitWandeling(wandeling).Rubriek("parkeeroverlast").OpgeslagenAsync();
        var client = await MedewerkerAsync();

        // The staff hotspot map offers each hot cell as a reference, and a link that starts a measure with it.
        var kaart = WebUtility.HtmlDecode(await client.Http.GetStringAsync($"/beheer/hotspots?{Oktober}&cel=100&rubriek=jeugdoverlast"));
        var gi = Verwijzing(kaart, "ranglijst", "gi");
        Assert.StartsWith("gi/100/", gi);
        Assert.EndsWith("/2025-10/2025-10/rubriek=jeugdoverlast", gi);
        var nieuw = WebUtility.HtmlDecode(
            await client.Http.GetStringAsync($"/beheer/maatregelen/nieuw?hotspot={Uri.EscapeDataString(gi)}")
        );
        Assert.Matches(new Regex($"<textarea id=\"hotspots\"[^>]*>{Regex.Escape(gi)}</textarea>"), nieuw);
        var ongewoonKaart = WebUtility.HtmlDecode(
            await client.Http.GetStringAsync($"/beheer/hotspots?{Oktober}&cel=100&rubriek=jeugdoverlast&laag=ongewoon")
        );
        var ongewoon = Verwijzing(ongewoonKaart, "ongewoon", "ongewoon");
        var drugs = Verwijzing(
            WebUtility.HtmlDecode(await client.Http.GetStringAsync($"/beheer/hotspots?{Oktober}&cel=100&rubriek=drugsafval")),
            "ranglijst",
            "gi"
        );

        var id = await MaakAsync(
            client,
            Velden(
                "Jongerenwerk op het plein",
                hotspots: $"{gi}\n{ongewoon}\n{drugs}",
                bevindingen: bevinding.Volgcode,
                wandelingen: wandeling.ToString(CultureInfo.InvariantCulture)
            )
        );

        await using var connection = await DataSource.OpenConnectionAsync();
        var hotspots = (
            await connection.QueryAsync<(string Laag, int Celgrootte, string Buurt, long Aantal, string? Rubriek)>(
                """
                SELECT laag, celgrootte, buurt_code, aantal, rubriek FROM maatregel_hotspot
                WHERE maatregel_id = @id ORDER BY laag, rubriek
                """,
                new { id }
            )
        ).ToList();
        Assert.Equal(
            new[]
            {
                ("gi", 100, TestGemeente.EersteBuurt, 30L, (string?)"drugsafval"),
                ("gi", 100, TestGemeente.EersteBuurt, 30L, "jeugdoverlast"),
                ("ongewoon", 100, TestGemeente.EersteBuurt, 30L, "jeugdoverlast"),
            },
            hotspots
        );
        Assert.Equal(
            wandeling,
            await connection.QuerySingleAsync<long>("SELECT wandeling_id FROM maatregel_wandeling WHERE maatregel_id = @id", new { id })
        );
        Assert.Equal(
            bevinding.Id,
            await connection.QuerySingleAsync<long>("SELECT melding_id FROM maatregel_melding WHERE maatregel_id = @id", new { id })
        );
        var audit = await connection.QuerySingleAsync<string>("SELECT na::text FROM audit WHERE actie = 'maatregel-aangemaakt'");
        Assert.Contains(gi, audit);

        // The staff page shows the links back in their fields, the finding under findings.
        var staf = WebUtility.HtmlDecode(await client.Http.GetStringAsync($"/beheer/maatregelen/{id}"));
        Assert.Contains($"data-verwijzing=\"{gi}\"", staf);
        Assert.Matches(new Regex($"<textarea id=\"bevindingen\"[^>]*>{bevinding.Volgcode}</textarea>"), staf);
        Assert.Matches(new Regex("<textarea id=\"meldingen\"[^>]*></textarea>"), staf);
        Assert.Contains("Avondschouw Centrum", staf);

        // Saving again unchanged keeps the hotspots (they are not checked again).
        var pagina = await client.OpenAsync($"/beheer/maatregelen/{id}");
        var opnieuw = await client.PostAsync(
            $"/beheer/maatregelen/{id}",
            pagina.Token,
            Velden(
                "Jongerenwerk op het plein",
                hotspots: $"{gi}\n{ongewoon}\n{drugs}",
                bevindingen: bevinding.Volgcode,
                wandelingen: wandeling.ToString(CultureInfo.InvariantCulture)
            )
        );
        Assert.Equal(HttpStatusCode.Redirect, opnieuw.StatusCode);
        Assert.Equal(
            3,
            await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM maatregel_hotspot WHERE maatregel_id = @id", new { id })
        );

        // Public: the hotspots on the public grid (the 250 m cell holding the 100 m cell's centre), no
        // reference, no count, not the drugsafval one; the walk with its finding.
        var publiek = WebUtility.HtmlDecode(await App.CreateClient().GetStringAsync($"/wijken/{TestGemeente.EersteWijk}"));
        var artikel = Regex.Match(publiek, $"<article[^>]*id=\"maatregel-{id}\".*?</article>", RegexOptions.Singleline).Value;
        var deel = gi.Split('/');
        var ij = deel[2].Split(',').Select(x => int.Parse(x, CultureInfo.InvariantCulture)).ToArray();
        var midden = new HexRaster(100).Middelpunt(new HexCel(ij[0], ij[1]));
        var grof = new HexRaster(250).Cel(midden.X, midden.Y);
        Assert.Contains($"data-hotspot=\"gi\" data-cel=\"250:{grof.I},{grof.J}\"", artikel);
        Assert.Contains($"data-hotspot=\"ongewoon\" data-cel=\"250:{grof.I},{grof.J}\"", artikel);
        Assert.Equal(2, Regex.Count(artikel, "data-hotspot="));
        Assert.DoesNotContain("gi/100/", artikel);
        Assert.DoesNotContain("30", Regex.Match(artikel, "<ul class=\"maatregel__hotspots\".*?</ul>", RegexOptions.Singleline).Value);
        Assert.Contains("oktober 2025", artikel);
        Assert.Contains("href=\"/wijken?soort=vrij&van=2025-10&tot=2025-10\"", artikel);
        Assert.Contains($"href=\"/wijkwandelingen/{wandeling}/verslag\">Avondschouw Centrum</a>", artikel);
        Assert.Contains($"data-bevinding=\"{bevinding.Volgcode}\"", artikel);
        Assert.DoesNotContain("drugsafval", artikel, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Bad_links_come_back_in_dutch_with_the_input_kept_and_nothing_saved()
    {
        await HotspotsAsync();
        var wandeling = await Een.Wandeling(App.Services).Over(TimeSpan.FromDays(-2)).OpgeslagenAsync();
        var gewoon = await Een.Melding(DataSource).OpgeslagenAsync();
        var client = await MedewerkerAsync();
        var kaart = WebUtility.HtmlDecode(await client.Http.GetStringAsync($"/beheer/hotspots?{Oktober}&cel=100&rubriek=jeugdoverlast"));
        var gi = Verwijzing(kaart, "ranglijst", "gi");
        // The same cell in a month without reports is no hotspot.
        var leeg = gi.Replace("2025-10/2025-10", "2024-03/2024-03", StringComparison.Ordinal);

        var gevallen = new (List<KeyValuePair<string, string>> Velden, string Fout, string Bewaard)[]
        {
            (Velden("Een", hotspots: "gi/100/abc"), "\"gi/100/abc\" is geen hotspot zoals de hotspotkaart die toont", "gi/100/abc"),
            (Velden("Twee", hotspots: leeg), $"Dit is in die periode geen hotspot: {leeg}.", leeg),
            (Velden("Drie", bevindingen: gewoon.Volgcode), $"niet op een wijkwandeling gedaan: {gewoon.Volgcode}", gewoon.Volgcode),
            (Velden("Vier", wandelingen: "999999"), "Deze wijkwandelingen bestaan niet (of zijn nog een concept): 999999.", "999999"),
            (Velden("Vijf", wandelingen: "morgen"), "\"morgen\" is geen nummer van een wijkwandeling.", "morgen"),
        };
        foreach (var (velden, fout, bewaard) in gevallen)
        {
            var pagina = await client.OpenAsync("/beheer/maatregelen/nieuw");
            var antwoord = await client.PostAsync("/beheer/maatregelen/nieuw", pagina.Token, velden);
            Assert.Equal(HttpStatusCode.BadRequest, antwoord.StatusCode);
            var html = WebUtility.HtmlDecode(await antwoord.Content.ReadAsStringAsync());
            Assert.Contains(fout, html);
            Assert.Contains(bewaard, html);
        }
        await using var connection = await DataSource.OpenConnectionAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM maatregel"));
        Assert.Equal(
            1,
            await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM wandeling WHERE id = @wandeling", new { wandeling })
        );
    }

    [Fact]
    public async Task The_walks_public_report_lists_the_measures_linked_to_the_walk_or_to_its_public_findings()
    {
        var wandeling = await Een.Wandeling(App.Services).Titel("Avondschouw").Over(TimeSpan.FromDays(-2)).Duur(60).OpgeslagenAsync();
        var andere = await Een.Wandeling(App.Services).Titel("Ochtendronde").Over(TimeSpan.FromDays(-3)).Duur(60).OpgeslagenAsync();
        var parkeren = await Een.Melding(DataSource).UitWandeling(wandeling).Rubriek("parkeeroverlast").OpgeslagenAsync();
        var zorg = await Een.Melding(DataSource).UitWandeling(wandeling).Rubriek("zorgen-om-iemand").OpgeslagenAsync();
        var client = await MedewerkerAsync();
        var w = wandeling.ToString(CultureInfo.InvariantCulture);

        var perWandeling = await MaakAsync(client, Velden("Bankjes bij het speelveld", wandelingen: w));
        var perBevinding = await MaakAsync(client, Velden("Handhaving parkeren stoep", bevindingen: parkeren.Volgcode));
        await MaakAsync(client, Velden("Zorgoverleg", bevindingen: zorg.Volgcode));
        await MaakAsync(client, Velden("Iets anders", wandelingen: andere.ToString(CultureInfo.InvariantCulture)));

        var html = WebUtility.HtmlDecode(await App.CreateClient().GetStringAsync($"/wijkwandelingen/{wandeling}/verslag"));
        var sectie = Regex.Match(html, "<section[^>]*id=\"wandeling-maatregelen\".*?</section>", RegexOptions.Singleline).Value;
        Assert.Equal(
            new[] { perWandeling.ToString(CultureInfo.InvariantCulture), perBevinding.ToString(CultureInfo.InvariantCulture) }.Order(),
            Regex.Matches(sectie, "data-maatregel=\"([0-9]+)\"").Select(m => m.Groups[1].Value).Order()
        );
        Assert.Contains($"href=\"/wijken/{TestGemeente.EersteWijk}#maatregel-{perWandeling}\">Bankjes bij het speelveld</a>", sectie);
        Assert.Contains("Handhaving parkeren stoep", sectie);
        Assert.DoesNotContain("Zorgoverleg", html);
        Assert.DoesNotContain("Iets anders", html);

        var geen = WebUtility.HtmlDecode(
            await App.CreateClient()
                .GetStringAsync(
                    $"/wijkwandelingen/{await Een.Wandeling(App.Services).Over(TimeSpan.FromDays(-1)).Duur(30).OpgeslagenAsync()}/verslag"
                )
        );
        Assert.Contains("id=\"geen-wandeling-maatregelen\"", geen);
    }

    [GeneratedRegex(@"/beheer/maatregelen/([0-9]+)$")]
    private static partial Regex IdPatroon();
}
