using System.Globalization;
using System.Text.RegularExpressions;
using Dapper;
using Npgsql;

namespace Wijkmeldingen.Web.Geo.Geocoding;

/// <summary>
/// Address search in PostGIS alone, so search works offline, in tests and whenever PDOK is away:
/// the imported BAG extract (addresses, streets, PC6), PC4 areas, buurt and wijk names. Everything
/// it returns lies inside the municipality; without an imported extract it finds areas only.
/// </summary>
public sealed partial class LokaleGeocoder(NpgsqlDataSource dataSource) : IGeocoder
{
    /// <summary>A chosen point this close to an address is named after that address.</summary>
    public const double AdresStraalMeter = 40;

    private sealed record Rij(string Id, string Type, string Weergavenaam, double Lon, double Lat, string? Wijkcode, string? Buurtcode);

    private sealed record Omgeving(string Buurtcode, string Wijkcode, string Buurtnaam, string? Adres);

    public async Task<IReadOnlyList<Suggestie>> SuggestAsync(string q, int max, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(q);
        var vraag = Zoekvraag.Lees(q);
        if (vraag.Tekst.Length < 2 || max < 1)
        {
            return [];
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rijen = await connection.QueryAsync<Rij>(
            new CommandDefinition(
                """
                WITH kandidaat AS (
                    (SELECT 'adres-' || a.bag_id AS id, 'adres' AS type,
                            a.adresregel || ', ' || coalesce(a.postcode || ' ', '') || a.woonplaats AS weergavenaam,
                            a.punt, a.wijk_code AS wijkcode, a.buurt_code AS buurtcode, @rangAdres AS rang,
                            CASE WHEN a.zoektekst LIKE @exact ESCAPE '\' THEN 3
                                 WHEN a.zoektekst LIKE @begin ESCAPE '\' THEN 2
                                 WHEN a.zoektekst LIKE @bevat ESCAPE '\' THEN 1
                                 ELSE 0 END + word_similarity(@q, a.zoektekst) AS score
                     FROM adres a
                     WHERE a.zoektekst LIKE @bevat ESCAPE '\' OR @q <<% a.zoektekst
                     ORDER BY score DESC, a.straat, a.huisnummer, a.huisletter NULLS FIRST, a.toevoeging NULLS FIRST
                     LIMIT @max)
                    UNION ALL
                    -- A street: shown at the address nearest the middle of its addresses, so on the street itself.
                    (SELECT 'weg-' || lower(a.woonplaats || '-' || a.straat), 'weg', a.straat || ', ' || a.woonplaats,
                            ST_ClosestPoint(ST_Collect(a.punt), ST_Centroid(ST_Collect(a.punt))),
                            CASE WHEN count(DISTINCT a.wijk_code) = 1 THEN min(a.wijk_code) END,
                            CASE WHEN count(DISTINCT a.buurt_code) = 1 THEN min(a.buurt_code) END,
                            @rangWeg,
                            CASE WHEN lower(a.straat) LIKE @begin ESCAPE '\' THEN 2
                                 WHEN lower(a.straat) LIKE @bevat ESCAPE '\' THEN 1
                                 ELSE 0 END + word_similarity(@q, lower(a.straat)) AS score
                     FROM adres a
                     WHERE lower(a.straat) LIKE @bevat ESCAPE '\' OR @q <<% lower(a.straat)
                     GROUP BY a.straat, a.woonplaats
                     ORDER BY score DESC, a.straat
                     LIMIT @max)
                    UNION ALL
                    (SELECT 'postcode-' || a.postcode, 'postcode', min(a.straat) || ', ' || a.postcode || ' ' || min(a.woonplaats),
                            ST_ClosestPoint(ST_Collect(a.punt), ST_Centroid(ST_Collect(a.punt))),
                            CASE WHEN count(DISTINCT a.wijk_code) = 1 THEN min(a.wijk_code) END,
                            CASE WHEN count(DISTINCT a.buurt_code) = 1 THEN min(a.buurt_code) END,
                            @rangPostcode,
                            CASE WHEN a.postcode = @pc6::text THEN 3 ELSE 1 END
                     FROM adres a
                     WHERE a.postcode LIKE @pc6::text || '%'
                     GROUP BY a.postcode
                     ORDER BY a.postcode
                     LIMIT @max)
                    UNION ALL
                    -- PC4 centroids are not addresses; only those inside the municipality count.
                    (SELECT 'postcode-' || p.postcode, 'postcode',
                            'Postcode ' || p.postcode || ' (' || regexp_replace(p.plaats, '\s*\(.*\)$', '') || ')',
                            p.punt, b.wijk_code, b.code, @rangPostcode, 2
                     FROM postcode_pc4 p
                     JOIN buurt b ON ST_Covers(b.geom, p.punt)
                     WHERE p.postcode = @pc4::text
                     ORDER BY b.code
                     LIMIT 1)
                    UNION ALL
                    SELECT 'buurt-' || b.code, 'buurt', 'Buurt ' || b.naam || ', ' || g.naam,
                           ST_PointOnSurface(b.geom), b.wijk_code, b.code, @rangBuurt,
                           CASE WHEN lower(b.naam) LIKE @begin ESCAPE '\' THEN 2
                                WHEN lower(b.naam) LIKE @bevat ESCAPE '\' THEN 1
                                ELSE 0 END + word_similarity(@q, lower(b.naam))
                    FROM buurt b
                    JOIN wijk w ON w.code = b.wijk_code
                    JOIN gemeente g ON g.code = w.gemeente_code
                    WHERE lower(b.naam) LIKE @bevat ESCAPE '\' OR @q <<% lower(b.naam)
                    UNION ALL
                    SELECT 'wijk-' || w.code, 'wijk', w.naam || ', ' || g.naam,
                           ST_PointOnSurface(w.geom), w.code, NULL, @rangWijk,
                           CASE WHEN lower(w.naam) LIKE @begin ESCAPE '\' THEN 2
                                WHEN lower(w.naam) LIKE @bevat ESCAPE '\' THEN 1
                                ELSE 0 END + word_similarity(@q, lower(w.naam))
                    FROM wijk w
                    JOIN gemeente g ON g.code = w.gemeente_code
                    WHERE lower(w.naam) LIKE @bevat ESCAPE '\' OR @q <<% lower(w.naam)
                )
                SELECT k.id, k.type, k.weergavenaam,
                       ST_X(ST_Transform(k.punt, 4326)) AS lon, ST_Y(ST_Transform(k.punt, 4326)) AS lat,
                       k.wijkcode, k.buurtcode
                FROM kandidaat k
                ORDER BY k.rang, k.score DESC, k.weergavenaam
                LIMIT @max
                """,
                new
                {
                    q = vraag.Tekst,
                    exact = vraag.Like + " %",
                    begin = vraag.Like + "%",
                    bevat = "%" + vraag.Like + "%",
                    pc6 = vraag.Pc6,
                    pc4 = vraag.Pc4,
                    max,
                    rangAdres = vraag.Rang("adres"),
                    rangWeg = vraag.Rang("weg"),
                    rangPostcode = vraag.Rang("postcode"),
                    rangBuurt = vraag.Rang("buurt"),
                    rangWijk = vraag.Rang("wijk"),
                },
                cancellationToken: cancellationToken
            )
        );
        return rijen.Select(r => new Suggestie(r.Id, r.Type, r.Weergavenaam, Wkt.Punt(r.Lon, r.Lat), r.Wijkcode, r.Buurtcode)).ToList();
    }

    public async Task<Plaatsnaam?> OmgekeerdAsync(double lat, double lon, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var omgeving = await connection.QuerySingleOrDefaultAsync<Omgeving>(
            new CommandDefinition(
                """
                WITH p AS (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(@lon, @lat), 4326), 28992) AS punt)
                SELECT b.code AS buurtcode, b.wijk_code AS wijkcode, b.naam AS buurtnaam, a.adres
                FROM p
                JOIN buurt b ON ST_Covers(b.geom, p.punt)
                LEFT JOIN LATERAL (
                    SELECT a.adresregel || ', ' || a.woonplaats AS adres
                    FROM adres a
                    WHERE ST_DWithin(a.punt, p.punt, @straal)
                    ORDER BY a.punt <-> p.punt
                    LIMIT 1
                ) a ON true
                ORDER BY b.code
                LIMIT 1
                """,
                new
                {
                    lat,
                    lon,
                    straal = AdresStraalMeter,
                },
                cancellationToken: cancellationToken
            )
        );
        return omgeving switch
        {
            null => null,
            { Adres: { } adres } => new Plaatsnaam(adres, "adres", omgeving.Buurtcode, omgeving.Wijkcode),
            _ => new Plaatsnaam("in de buurt " + omgeving.Buurtnaam, "buurt", omgeving.Buurtcode, omgeving.Wijkcode),
        };
    }

    /// <summary>What the resident typed, normalised for the SQL above, and which kind of place the
    /// query most likely means: "Straat 12" an address, "2101" or "2101 AB" a postcode, words a
    /// street or area.</summary>
    internal sealed partial record Zoekvraag(string Tekst, string? Pc6, string? Pc4, bool MetNummer)
    {
        public string Like =>
            Tekst
                .Replace(@"\", @"\\", StringComparison.Ordinal)
                .Replace("%", @"\%", StringComparison.Ordinal)
                .Replace("_", @"\_", StringComparison.Ordinal);

        public static Zoekvraag Lees(string q)
        {
            var tekst = Spaties().Replace(q.Replace(',', ' ').Trim().ToLowerInvariant(), " ");
            tekst = Postcode().Replace(tekst, "$1$2");
            var pc = PostcodeVraag().Match(tekst);
            return new Zoekvraag(
                tekst,
                pc.Success ? tekst.ToUpperInvariant() : null,
                pc.Success ? tekst[..4] : null,
                !pc.Success && tekst.Any(char.IsAsciiDigit)
            );
        }

        public int Rang(string type) =>
            (Pc6 is not null, MetNummer, type) switch
            {
                (true, _, "postcode") => 1,
                (true, _, "adres") => 2,
                (_, true, "adres") => 1,
                (_, true, "postcode") => 2,
                (_, false, "weg" or "buurt" or "wijk") => 1,
                (_, false, "adres") => 2,
                _ => 3,
            };

        [GeneratedRegex(@"\s+")]
        private static partial Regex Spaties();

        [GeneratedRegex(@"\b([1-9][0-9]{3}) ([a-z]{2})\b")]
        private static partial Regex Postcode();

        [GeneratedRegex(@"^[1-9][0-9]{3}[a-z]{0,2}$")]
        private static partial Regex PostcodeVraag();
    }
}

/// <summary>PDOK's way of writing a WGS84 point: WKT, longitude first.</summary>
public static partial class Wkt
{
    public static string Punt(double lon, double lat) =>
        string.Create(CultureInfo.InvariantCulture, $"POINT({Math.Round(lon, 7)} {Math.Round(lat, 7)})");

    /// <summary>Reads <c>POINT(lon lat)</c>; null when the text is not such a point.</summary>
    public static (double Lon, double Lat)? LeesPunt(string? wkt)
    {
        var match = wkt is null ? Match.Empty : PuntPatroon().Match(wkt);
        return
            match.Success
            && double.TryParse(match.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var lon)
            && double.TryParse(match.Groups[2].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var lat)
            ? (lon, lat)
            : null;
    }

    [GeneratedRegex(
        @"^\s*POINT\s*\(\s*(-?[0-9.]+(?:[eE][-+]?[0-9]+)?)\s+(-?[0-9.]+(?:[eE][-+]?[0-9]+)?)\s*\)\s*$",
        RegexOptions.IgnoreCase
    )]
    private static partial Regex PuntPatroon();
}
