using System.Net;
using Dapper;
using Wijkmeldingen.Testing;

namespace Wijkmeldingen.Tests.Features.Kaart;

/// <summary>The Atom feed's own sentence follows the visitor's language (issue 18), as its names already did.</summary>
public sealed class FeedTaalTests : AppTest
{
    [Fact]
    public async Task The_feed_summary_is_english_in_english_and_dutch_in_dutch()
    {
        var melding = await Een.Melding(DataSource).OpgeslagenAsync();
        await using var db = await DataSource.OpenConnectionAsync();
        var buurt = await db.QuerySingleAsync<string>("SELECT buurt_code FROM melding WHERE id = @Id", new { melding.Id });

        var engels = WebUtility.HtmlDecode(await App.CreateClient().GetStringAsync($"/kaart/feed/buurt/{buurt}.atom?culture=en"));
        var nederlands = WebUtility.HtmlDecode(await App.CreateClient().GetStringAsync($"/kaart/feed/buurt/{buurt}.atom"));

        Assert.Contains("Parking nuisance, reported, reported on ", engels);
        Assert.DoesNotContain("gemeld op", engels);
        Assert.Contains("Parkeeroverlast, gemeld, gemeld op ", nederlands);
        Assert.DoesNotContain("reported on", nederlands);
    }
}
