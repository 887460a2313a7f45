using System.Net;
using System.Text.RegularExpressions;
using Dapper;
using Wijkmeldingen.Testing;

namespace Wijkmeldingen.Tests.Features.Wijkbeeld;

/// <summary>The KPI page counts wijkwandelingen, their participants and the reports from walks per
/// wijk, against the previous period; reports from walks are public figures, so small counts and
/// sensitive categories stay hidden.</summary>
public sealed partial class WandelingKpiTests : AppTest
{
    private const string Kwartaal = "soort=kwartaal&kwartaal=2025-4";

    private async Task<long> WandelingAsync(string begint, string status, int deelnemers)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        var id = await connection.QuerySingleAsync<long>(
            """
            INSERT INTO wandeling (titel, wijk_code, begint_op, duur_minuten, startpunt, startpunt_naam, capaciteit, status)
            VALUES ('Schouw', 'WK039700', @begint::timestamp AT TIME ZONE 'Europe/Amsterdam', 60,
                    ST_Transform(ST_SetSRID(ST_MakePoint(4.6192, 52.3524), 4326), 28992), 'Raadhuisplein', 30, @status)
            RETURNING id
            """,
            new { begint, status }
        );
        if (deelnemers > 0)
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO wandeling_aanmelding (wandeling_id, naam, email, aantal_personen, soort, sleutel_hash)
                VALUES (@id, 'Deelnemer', concat('d', @id, '@example.nl'), @deelnemers, 'deelnemer', decode(md5(@id::text), 'hex'))
                """,
                new { id, deelnemers }
            );
        }
        return id;
    }

    private async Task MeldingenUitAsync(long wandeling, string rubriek, int aantal, string aangemaakt)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(
            """
            INSERT INTO melding (rubriek_id, omschrijving, locatie, bron, wandeling_id, aangemaakt_op)
            SELECT r.id, 'Gezien op de schouw', ST_Transform(ST_SetSRID(ST_MakePoint(4.6195, 52.3526), 4326), 28992),
                   'wandeling', @wandeling,
                   @aangemaakt::timestamp AT TIME ZONE 'Europe/Amsterdam'
            FROM rubriek r, generate_series(1, @aantal) WHERE r.code = @rubriek
            """,
            new
            {
                wandeling,
                rubriek,
                aantal,
                aangemaakt,
            }
        );
    }

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
        await MeldingenUitAsync(oktober, "parkeeroverlast", 6, "2025-10-14 19:30");
        await MeldingenUitAsync(oktober, "zorgen-om-iemand", 2, "2025-10-14 19:40");
        await MeldingenUitAsync(juli, "jeugdoverlast", 2, "2025-07-08 19:30");

        var html = await App.CreateClient().GetStringAsync($"/wijken/kpi?{Kwartaal}");

        Assert.Contains("id=\"wandeling-kpi\"", html);
        Assert.Equal(["2", "+1", "3", "+1", "6", "–"], Cellen(html, "WK039700"));
        Assert.Equal(["2", "+1", "3", "+1", "6", "–"], Cellen(html, "gemeente"));
        var andere = Regex.Matches(html, "<tr data-wijk=\"(WK[0-9]+)\">").Select(m => m.Groups[1].Value).First(w => w != "WK039700");
        Assert.Equal(["0", "=", "0", "=", "< 5", "–"], Cellen(html, andere));
    }

    [GeneratedRegex("<td class=\"getal\">(.*?)</td>", RegexOptions.Singleline)]
    private static partial Regex CelPatroon();
}
