using System.Globalization;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Wijkmeldingen.Web.Data;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Kaart;

/// <summary>
/// The public map's answers, kept per window and reused until a report changes. A window is first
/// aligned outward to the map's tile grid (<see cref="Uitlijnen"/>), so people looking at the same
/// part of town ask the same question; the answer is then kept under the change counter of
/// <see cref="MeldingLive"/> (it grows after every commit that files or changes reports, heard on
/// every node) and reused while that counter has not moved and the answer is younger than
/// <see cref="KaartOptions.CacheSeconden"/> (the bound for what the counter cannot see: a read
/// replica that lags, and reports leaving the period as time passes). Concurrent requests for a
/// missing answer wait for one computation. Each answer has an ETag, so a browser that revalidates
/// gets a 304 while nothing changed. Nothing is kept while the node does not hear the bus.
/// </summary>
public sealed class KaartCache(MeldingLive live, IOptions<KaartOptions> options, TimeProvider klok) : IDisposable
{
    private readonly MemoryCache cache = new(new MemoryCacheOptions { SizeLimit = options.Value.CacheBytes });
    private readonly Lock poort = new();

    // Change counters are per node: an ETag of another node (or of this one before a restart) never matches.
    private readonly string knoop = Convert.ToHexString(Guid.NewGuid().ToByteArray(), 0, 4).ToLowerInvariant();

    public sealed record Antwoord(string Json, string? ETag);

    private sealed class Ingang(long versie, DateTimeOffset gemaakt, Lazy<Task<string>> json)
    {
        public long Versie => versie;
        public DateTimeOffset Gemaakt => gemaakt;
        public Lazy<Task<string>> Json => json;
    }

    /// <summary>The answer for <paramref name="sleutel"/> (the aligned window, zoom, filter and
    /// language), from the cache while it is current, else made by <paramref name="maken"/> once.</summary>
    public async Task<Antwoord> HaalAsync(string sleutel, Func<CancellationToken, Task<string>> maken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sleutel);
        ArgumentNullException.ThrowIfNull(maken);
        var maxLeeftijd = TimeSpan.FromSeconds(options.Value.CacheSeconden);
        // Read before the answer is made: the answer then holds at least every change counted up to it.
        var versie = live.Versie;
        if (versie is null || maxLeeftijd <= TimeSpan.Zero)
        {
            return new Antwoord(await maken(cancellationToken), null);
        }
        var nu = klok.GetUtcNow();
        Ingang ingang;
        lock (poort)
        {
            if (
                cache.TryGetValue(sleutel, out Ingang? bestaand)
                && bestaand is not null
                && bestaand.Versie == versie
                && nu - bestaand.Gemaakt < maxLeeftijd
            )
            {
                ingang = bestaand;
            }
            else
            {
                // Made once for everyone waiting on it, so one leaving request does not cancel the others.
                ingang = new Ingang(versie.Value, nu, new Lazy<Task<string>>(() => maken(CancellationToken.None)));
                cache.Set(sleutel, ingang, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = maxLeeftijd });
            }
        }
        string json;
        try
        {
            json = await ingang.Json.Value.WaitAsync(cancellationToken);
        }
        catch (Exception) when (ingang.Json.Value.IsFaulted || ingang.Json.Value.IsCanceled)
        {
            lock (poort)
            {
                if (cache.TryGetValue(sleutel, out Ingang? nog) && ReferenceEquals(nog, ingang))
                {
                    cache.Remove(sleutel);
                }
            }
            throw;
        }
        lock (poort)
        {
            // Counted by its real size once made (the placeholder counted 1 byte).
            if (cache.TryGetValue(sleutel, out Ingang? nog) && ReferenceEquals(nog, ingang))
            {
                var rest = maxLeeftijd - (klok.GetUtcNow() - ingang.Gemaakt);
                if (rest > TimeSpan.Zero)
                {
                    cache.Set(
                        sleutel,
                        ingang,
                        new MemoryCacheEntryOptions { Size = Math.Max(1, json.Length * 2L), AbsoluteExpirationRelativeToNow = rest }
                    );
                }
            }
        }
        var etag = string.Create(
            CultureInfo.InvariantCulture,
            $"\"{knoop}.{ingang.Versie:x}.{ingang.Gemaakt.UtcTicks:x}.{(uint)StringComparer.Ordinal.GetHashCode(sleutel):x}\""
        );
        return new Antwoord(json, etag);
    }

    /// <summary>The window widened to the map's tile grid at <paramref name="zoom"/> + 1 (half-tiles of
    /// 128 px), in Web Mercator as the map draws it: every window inside the same half-tiles gets the
    /// same question. Idempotent: an aligned window stays as it is.</summary>
    public static PubliekeMeldingen.Bbox Uitlijnen(PubliekeMeldingen.Bbox vak, int zoom)
    {
        ArgumentNullException.ThrowIfNull(vak);
        var n = Math.Pow(2, Math.Min(zoom + 1, 24));
        // A thousandth of a tile (0.13 px): absorbs the rounding of an aligned window written with 9
        // decimals (kaart.js), so it aligns to itself; a window can lose at most that much at an edge.
        const double Marge = 1e-3;
        var x0 = Math.Floor(TegelX(vak.MinLon, n) + Marge);
        var x1 = Math.Ceiling(TegelX(vak.MaxLon, n) - Marge);
        // Tile rows count from the north.
        var y0 = Math.Floor(TegelY(vak.MaxLat, n) + Marge);
        var y1 = Math.Ceiling(TegelY(vak.MinLat, n) - Marge);
        return new PubliekeMeldingen.Bbox(Lon(x0, n), Lat(y1, n), Lon(x1, n), Lat(y0, n));
    }

    private static double TegelX(double lon, double n) => (lon + 180) / 360 * n;

    private static double TegelY(double lat, double n)
    {
        var rad = Math.Clamp(lat, -85.05112878, 85.05112878) * Math.PI / 180;
        return (1 - Math.Log(Math.Tan(rad) + 1 / Math.Cos(rad)) / Math.PI) / 2 * n;
    }

    private static double Lon(double x, double n) => x / n * 360 - 180;

    private static double Lat(double y, double n) => Math.Atan(Math.Sinh(Math.PI * (1 - 2 * y / n))) * 180 / Math.PI;

    public void Dispose() => cache.Dispose();
}
