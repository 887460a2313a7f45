using System.Globalization;
using Dapper;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.Precision;
using Npgsql;

namespace Wijkmeldingen.Web.Features.Wijkbeeld;

/// <summary>
/// The wijk's own map of its buurten (/wijken/{wijkcode}): a choropleth of reports per 1,000
/// inhabitants in the chosen period. The classes are computed here once, from the figures the page's
/// buurten table shows (the same <see cref="WijkbeeldWeergave"/>, so the same small-count
/// suppression), and both the table and GET /wijken/{wijkcode}/buurten.geojson carry them: the map
/// is never the only place a figure or a class can be read.
/// </summary>
public static class BuurtKaart
{
    /// <summary>At most this many classes (a sequential scale a colour-blind reader can still order).</summary>
    public const int MaxKlassen = 5;

    /// <summary>Class <see cref="Nummer"/> (1 = lowest) holds rates from <see cref="Van"/> up to and
    /// including <see cref="Tot"/>; <see cref="Kleur"/> is its step 1–5 of the sequential scale
    /// (spread over the scale when there are fewer classes).</summary>
    public sealed record Klasse(int Nummer, double Van, double Tot, int Kleur);

    /// <summary>What one buurt shows: its class, or why it has none.</summary>
    public enum Stand
    {
        Klasse,
        Onderdrukt,
        GeenInwoners,
    }

    public sealed record BuurtWaarde(Regel Buurt, Stand Stand, Klasse? Klasse);

    public sealed record Indeling(IReadOnlyList<Klasse> Klassen, IReadOnlyList<BuurtWaarde> Buurten)
    {
        public BuurtWaarde? Van(string code) => Buurten.FirstOrDefault(b => b.Buurt.Code == code);
    }

    /// <summary>Equal-width classes from 0 to the highest shown rate, the width rounded up to a
    /// "nice" step (1, 2, 2.5 or 5 times a power of ten) so the legend reads 0–2, 2–4, ...; only as
    /// many classes as needed to reach the highest rate. No classes when no rate may be shown.</summary>
    public static Indeling Deel(IReadOnlyList<Regel> buurten)
    {
        ArgumentNullException.ThrowIfNull(buurten);
        var waarden = buurten.Select(b => b.Per1000).OfType<double>().ToList();
        var klassen = new List<Klasse>();
        if (waarden.Count > 0)
        {
            var hoogste = waarden.Max();
            var breedte = MooieStap(hoogste / MaxKlassen);
            var aantal = Math.Clamp((int)Math.Floor(hoogste / breedte) + 1, 1, MaxKlassen);
            // The top class ends at the highest rate (inclusive) when that is on a class boundary.
            if (aantal > 1 && hoogste <= breedte * (aantal - 1))
            {
                aantal--;
            }
            for (var k = 0; k < aantal; k++)
            {
                var kleur = aantal == 1 ? 3 : 1 + (int)Math.Round(k * (MaxKlassen - 1.0) / (aantal - 1));
                klassen.Add(new Klasse(k + 1, Math.Round(k * breedte, 6), Math.Round((k + 1) * breedte, 6), kleur));
            }
        }
        var indeling = buurten
            .Select(b =>
                b.Per1000 is { } p ? new BuurtWaarde(b, Stand.Klasse, KlasseVan(klassen, p))
                : b.Aantal.Onderdrukt ? new BuurtWaarde(b, Stand.Onderdrukt, null)
                : new BuurtWaarde(b, Stand.GeenInwoners, null)
            )
            .ToList();
        return new Indeling(klassen, indeling);
    }

    private static Klasse KlasseVan(List<Klasse> klassen, double waarde)
    {
        // Class k holds (Van, Tot]; the first also holds 0.
        foreach (var k in klassen)
        {
            if (waarde <= k.Tot + 1e-9)
            {
                return k;
            }
        }
        return klassen[^1];
    }

    /// <summary>The smallest of 1, 2, 2.5, 5 × 10^n at least <paramref name="minimum"/> (0.1 at least).</summary>
    public static double MooieStap(double minimum)
    {
        if (minimum <= 0.1)
        {
            return 0.1;
        }
        var macht = Math.Pow(10, Math.Floor(Math.Log10(minimum)));
        foreach (var f in new[] { 1, 2, 2.5, 5, 10 })
        {
            if (f * macht >= minimum - 1e-9)
            {
                return f * macht;
            }
        }
        return 10 * macht;
    }

    /// <summary>A class boundary as the legend writes it (one decimal unless whole).</summary>
    public static string Grens(double waarde, IFormatProvider cultuur) =>
        waarde.ToString(Math.Abs(waarde - Math.Round(waarde)) < 1e-9 ? "N0" : "N1", cultuur);

    private static readonly PrecisionModel Zesdecimalen = new(1_000_000);

    private sealed record Vorm(string Code, Geometry Geom);

    /// <summary>The buurten of the wijk as GeoJSON in WGS84, each with exactly what the page's table
    /// shows: count (or "&lt; drempel"), rate per 1,000, class. Suppressed counts carry no number.</summary>
    public static async Task<FeatureCollection> GeoJsonAsync(
        NpgsqlDataSource bron,
        WijkbeeldWeergave beeld,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(bron);
        ArgumentNullException.ThrowIfNull(beeld);
        await using var connection = await bron.OpenConnectionAsync(cancellationToken);
        var vormen = (
            await connection.QueryAsync<Vorm>(
                new CommandDefinition(
                    "SELECT code, ST_Transform(geom, 4326) AS geom FROM buurt WHERE wijk_code = @wijk ORDER BY code",
                    new { wijk = beeld.Gebied.Code },
                    cancellationToken: cancellationToken
                )
            )
        ).ToDictionary(v => v.Code, v => v.Geom);
        var indeling = Deel(beeld.Buurten);
        var collectie = new FeatureCollection();
        var inv = CultureInfo.InvariantCulture;
        foreach (var b in indeling.Buurten)
        {
            if (!vormen.TryGetValue(b.Buurt.Code, out var geom))
            {
                continue;
            }
            var aantal = b.Buurt.Aantal;
            collectie.Add(
                new Feature(
                    GeometryPrecisionReducer.ReducePointwise(geom, Zesdecimalen),
                    new AttributesTable
                    {
                        { "code", b.Buurt.Code },
                        { "naam", b.Buurt.Naam },
                        { "inwoners", b.Buurt.Inwoners },
                        { "aantal", aantal.Zichtbaar },
                        { "aantalTekst", aantal.Onderdrukt ? "< " + beeld.Drempel.ToString(inv) : aantal.Waarde.ToString(inv) },
                        { "per1000", b.Buurt.Per1000 is { } p ? Math.Round(p, 1) : null },
                        { "klasse", b.Klasse?.Nummer },
                        { "kleur", b.Klasse?.Kleur },
                        {
                            "stand",
                            b.Stand switch
                            {
                                Stand.Klasse => "klasse",
                                Stand.Onderdrukt => "onderdrukt",
                                _ => "geen-inwoners",
                            }
                        },
                    }
                )
            );
        }
        return collectie;
    }
}
