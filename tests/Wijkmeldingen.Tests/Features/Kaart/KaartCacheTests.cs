using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Data;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Features.Kaart;

namespace Wijkmeldingen.Tests.Features.Kaart;

/// <summary>The public map's kept answers (<see cref="KaartCache"/>): reused while no report changed,
/// a 304 for a browser that revalidates, and a new, changed or withdrawn report visible at once even
/// when the answer's own lifetime is an hour, because the change counter moved.</summary>
public sealed class KaartCacheTests : DatabaseTest
{
    private static readonly string Bbox = TestGemeente.Bbox(4.6100, 52.3480, 4.6280, 52.3570);

    /// <summary>Another window in the same half-tiles at zoom 17 as <see cref="Bbox"/>: its aligned
    /// window shrunk by 30 % of a half-tile on every side.</summary>
    private static string BinnenDezelfdeTegels()
    {
        var vak = KaartCache.Uitlijnen(PubliekeMeldingen.Bbox.Lees(Bbox)!, 17);
        var dx = (vak.MaxLon - vak.MinLon) / Math.Round((vak.MaxLon - vak.MinLon) / (360 / Math.Pow(2, 18))) * 0.3;
        var dy = dx * Math.Cos(vak.MinLat * Math.PI / 180);
        return string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"{vak.MinLon + dx:F9},{vak.MinLat + dy:F9},{vak.MaxLon - dx:F9},{vak.MaxLat - dy:F9}"
        );
    }

    private WijkAppFactory app = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        // An hour: whatever shows up below is there because the change counter moved, not because the answer expired.
        app = new WijkAppFactory(Database.ConnectionString, new Dictionary<string, string?> { ["Kaart:CacheSeconden"] = "3600" });
        var live = app.Services.GetRequiredService<MeldingLive>();
        for (var i = 0; i < 200 && !live.Luistert; i++)
        {
            await Task.Delay(50);
        }
        Assert.True(live.Luistert, "the change bus did not connect");
    }

    public override async Task DisposeAsync()
    {
        await app.DisposeAsync();
        await base.DisposeAsync();
    }

    private async Task<HttpResponseMessage> LaadAsync(string bbox, string? etag = null)
    {
        using var verzoek = new HttpRequestMessage(HttpMethod.Get, $"/kaart/meldingen.geojson?bbox={bbox}&zoom=17");
        if (etag is not null)
        {
            verzoek.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Parse(etag));
        }
        return await app.CreateClient().SendAsync(verzoek);
    }

    private static async Task<List<string>> VolgcodesAsync(HttpResponseMessage antwoord)
    {
        Assert.Equal(HttpStatusCode.OK, antwoord.StatusCode);
        using var document = JsonDocument.Parse(await antwoord.Content.ReadAsStringAsync());
        return document
            .RootElement.GetProperty("features")
            .EnumerateArray()
            .SelectMany(f => f.GetProperty("properties").GetProperty("meldingen").EnumerateArray())
            .Select(m => m.GetProperty("volgcode").GetString()!)
            .ToList();
    }

    /// <summary>The answer for <paramref name="bbox"/> once it satisfies <paramref name="klaar"/>; the
    /// notification of a commit reaches the node's listener a moment after the commit returns.</summary>
    private async Task<(List<string> Volgcodes, string ETag)> WachtOpAsync(string bbox, Func<List<string>, bool> klaar)
    {
        for (var poging = 0; ; poging++)
        {
            using var antwoord = await LaadAsync(bbox);
            var volgcodes = await VolgcodesAsync(antwoord);
            if (klaar(volgcodes) || poging == 50)
            {
                return (volgcodes, antwoord.Headers.ETag!.Tag);
            }
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task An_unchanged_window_is_a_304_and_a_new_or_withdrawn_report_shows_at_once()
    {
        var eerste = (
            await Een.Melding(DataSource).Op(TestGemeente.Plek(52.3524, 4.6192)).AangemaaktDagenGeleden(1).OpgeslagenAsync()
        ).Volgcode;
        var (volgcodes, etag) = await WachtOpAsync(Bbox, v => v.Contains(eerste));
        Assert.Equal([eerste], volgcodes);

        // Revalidation: nothing changed, so a 304 without a body, revalidated on every use.
        using (var opnieuw = await LaadAsync(Bbox, etag))
        {
            Assert.Equal(HttpStatusCode.NotModified, opnieuw.StatusCode);
            Assert.Contains("no-cache", opnieuw.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        }
        // A window inside the same half-tiles asks the same question: the same kept answer.
        using (var kleiner = await LaadAsync(BinnenDezelfdeTegels()))
        {
            Assert.Equal(etag, kleiner.Headers.ETag!.Tag);
            Assert.Equal([eerste], await VolgcodesAsync(kleiner));
        }

        // A new report moves the change counter: it shows long before the answer's hour is over.
        var tweede = (
            await Een.Melding(DataSource).Op(TestGemeente.Plek(52.3530, 4.6200)).AangemaaktDagenGeleden(0).OpgeslagenAsync()
        ).Volgcode;
        var (naNieuw, etagNaNieuw) = await WachtOpAsync(Bbox, v => v.Contains(tweede));
        Assert.Equal([tweede, eerste], naNieuw);
        Assert.NotEqual(etag, etagNaNieuw);
        using (var oud = await LaadAsync(Bbox, etag))
        {
            Assert.Equal(HttpStatusCode.OK, oud.StatusCode);
        }

        // So does a change of an existing report (an UPDATE): a withdrawn report leaves the map.
        await using (var connection = await DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("UPDATE melding SET status = 'ingetrokken' WHERE volgcode = @tweede", new { tweede });
        }
        var (naIntrekken, _) = await WachtOpAsync(Bbox, v => !v.Contains(tweede));
        Assert.Equal([eerste], naIntrekken);
    }

    [Fact]
    public async Task Dutch_and_English_answers_are_kept_apart()
    {
        await Een.Melding(DataSource)
            .Rubriek("jeugdoverlast")
            .Op(TestGemeente.Plek(52.3524, 4.6192))
            .AangemaaktDagenGeleden(1)
            .OpgeslagenAsync();
        var nederlands = app.CreateClient();
        var engels = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.Redirect, (await engels.GetAsync("/taal/en?terug=/kaart")).StatusCode);

        static async Task<(string Rubriek, string ETag, string CacheControl)> RubriekAsync(HttpClient client)
        {
            using var antwoord = await client.GetAsync($"/kaart/meldingen.geojson?bbox={Bbox}&zoom=17");
            Assert.Equal(HttpStatusCode.OK, antwoord.StatusCode);
            using var document = JsonDocument.Parse(await antwoord.Content.ReadAsStringAsync());
            var rubriek = document
                .RootElement.GetProperty("features")[0]
                .GetProperty("properties")
                .GetProperty("meldingen")[0]
                .GetProperty("rubriek")
                .GetString()!;
            return (rubriek, antwoord.Headers.ETag!.Tag, antwoord.Headers.CacheControl!.ToString());
        }

        var nl = await RubriekAsync(nederlands);
        var en = await RubriekAsync(engels);
        var nlWeer = await RubriekAsync(nederlands);
        Assert.Equal("Youth nuisance", en.Rubriek);
        Assert.NotEqual(nl.Rubriek, en.Rubriek);
        Assert.NotEqual(nl.ETag, en.ETag);
        Assert.Equal(nl, nlWeer);
        Assert.Contains("public", nl.CacheControl, StringComparison.Ordinal);
        Assert.Contains("private", en.CacheControl, StringComparison.Ordinal);
        Assert.DoesNotContain("public", en.CacheControl, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(4.6100, 52.3480, 4.6280, 52.3570, 17)]
    [InlineData(4.5800, 52.3300, 4.6500, 52.3700, 13)]
    [InlineData(4.61923, 52.35241, 4.61931, 52.35246, 21)]
    public void An_aligned_window_holds_the_asked_one_grows_by_at_most_a_half_tile_per_side_and_stays_aligned(
        double minLon,
        double minLat,
        double maxLon,
        double maxLat,
        int zoom
    )
    {
        var gevraagd = new PubliekeMeldingen.Bbox(minLon, minLat, maxLon, maxLat);
        var uitgelijnd = KaartCache.Uitlijnen(gevraagd, zoom);
        // A half-tile at zoom z is 360 / 2^(z+1) degrees of longitude wide; an edge may move inward by
        // at most a thousandth of it (the margin that makes alignment idempotent), outward by less than all of it.
        var halveTegel = 360 / Math.Pow(2, zoom + 1);
        var halveTegelHoog = halveTegel * Math.Cos(minLat * Math.PI / 180);
        Assert.InRange(minLon - uitgelijnd.MinLon, -halveTegel / 1000, halveTegel);
        Assert.InRange(uitgelijnd.MaxLon - maxLon, -halveTegel / 1000, halveTegel);
        Assert.InRange(minLat - uitgelijnd.MinLat, -halveTegelHoog / 1000, halveTegelHoog);
        Assert.InRange(uitgelijnd.MaxLat - maxLat, -halveTegelHoog / 1000, halveTegelHoog);
        // Written as the browser writes it (9 decimals), an aligned window aligns to itself.
        var geschreven = new PubliekeMeldingen.Bbox(
            Math.Round(uitgelijnd.MinLon, 9),
            Math.Round(uitgelijnd.MinLat, 9),
            Math.Round(uitgelijnd.MaxLon, 9),
            Math.Round(uitgelijnd.MaxLat, 9)
        );
        Assert.Equal(uitgelijnd, KaartCache.Uitlijnen(geschreven, zoom));
        Assert.Equal(uitgelijnd, KaartCache.Uitlijnen(uitgelijnd, zoom));
    }
}
