using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Wijkmeldingen.Testing;

namespace Wijkmeldingen.Tests.Hosting;

/// <summary>Static files through MapStaticAssets: the pages link fingerprinted names, which are sent
/// compressed and cached for a year; the plain names still answer, revalidated by ETag (the service
/// worker and the modules' relative imports use those).</summary>
public sealed partial class StatischeBestandenTests : AppTest
{
    [GeneratedRegex("src=\"(/lib/leaflet/leaflet\\.[a-z0-9]+\\.js)\"")]
    private static partial Regex LeafletScript();

    [GeneratedRegex("href=\"(/css/site\\.[a-z0-9]+\\.css)\"")]
    private static partial Regex SiteCss();

    [Fact]
    public async Task Fingerprinted_files_are_compressed_and_cached_for_a_year()
    {
        var client = App.CreateClient();
        var html = await client.GetStringAsync("/melden");

        foreach (var pad in new[] { LeafletScript().Match(html).Groups[1].Value, SiteCss().Match(html).Groups[1].Value })
        {
            Assert.StartsWith("/", pad);
            using var verzoek = new HttpRequestMessage(HttpMethod.Get, pad);
            verzoek.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
            verzoek.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("br"));
            using var antwoord = await client.SendAsync(verzoek);

            Assert.Equal(HttpStatusCode.OK, antwoord.StatusCode);
            Assert.Contains(antwoord.Content.Headers.ContentEncoding, c => c is "gzip" or "br");
            Assert.Equal(TimeSpan.FromDays(365), antwoord.Headers.CacheControl?.MaxAge);
            Assert.Contains(antwoord.Headers.CacheControl!.Extensions, e => e.Name == "immutable");
            Assert.Contains("Accept-Encoding", antwoord.Headers.Vary);
            // Compressed it is a fraction of the file.
            var gecomprimeerd = (await antwoord.Content.ReadAsByteArrayAsync()).Length;
            var volledig = (await client.GetByteArrayAsync(pad)).Length;
            Assert.True(gecomprimeerd * 2 < volledig, $"{pad}: {gecomprimeerd} bytes compressed of {volledig}");
        }
    }

    [Fact]
    public async Task Plain_names_are_revalidated_with_their_etag()
    {
        var client = App.CreateClient();

        using var eerste = await client.GetAsync("/lib/leaflet/leaflet.js");
        Assert.Equal(HttpStatusCode.OK, eerste.StatusCode);
        Assert.True(eerste.Headers.CacheControl?.NoCache, "a plain name must be revalidated");
        var etag = eerste.Headers.ETag;
        Assert.NotNull(etag);

        using var opnieuw = new HttpRequestMessage(HttpMethod.Get, "/lib/leaflet/leaflet.js");
        opnieuw.Headers.IfNoneMatch.Add(etag);
        using var tweede = await client.SendAsync(opnieuw);
        Assert.Equal(HttpStatusCode.NotModified, tweede.StatusCode);
    }
}
