using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CsvHelper;
using Dapper;
using Npgsql;
using NpgsqlTypes;
using Wijkmeldingen.Web.Csv;
using Wijkmeldingen.Web.Data;

namespace Wijkmeldingen.Web.Geo.Geocoding;

/// <summary>Counts of one import; <c>Gelezen</c> = all the others added up.</summary>
public sealed record AdresImportResultaat(
    int Gelezen,
    int Toegevoegd,
    int Bijgewerkt,
    int BuitenGemeente,
    int Dubbel,
    int Ongeldig,
    IReadOnlyList<string> Fouten
);

/// <summary>
/// Loads the municipality's BAG address extract (CSV, see docs/address-search.md) into <c>adres</c>:
/// one transaction, binary COPY into a temporary table, then an upsert on the BAG id that fills buurt
/// and wijk by point-in-polygon and skips every row outside the municipality. Given the owner role's
/// data source (<see cref="Data.EigenaarDatabase"/>): the app role only reads <c>adres</c>, and only
/// the owner may ANALYZE it.
/// </summary>
public sealed partial class AdresImport(NpgsqlDataSource dataSource, ILogger<AdresImport> logger)
{
    public static readonly string[] Kolommen =
    [
        "bag_id",
        "straat",
        "huisnummer",
        "huisletter",
        "toevoeging",
        "postcode",
        "woonplaats",
        "lat",
        "lon",
    ];

    private const int MaxFouten = 10;

    private sealed record Regel(
        int Nummer,
        string BagId,
        string Straat,
        int Huisnummer,
        string? Huisletter,
        string? Toevoeging,
        string? Postcode,
        string Woonplaats,
        double Lat,
        double Lon
    );

    private sealed record Telling(long Toegevoegd, long Bijgewerkt, long Uniek);

    public Task<AdresImportResultaat> ImportAsync(string path, CancellationToken cancellationToken = default) =>
        ImportAsync(path, null, cancellationToken);

    /// <summary>Imports the file; with <paramref name="voortgang"/> the lines are counted first so the
    /// progress of reading (rows) and then storing can be shown.</summary>
    public async Task<AdresImportResultaat> ImportAsync(string path, Voortgang? voortgang, CancellationToken cancellationToken = default)
    {
        long totaal = 0;
        if (voortgang is not null)
        {
            foreach (var _ in File.ReadLines(path))
            {
                totaal++;
            }
            totaal = Math.Max(0, totaal - 1);
        }
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return await ImportAsync(reader, voortgang, totaal, cancellationToken);
    }

    /// <summary>Rows between two progress reports while reading.</summary>
    public const int VoortgangPerRegels = 1000;

    public Task<AdresImportResultaat> ImportAsync(TextReader csv, CancellationToken cancellationToken = default) =>
        ImportAsync(csv, null, 0, cancellationToken);

    public async Task<AdresImportResultaat> ImportAsync(
        TextReader csv,
        Voortgang? voortgang,
        long totaalRegels,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(csv);
        var header = await csv.ReadLineAsync(cancellationToken)
            ?? throw new InvalidDataException("Empty file: expected a header line " + string.Join(',', Kolommen));
        header = header.TrimStart('\uFEFF');
        // Comma, or semicolon when the header has semicolons and no comma; then the shared CSV rule.
        var opties = CsvRegels.Import(CsvRegels.Scheiding(header, kommaWint: true));
        List<string> namen;
        using (var kop = CsvReader.FromText(header, opties))
        {
            namen = kop.Read() ? [.. CsvRegels.Velden(kop).Select(n => n.Trim().ToLowerInvariant())] : [];
        }
        var ontbreekt = Kolommen.Where(k => !namen.Contains(k)).ToList();
        if (ontbreekt.Count > 0)
        {
            throw new InvalidDataException(
                "Missing CSV column(s): " + string.Join(", ", ontbreekt) + "; expected " + string.Join(',', Kolommen)
            );
        }
        var index = Kolommen.ToDictionary(k => k, k => namen.IndexOf(k));

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // One import at a time, also across processes.
        await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(397003)", transaction: transaction);
        await connection.ExecuteAsync(
            """
            CREATE TEMPORARY TABLE adres_import (
                regel integer, bag_id text, straat text, huisnummer integer, huisletter text, toevoeging text,
                postcode text, woonplaats text, lat double precision, lon double precision
            ) ON COMMIT DROP
            """,
            transaction: transaction
        );

        int gelezen = 0,
            ongeldig = 0;
        var fouten = new List<string>();
        await using (
            var copy = await connection.BeginBinaryImportAsync(
                """
                COPY adres_import (regel, bag_id, straat, huisnummer, huisletter, toevoeging, postcode, woonplaats, lat, lon)
                    FROM STDIN (FORMAT BINARY)
                """,
                cancellationToken
            )
        )
        {
            // The rest of the file after the header line; a quoted field may hold a line break.
            var nummer = 1;
            voortgang?.Meld(0, totaalRegels, "lezen");
            using var reader = CsvReader.Create(csv, opties, leaveOpen: true);
            while (await reader.ReadAsync(cancellationToken))
            {
                nummer = (int)reader.LineNumber + 1;
                if (voortgang is not null && (nummer - 1) % VoortgangPerRegels == 0)
                {
                    voortgang.Meld(nummer - 1, Math.Max(totaalRegels, nummer - 1), "lezen");
                }
                if (CsvRegels.IsLeeg(reader))
                {
                    continue;
                }
                gelezen++;
                var regel = Lees(nummer, CsvRegels.Velden(reader), index, out var fout);
                if (regel is null)
                {
                    ongeldig++;
                    if (fouten.Count < MaxFouten)
                    {
                        fouten.Add($"line {nummer}: {fout}");
                    }
                    continue;
                }
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(regel.Nummer, NpgsqlDbType.Integer, cancellationToken);
                await copy.WriteAsync(regel.BagId, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(regel.Straat, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(regel.Huisnummer, NpgsqlDbType.Integer, cancellationToken);
                await WriteNullableAsync(copy, regel.Huisletter, cancellationToken);
                await WriteNullableAsync(copy, regel.Toevoeging, cancellationToken);
                await WriteNullableAsync(copy, regel.Postcode, cancellationToken);
                await copy.WriteAsync(regel.Woonplaats, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(regel.Lat, NpgsqlDbType.Double, cancellationToken);
                await copy.WriteAsync(regel.Lon, NpgsqlDbType.Double, cancellationToken);
            }
            await copy.CompleteAsync(cancellationToken);
            voortgang?.Meld(nummer - 1, Math.Max(totaalRegels, nummer - 1), "opslaan");
        }

        var telling = await connection.QuerySingleAsync<Telling>(
            new CommandDefinition(
                """
                WITH uniek AS (
                    -- A BAG id listed twice: the later line wins.
                    SELECT DISTINCT ON (i.bag_id) i.*, ST_Transform(ST_SetSRID(ST_MakePoint(i.lon, i.lat), 4326), 28992) AS punt
                    FROM adres_import i
                    ORDER BY i.bag_id, i.regel DESC
                ), binnen AS (
                    SELECT u.*, b.code AS buurt_code, b.wijk_code
                    FROM uniek u
                    CROSS JOIN LATERAL (
                        SELECT code, wijk_code FROM buurt WHERE ST_Covers(geom, u.punt) ORDER BY code LIMIT 1
                    ) b
                ), opgeslagen AS (
                    INSERT INTO adres (bag_id, straat, huisnummer, huisletter, toevoeging,
                        postcode, woonplaats, punt, buurt_code, wijk_code)
                    SELECT bag_id, straat, huisnummer, huisletter, toevoeging, postcode, woonplaats, punt, buurt_code, wijk_code
                    FROM binnen
                    ON CONFLICT (bag_id) DO UPDATE SET
                        straat = EXCLUDED.straat, huisnummer = EXCLUDED.huisnummer, huisletter = EXCLUDED.huisletter,
                        toevoeging = EXCLUDED.toevoeging, postcode = EXCLUDED.postcode, woonplaats = EXCLUDED.woonplaats,
                        punt = EXCLUDED.punt, buurt_code = EXCLUDED.buurt_code, wijk_code = EXCLUDED.wijk_code
                    RETURNING (xmax = 0) AS nieuw
                )
                SELECT count(*) FILTER (WHERE nieuw) AS toegevoegd,
                       count(*) FILTER (WHERE NOT nieuw) AS bijgewerkt,
                       (SELECT count(*) FROM uniek) AS uniek
                FROM opgeslagen
                """,
                transaction: transaction,
                commandTimeout: 0,
                cancellationToken: cancellationToken
            )
        );
        await transaction.CommitAsync(cancellationToken);
        await connection.ExecuteAsync("ANALYZE adres");
        voortgang?.Klaar("klaar");

        var geldig = gelezen - ongeldig;
        var resultaat = new AdresImportResultaat(
            gelezen,
            (int)telling.Toegevoegd,
            (int)telling.Bijgewerkt,
            (int)(telling.Uniek - telling.Toegevoegd - telling.Bijgewerkt),
            geldig - (int)telling.Uniek,
            ongeldig,
            fouten
        );
        logger.LogInformation("Address import: {Resultaat}", resultaat);
        return resultaat;
    }

    private static Task WriteNullableAsync(NpgsqlBinaryImporter copy, string? value, CancellationToken cancellationToken) =>
        value is null ? copy.WriteNullAsync(cancellationToken) : copy.WriteAsync(value, NpgsqlDbType.Text, cancellationToken);

    private static Regel? Lees(int nummer, string[] velden, Dictionary<string, int> index, out string? fout)
    {
        string? Veld(string naam) => index[naam] < velden.Length && velden[index[naam]].Trim() is { Length: > 0 } v ? v : null;

        fout = null;
        var postcode = Veld("postcode")?.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        if (Veld("bag_id") is not { } bagId)
        {
            fout = "bag_id is empty";
        }
        else if (Veld("straat") is not { } straat)
        {
            fout = "straat is empty";
        }
        else if (!int.TryParse(Veld("huisnummer"), NumberStyles.None, CultureInfo.InvariantCulture, out var huisnummer) || huisnummer <= 0)
        {
            fout = "huisnummer is not a positive whole number";
        }
        else if (Veld("huisletter") is { } letter && !(letter.Length == 1 && char.IsAsciiLetter(letter[0])))
        {
            fout = "huisletter is not one letter";
        }
        else if (Veld("toevoeging") is { Length: > 4 })
        {
            fout = "toevoeging is longer than 4 characters";
        }
        else if (postcode is not null && !Postcode().IsMatch(postcode))
        {
            fout = "postcode is not like 2101AB";
        }
        else if (Veld("woonplaats") is not { } woonplaats)
        {
            fout = "woonplaats is empty";
        }
        else if (
            !double.TryParse(Veld("lat"), NumberStyles.Float, CultureInfo.InvariantCulture, out var lat)
            || lat is < -90 or > 90
            || !double.TryParse(Veld("lon"), NumberStyles.Float, CultureInfo.InvariantCulture, out var lon)
            || lon is < -180 or > 180
        )
        {
            fout = "lat/lon are not WGS84 degrees with a decimal point";
        }
        else
        {
            return new Regel(nummer, bagId, straat, huisnummer, Veld("huisletter"), Veld("toevoeging"), postcode, woonplaats, lat, lon);
        }
        return null;
    }

    [GeneratedRegex("^[1-9][0-9]{3}[A-Z]{2}$")]
    private static partial Regex Postcode();
}
