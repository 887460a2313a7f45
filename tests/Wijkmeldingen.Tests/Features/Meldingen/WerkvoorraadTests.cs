using System.Net;
using System.Text.RegularExpressions;
using Dapper;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Tests.Features.Meldingen;

/// <summary>The start page's workload: new, overdue, mine, my team's and open alerts as counts that
/// link to the filtered list; following each link, the list shows exactly that many.</summary>
public sealed partial class WerkvoorraadTests : AppTest
{
    [Fact]
    public async Task Each_count_on_the_start_page_links_to_a_list_that_shows_exactly_that_many()
    {
        var ik = await BeheerAccounts.MaakAsync(App.Services, "wijkagent@heemstede.nl", "Wim Wijkagent", Rollen.Wijkprofessional);
        var collega = await BeheerAccounts.MaakAsync(App.Services, "collega@heemstede.nl", "Cor Collega", Rollen.Wijkprofessional);
        var client = await BeheerAccounts.IngelogdAsync(App, "wijkagent@heemstede.nl");
        await using var connection = await DataSource.OpenConnectionAsync();
        var (team, anderTeam) = await connection.QuerySingleAsync<(short, short)>("SELECT min(id), max(id) FROM team WHERE actief");
        Assert.NotEqual(team, anderTeam);
        await connection.ExecuteAsync("UPDATE medewerker SET team_id = @team WHERE id = @Id", new { team, ik.Id });

        async Task<long[]> Meldingen(int aantal) =>
            [.. (await Een.Melding(DataSource).Met("Werkvoorraad.").OpgeslagenAsync(aantal)).Select(m => m.Id)];
        var nieuw = await Meldingen(4);
        var telaat = await Meldingen(2);
        var mijn = await Meldingen(3);
        var mijnGesloten = await Meldingen(1);
        var vanTeam = await Meldingen(2);
        var vanAnderTeam = await Meldingen(2);
        var vanCollega = await Meldingen(1);
        // Routing gives new reports a team: only the ones set here count as my team's.
        await connection.ExecuteAsync("UPDATE melding SET team_id = NULL");
        await connection.ExecuteAsync(
            "UPDATE melding SET status = 'in-behandeling', streefdatum = now() - interval '2 days' WHERE id = ANY(@telaat)",
            new { telaat }
        );
        await connection.ExecuteAsync(
            "UPDATE melding SET status = 'in-behandeling', toegewezen_aan = @Id WHERE id = ANY(@mijn)",
            new { mijn, ik.Id }
        );
        await connection.ExecuteAsync(
            "UPDATE melding SET status = 'afgehandeld', toegewezen_aan = @Id WHERE id = ANY(@mijnGesloten)",
            new { mijnGesloten, ik.Id }
        );
        await connection.ExecuteAsync(
            "UPDATE melding SET status = 'in-behandeling', team_id = @team WHERE id = ANY(@vanTeam)",
            new { vanTeam, team }
        );
        await connection.ExecuteAsync(
            "UPDATE melding SET status = 'in-behandeling', team_id = @anderTeam WHERE id = ANY(@vanAnderTeam)",
            new { vanAnderTeam, anderTeam }
        );
        await connection.ExecuteAsync(
            "UPDATE melding SET status = 'in-behandeling', toegewezen_aan = @Id WHERE id = ANY(@vanCollega)",
            new { vanCollega, collega.Id }
        );
        await connection.ExecuteAsync(
            """
            INSERT INTO wijk_signaal (soort, regel, plek, locatie, buurt_code, wijk_code, team_id, aantal, omschrijving, gezien_op)
            SELECT 'herhaling', 'test', p, ST_SetSRID(ST_MakePoint(103000, 487000), 28992), b.code, b.wijk_code, t, 3,
                   'Drie keer drugsafval', g
            FROM (VALUES ('a', @team, NULL::timestamptz), ('b', NULL, NULL), ('c', @anderTeam, NULL), ('d', @team, now()))
                AS v(p, t, g),
                 (SELECT code, wijk_code FROM buurt ORDER BY code LIMIT 1) b
            """,
            new { team, anderTeam }
        );

        var start = await client.Http.GetStringAsync("/beheer");
        var verwacht = new Dictionary<string, int>
        {
            ["nieuw"] = 4,
            ["telaat"] = 2,
            ["mijn"] = 3,
            ["team"] = 2,
            ["signalen"] = 2,
        };
        foreach (var (sleutel, aantal) in verwacht)
        {
            var tegel = TegelPatroon().Matches(start).SingleOrDefault(m => m.Groups["id"].Value == sleutel);
            Assert.True(tegel is not null, $"no count '{sleutel}' on the start page");
            Assert.Equal(aantal, int.Parse(tegel.Groups["aantal"].Value, System.Globalization.CultureInfo.InvariantCulture));
            var link = WebUtility.HtmlDecode(tegel.Groups["href"].Value);
            var lijst = await client.Http.GetAsync(link);
            Assert.Equal(HttpStatusCode.OK, lijst.StatusCode);
            var html = await lijst.Content.ReadAsStringAsync();
            if (sleutel == "signalen")
            {
                var open = html[..html.IndexOf("id=\"gezien-kop\"", StringComparison.Ordinal)];
                Assert.Equal(aantal, Regex.Count(open, "<li data-signaal="));
                continue;
            }
            Assert.Contains($"{aantal} meldingen", html);
            Assert.Equal(aantal, Regex.Count(html, "<tr data-id="));
        }
    }

    [GeneratedRegex(
        "<a class=\"werkvoorraad__tegel[^\"]*\" href=\"(?<href>[^\"]+)\" id=\"werk-(?<id>[a-z]+)\">"
            + "<span class=\"werkvoorraad__getal\">(?<aantal>\\d+)</span>"
    )]
    private static partial Regex TegelPatroon();
}
