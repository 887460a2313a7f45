using System.Net;
using System.Text.RegularExpressions;
using Wijkmeldingen.Testing;

namespace Wijkmeldingen.Tests.Features.Maatregelen;

/// <summary>/wat-gebeurt-er on known data: reported against handled in the last 7 days and all time,
/// the median days to handle per category, satisfaction; sensitive categories never count and small
/// counts are suppressed (with what is derived from them).</summary>
public sealed class WatGebeurtErTests : AppTest
{
    private static string Rij(string html, string kop) =>
        Regex.Match(html, $"<tr[^>]*>\\s*<th scope=\"row\">{Regex.Escape(kop)}</th>.*?</tr>", RegexOptions.Singleline).Value;

    private static List<string> Cellen(string rij) =>
        Regex.Matches(rij, "<td class=\"getal\">(.*?)</td>").Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();

    [Fact]
    public async Task Reported_handled_and_the_median_per_category_with_small_counts_suppressed()
    {
        // Parkeeroverlast: five handled after two days (filed 20 days ago), one open filed today.
        await Een.Melding(DataSource).AangemaaktDagenGeleden(20).AfgehandeldNa(TimeSpan.FromDays(2)).OpgeslagenAsync(5);
        await Een.Melding(DataSource).OpgeslagenAsync();
        // Jeugdoverlast: two handled after a day: too few to show, and so no median.
        await Een.Melding(DataSource)
            .Rubriek("jeugdoverlast")
            .AangemaaktDagenGeleden(20)
            .AfgehandeldNa(TimeSpan.FromDays(1))
            .OpgeslagenAsync(2);
        // Sensitive: never counted, even when many.
        await Een.Melding(DataSource).Rubriek("drugsafval").AfgehandeldNa(TimeSpan.FromHours(1)).OpgeslagenAsync(6);

        var html = await App.CreateClient().GetStringAsync("/wat-gebeurt-er");

        Assert.Equal(["< 5", "< 5"], Cellen(Rij(html, "Afgelopen 7 dagen")));
        Assert.Equal(["8", "7"], Cellen(Rij(html, "Sinds het begin")));
        Assert.Equal(["5", "2,0"], Cellen(Rij(html, "Parkeeroverlast")));
        Assert.Equal(["< 5", "–"], Cellen(Rij(html, "Jeugdoverlast")));
        Assert.DoesNotContain("Drugsafval", html);
        Assert.Contains("Nog te weinig antwoorden", WebUtility.HtmlDecode(html));
    }
}
