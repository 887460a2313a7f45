using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Dapper;
using Wijkmeldingen.Testing;

namespace Wijkmeldingen.Tests.Features.Wijkbeeld;

/// <summary>The KPI page counts wijkwandelingen, the people who attended them and the reports from walks per
/// wijk, against the previous period; reports from walks are public figures, so small counts and
/// sensitive categories stay hidden.</summary>
public sealed partial class WandelingKpiTests : AppTest
{
    private const string Kwartaal = "soort=kwartaal&kwartaal=2025-4";

    private async Task<long> WandelingAsync(string begint, string status, int deelnemers)
    {
        var id = await Een.Wandeling(App.Services)
            .Titel("Schouw")
            .BegintOp(DateTime.ParseExact(begint, "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))
            .Duur(60)
            .Route()
            .Omschrijving("")
            .Capaciteit(30)
            .Status(status)
            .OpgeslagenAsync();
        if (deelnemers > 0)
        {
            await using var connection = await DataSource.OpenConnectionAsync();
            // Raw on purpose: participants of a walk in the past (sign-up closes at the start). The KPI
            // counts attendance: the checked-in sign-up counts, the one who signed up for 5 and did not
            // come does not.
            await connection.ExecuteAsync(
                """
                INSERT INTO wandeling_aanmelding (wandeling_id, naam, email, aantal_personen, soort, sleutel_hash, aanwezig_op)
                VALUES (@id, 'Deelnemer', concat('d', @id, '@example.nl'), @deelnemers, 'deelnemer', decode(md5(@id::text), 'hex'), now()),
                       (@id, 'Niet gekomen', concat('n', @id, '@example.nl'), 5, 'deelnemer', decode(md5(concat('n', @id)), 'hex'), NULL)
                """,
                new { id, deelnemers }
            );
        }
        return id;
    }

    private MeldingBouwer Schouw(long wandeling) =>
        Een.Melding(DataSource).UitWandeling(wandeling).Met("Gezien op de schouw").Op(TestGemeente.Plek(52.3526, 4.6195));

    private static List<string> Cellen(string html, string wijk)
    {
        var rij = Regex.Match(html, $"<tr data-wijk=\"{wijk}\">(.*?)</tr>", RegexOptions.Singleline).Groups[1].Value;
        return CelPatroon().Matches(rij).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value).Trim()).ToList();
    }

    [Fact]
    public async Task Walks_participants_and_reports_from_walks_per_wijk_with_the_change_against_the_previous_period()
    {
        var oktober = await WandelingAsync("2025-10-14 19:00", "gepubliceerd", 3);
        await WandelingAsync("2025-11-20 19:00", "gepubliceerd", 0);
        await WandelingAsync("2025-12-02 19:00", "geannuleerd", 4);
        await WandelingAsync("2025-12-03 19:00", "concept", 0);
        var juli = await WandelingAsync("2025-07-08 19:00", "gepubliceerd", 2);
        await Schouw(oktober).Rubriek("parkeeroverlast").AangemaaktOp(new DateTime(2025, 10, 14, 19, 30, 0)).OpgeslagenAsync(6);
        await Schouw(oktober).Rubriek("zorgen-om-iemand").AangemaaktOp(new DateTime(2025, 10, 14, 19, 40, 0)).OpgeslagenAsync(2);
        await Schouw(juli).Rubriek("jeugdoverlast").AangemaaktOp(new DateTime(2025, 7, 8, 19, 30, 0)).OpgeslagenAsync(2);

        var html = await App.CreateClient().GetStringAsync($"/wijken/kpi?{Kwartaal}");

        Assert.Contains("id=\"wandeling-kpi\"", html);
        Assert.Equal(["2", "+1", "3", "+1", "6", "–"], Cellen(html, TestGemeente.EersteWijk));
        Assert.Equal(["2", "+1", "3", "+1", "6", "–"], Cellen(html, "gemeente"));
        var andere = Regex
            .Matches(html, "<tr data-wijk=\"(WK[0-9]+)\">")
            .Select(m => m.Groups[1].Value)
            .First(w => w != TestGemeente.EersteWijk);
        Assert.Equal(["0", "=", "0", "=", "< 5", "–"], Cellen(html, andere));
    }

    [GeneratedRegex("<td class=\"getal\">(.*?)</td>", RegexOptions.Singleline)]
    private static partial Regex CelPatroon();
}
