using System.Globalization;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Wijkmeldingen.Web.Domein;

/// <summary>
/// Where a map starts before it has loaded anything: the centre of the loaded boundaries. That is the
/// municipality of the profile's CBS code when it is loaded, else whatever municipality the areas were
/// imported for (a profile whose code differs from the imported file still starts over the areas that
/// reports can be filed in); the profile's configured view only when no municipality is loaded or the
/// database cannot be read. Read once a few minutes, so an import of new boundaries shows without a
/// restart. Pages hand it to their scripts as <c>data-kaart-start="lat,lon,zoom"</c> on the body.
/// </summary>
public sealed class KaartStart(NpgsqlDataSource database, IOptions<GemeenteProfiel> profiel, TimeProvider tijd, ILogger<KaartStart> logger)
{
    private sealed record Punt(double Lat, double Lon);

    private static readonly TimeSpan Geldig = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan GeldigNaFout = TimeSpan.FromSeconds(30);

    private sealed record Bewaard(string Waarde, DateTimeOffset Tot);

    // One reference, swapped whole: concurrent requests read either the old or the new value.
    private volatile Bewaard? bewaard;

    /// <summary>"lat,lon,zoom" with a decimal point.</summary>
    public async Task<string> AttribuutAsync(CancellationToken cancellationToken = default)
    {
        var nu = tijd.GetUtcNow();
        if (bewaard is { } b && b.Tot > nu)
        {
            return b.Waarde;
        }
        var (waarde, gelezen) = await BepaalAsync(cancellationToken);
        bewaard = new Bewaard(waarde, nu + (gelezen ? Geldig : GeldigNaFout));
        return waarde;
    }

    private async Task<(string Waarde, bool Gelezen)> BepaalAsync(CancellationToken cancellationToken)
    {
        var p = profiel.Value;
        var (lat, lon) = (p.Kaart.Lat, p.Kaart.Lon);
        var gelezen = true;
        try
        {
            await using var verbinding = await database.OpenConnectionAsync(cancellationToken);
            var midden = await verbinding.QuerySingleOrDefaultAsync<Punt>(
                new CommandDefinition(
                    """
                    SELECT ST_Y(m) AS lat, ST_X(m) AS lon
                    FROM (
                        SELECT ST_Transform(ST_Centroid(ST_Envelope(COALESCE(
                            ST_Collect(geom) FILTER (WHERE code = @code), ST_Collect(geom)
                        ))), 4326) AS m
                        FROM gemeente
                    ) g
                    WHERE m IS NOT NULL
                    """,
                    new { code = p.CbsCode },
                    cancellationToken: cancellationToken
                )
            );
            if (midden is not null)
            {
                (lat, lon) = (midden.Lat, midden.Lon);
            }
        }
        catch (Exception fout) when (fout is NpgsqlException or TimeoutException)
        {
            // The map still starts, on the profile's view; the page itself reports a database that is down.
            logger.LogWarning(fout, "Start view of the map: boundary not read, the profile's view is used");
            gelezen = false;
        }
        return (string.Create(CultureInfo.InvariantCulture, $"{lat:0.#####},{lon:0.#####},{p.Kaart.Zoom}"), gelezen);
    }
}
