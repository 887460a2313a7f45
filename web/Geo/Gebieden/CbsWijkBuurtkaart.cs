using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace Wijkmeldingen.Web.Geo.Gebieden;

/// <summary>One area read from the CBS Wijk- en Buurtkaart, land only; figures CBS keeps secret or
/// lacks (negative sentinels such as -99999999 or -99997) are null.</summary>
public sealed record CbsGebied(
    string Code,
    string Naam,
    string? Ouder,
    int? Inwoners,
    int? Inwoners0tot15,
    int? Inwoners65plus,
    int? Huishoudens,
    int? OppervlakteLandHa,
    string? Postcode,
    Geometry Geom
);

/// <summary>The municipality, its wijken and its land buurten as read from the file.</summary>
public sealed record CbsGemeente(CbsGebied Gemeente, IReadOnlyList<CbsGebied> Wijken, IReadOnlyList<CbsGebied> Buurten, int WaterBuurten);

/// <summary>The file cannot be used, or the municipality is not in it: the message says why, in
/// words a municipality's administrator can act on.</summary>
public sealed class GebiedenImportException(string message) : Exception(message);

/// <summary>
/// Reads one municipality from the CBS Wijk- en Buurtkaart GeoPackage as CBS publishes it
/// (wijkenbuurten_JJJJ_vN.gpkg): the feature tables <c>gemeenten</c>, <c>wijken</c> and <c>buurten</c>
/// with <c>gemeentecode</c>, <c>gemeentenaam</c>, <c>wijkcode</c>, <c>wijknaam</c>, <c>buurtcode</c>,
/// <c>buurtnaam</c>, <c>water</c> ('NEE' land, 'JA' water, 'B' Belgian territory), <c>aantal_inwoners</c>
/// and more; geometry column and coordinate system from <c>gpkg_geometry_columns</c> (CBS: <c>geom</c>,
/// EPSG:28992). Geometry blobs are decoded by NetTopologySuite's GeoPackage reader.
/// Only land is kept: buurten and wijken with <c>water</c> = 'JA' (or 'B') are skipped, and the
/// gemeente's shape is the union of its land rows.
/// </summary>
public static partial class CbsWijkBuurtkaart
{
    public const string Gemeenten = "gemeenten";
    public const string Wijken = "wijken";
    public const string Buurten = "buurten";

    /// <summary>Normalises "gm0363", "0363" or "363" to "GM0363"; null when it is no municipality code.</summary>
    public static string? NormaliseerCode(string? code)
    {
        var match = CodePatroon().Match(code?.Trim() ?? "");
        return match.Success
            ? "GM" + int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture).ToString("D4", CultureInfo.InvariantCulture)
            : null;
    }

    /// <summary>The code of the one municipality in the file (a demo or test fixture); refused when the
    /// file holds none or several.</summary>
    public static string EnigeGemeente(string pad)
    {
        if (IsShapefile(pad))
        {
            return EnigeGemeenteShapefile(pad);
        }
        using var connection = Open(pad);
        try
        {
            var gemeenten = Lagen(connection, pad)[Gemeenten];
            using var command = connection.CreateCommand();
            command.CommandText =
                $"SELECT DISTINCT upper(trim({Naam(gemeenten.Kolommen.GetValueOrDefault("gemeentecode") ?? "gemeentecode")})) "
                + $"FROM {Naam(gemeenten.Tabel)}";
            var codes = new List<string>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                codes.Add(reader.GetString(0));
            }
            return codes is [var code] && NormaliseerCode(code) is { } genormaliseerd
                ? genormaliseerd
                : throw new GebiedenImportException(
                    $"{Path.GetFileName(pad)} heeft {codes.Count} gemeenten; noem de gemeentecode die u wilt laden."
                );
        }
        catch (SqliteException exception)
        {
            throw Onleesbaar(pad, exception);
        }
    }

    private static SqliteConnection Open(string pad)
    {
        if (!File.Exists(pad))
        {
            throw new GebiedenImportException($"Bestand niet gevonden: {pad}");
        }
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = pad,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        };
        var connection = new SqliteConnection(builder.ConnectionString);
        connection.Open();
        return connection;
    }

    private static GebiedenImportException Onleesbaar(string pad, SqliteException exception) =>
        new(
            $"{Path.GetFileName(pad)} is geen leesbare GeoPackage (SQLite zegt: {exception.Message.TrimEnd('.')}). "
                + "Download de Wijk- en Buurtkaart opnieuw als GeoPackage (.gpkg) en pak het zip-bestand uit."
        );

    public static CbsGemeente Lees(string pad, string gemeenteCode)
    {
        if (IsShapefile(pad))
        {
            return LeesShapefile(pad, gemeenteCode);
        }
        if (!File.Exists(pad))
        {
            throw new GebiedenImportException($"Bestand niet gevonden: {pad}");
        }
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = pad,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        };
        try
        {
            using var connection = new SqliteConnection(builder.ConnectionString);
            connection.Open();
            return Lees(connection, pad, gemeenteCode);
        }
        catch (SqliteException exception)
        {
            throw Onleesbaar(pad, exception);
        }
    }

    private static CbsGemeente Lees(SqliteConnection connection, string pad, string gemeenteCode)
    {
        var lagen = Lagen(connection, pad);
        return Verwerk(
            (laag, verplicht) => LeesRijen(connection, lagen[laag], "gemeentecode", gemeenteCode, verplicht),
            () => OnbekendeCode(connection, lagen[Gemeenten], gemeenteCode, pad),
            pad,
            gemeenteCode
        );
    }

    /// <summary>The municipality from the rows of its layers (<paramref name="rijenVan"/>: the rows of one
    /// layer with this gemeentecode, after checking the columns named), whichever format they came from.</summary>
    private static CbsGemeente Verwerk(Func<string, string[], List<Rij>> rijenVan, Func<string> onbekend, string pad, string gemeenteCode)
    {
        var rijen = rijenVan(Gemeenten, ["gemeentenaam"]);
        if (rijen.Count == 0)
        {
            throw new GebiedenImportException(onbekend());
        }
        var land = rijen.Where(IsLand).ToList();
        if (land.Count == 0)
        {
            throw new GebiedenImportException($"{gemeenteCode} heeft in {Path.GetFileName(pad)} alleen water, geen land.");
        }
        var gemeente = new CbsGebied(
            gemeenteCode,
            Tekst(land[0], "gemeentenaam") ?? gemeenteCode,
            null,
            Som(land.Select(r => Getal(r, "aantal_inwoners"))),
            null,
            null,
            null,
            null,
            null,
            Vereniging(land.Select(r => r.Geom).ToList())
        );

        var wijken = rijenVan(Wijken, ["wijkcode", "wijknaam"])
            .Where(IsLand)
            .Select(r => Gebied(r, "wijkcode", "wijknaam", ouder: gemeenteCode))
            .OrderBy(w => w.Code, StringComparer.Ordinal)
            .ToList();
        var alleBuurten = rijenVan(Buurten, ["buurtcode", "buurtnaam", "wijkcode"]);
        var buurten = alleBuurten
            .Where(IsLand)
            .Select(r => Gebied(r, "buurtcode", "buurtnaam", ouder: Tekst(r, "wijkcode")))
            .OrderBy(b => b.Code, StringComparer.Ordinal)
            .ToList();
        Controleer(gemeenteCode, wijken, buurten, pad);
        return new CbsGemeente(gemeente, wijken, buurten, alleBuurten.Count - buurten.Count);
    }

    private static void Controleer(string gemeenteCode, List<CbsGebied> wijken, List<CbsGebied> buurten, string pad)
    {
        var cijfers = gemeenteCode[2..];
        var bestand = Path.GetFileName(pad);
        if (buurten.Count == 0)
        {
            throw new GebiedenImportException($"{gemeenteCode} heeft in {bestand} geen buurten op land.");
        }
        var fout = wijken.FirstOrDefault(w => !Regex.IsMatch(w.Code, $"^WK{cijfers}[0-9]{{2}}$"));
        if (fout is not null)
        {
            throw new GebiedenImportException($"Wijkcode {fout.Code} in {bestand} hoort niet bij {gemeenteCode} (verwacht WK{cijfers}nn).");
        }
        var foutBuurt = buurten.FirstOrDefault(b => !Regex.IsMatch(b.Code, $"^BU{cijfers}[0-9]{{4}}$"));
        if (foutBuurt is not null)
        {
            throw new GebiedenImportException(
                $"Buurtcode {foutBuurt.Code} in {bestand} hoort niet bij {gemeenteCode} (verwacht BU{cijfers}nnnn)."
            );
        }
        var wijkCodes = wijken.Select(w => w.Code).ToHashSet(StringComparer.Ordinal);
        var wees = buurten.FirstOrDefault(b => b.Ouder is null || !wijkCodes.Contains(b.Ouder));
        if (wees is not null)
        {
            throw new GebiedenImportException(
                $"Buurt {wees.Code} in {bestand} ligt in wijk {wees.Ouder ?? "(leeg)"}, die niet als wijk op land in de laag "
                    + $"'{Wijken}' staat."
            );
        }
        var dubbel = buurten.GroupBy(b => b.Code).FirstOrDefault(g => g.Count() > 1)?.Key
            ?? wijken.GroupBy(w => w.Code).FirstOrDefault(g => g.Count() > 1)?.Key;
        if (dubbel is not null)
        {
            throw new GebiedenImportException($"{dubbel} staat meer dan eens in {bestand}.");
        }
    }

    private static CbsGebied Gebied(Rij rij, string codeKolom, string naamKolom, string? ouder)
    {
        var inwoners = Getal(rij, "aantal_inwoners");
        return new CbsGebied(
            Tekst(rij, codeKolom)!,
            Tekst(rij, naamKolom) ?? Tekst(rij, codeKolom)!,
            ouder,
            inwoners,
            Deel(inwoners, Getal(rij, "percentage_personen_0_tot_15_jaar")),
            Deel(inwoners, Getal(rij, "percentage_personen_65_jaar_en_ouder")),
            Getal(rij, "aantal_huishoudens"),
            Getal(rij, "oppervlakte_land_in_ha"),
            Tekst(rij, "meest_voorkomende_postcode") is { } pc && PostcodePatroon().IsMatch(pc) ? pc : null,
            rij.Geom
        );
    }

    /// <summary>The file has age groups as percentages; the table keeps head counts.</summary>
    private static int? Deel(int? inwoners, int? percentage) =>
        inwoners is { } n && percentage is { } p ? (int)Math.Round(n * p / 100.0, MidpointRounding.AwayFromZero) : null;

    private static int? Som(IEnumerable<int?> getallen)
    {
        var bekend = getallen.Where(g => g is not null).ToList();
        return bekend.Count == 0 ? null : bekend.Sum();
    }

    private static bool IsLand(Rij rij) => Tekst(rij, "water") is not { } water || water.Equals("NEE", StringComparison.OrdinalIgnoreCase);

    private static Geometry Vereniging(List<Geometry> delen) =>
        delen.Count == 1 ? delen[0] : NetTopologySuite.Operation.Union.CascadedPolygonUnion.Union(delen);

    private sealed record Laag(string Tabel, string GeomKolom, int Srid, IReadOnlyDictionary<string, string> Kolommen);

    private sealed record Rij(IReadOnlyDictionary<string, object?> Waarden, Geometry Geom);

    private static Dictionary<string, Laag> Lagen(SqliteConnection connection, string pad)
    {
        var bestand = Path.GetFileName(pad);
        var tabellen = new List<(string Tabel, string Kolom, int SrsId)>();
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT table_name, column_name, srs_id FROM gpkg_geometry_columns";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                tabellen.Add((reader.GetString(0), reader.GetString(1), reader.GetInt32(2)));
            }
        }
        catch (SqliteException exception) when (exception.SqliteErrorCode == 1)
        {
            throw new GebiedenImportException(
                $"{bestand} is een SQLite-bestand maar geen GeoPackage: de tabel gpkg_geometry_columns ontbreekt."
            );
        }
        var lagen = new Dictionary<string, Laag>(StringComparer.Ordinal);
        foreach (var naam in new[] { Gemeenten, Wijken, Buurten })
        {
            var gevonden = tabellen.Where(t => t.Tabel.Equals(naam, StringComparison.OrdinalIgnoreCase)).ToList();
            if (gevonden.Count != 1)
            {
                throw new GebiedenImportException(
                    $"{bestand} heeft geen laag '{naam}'; gevonden: "
                        + (tabellen.Count == 0 ? "geen lagen" : string.Join(", ", tabellen.Select(t => t.Tabel)))
                        + ". Gebruik de Wijk- en Buurtkaart van CBS (lagen gemeenten, wijken, buurten)."
                );
            }
            var (tabel, kolom, srsId) = gevonden[0];
            lagen[naam] = new Laag(tabel, kolom, Epsg(connection, srsId, bestand), Kolommen(connection, tabel));
        }
        return lagen;
    }

    /// <summary>The EPSG code of a GeoPackage srs_id (CBS uses 28992 for both).</summary>
    private static int Epsg(SqliteConnection connection, int srsId, string bestand)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT organization, organization_coordsys_id FROM gpkg_spatial_ref_sys WHERE srs_id = $id";
        command.Parameters.AddWithValue("$id", srsId);
        using var reader = command.ExecuteReader();
        if (reader.Read() && reader.GetString(0).Equals("EPSG", StringComparison.OrdinalIgnoreCase) && reader.GetInt32(1) > 0)
        {
            return reader.GetInt32(1);
        }
        throw new GebiedenImportException($"{bestand} gebruikt coördinatenstelsel {srsId}, dat geen EPSG-code heeft.");
    }

    private static Dictionary<string, string> Kolommen(SqliteConnection connection, string tabel)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT name FROM pragma_table_info({Letterlijk(tabel)})";
        using var reader = command.ExecuteReader();
        var kolommen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        while (reader.Read())
        {
            kolommen[reader.GetString(0)] = reader.GetString(0);
        }
        return kolommen;
    }

    private static List<Rij> LeesRijen(SqliteConnection connection, Laag laag, string sleutel, string waarde, string[] verplicht)
    {
        var ontbreekt = verplicht.Prepend(sleutel).Where(k => !laag.Kolommen.ContainsKey(k)).ToList();
        if (ontbreekt.Count > 0)
        {
            throw new GebiedenImportException(
                $"Laag '{laag.Tabel}' mist de kolom(men) {string.Join(", ", ontbreekt)}; gevonden: "
                    + string.Join(", ", laag.Kolommen.Values)
                    + "."
            );
        }
        var namen = laag.Kolommen.Values.Where(k => !k.Equals(laag.GeomKolom, StringComparison.OrdinalIgnoreCase)).ToList();
        using var command = connection.CreateCommand();
        command.CommandText =
            $"SELECT {string.Join(", ", namen.Select(Naam))}, {Naam(laag.GeomKolom)} FROM {Naam(laag.Tabel)} "
            + $"WHERE upper(trim({Naam(laag.Kolommen[sleutel])})) = $waarde";
        command.Parameters.AddWithValue("$waarde", waarde);
        // Two-dimensional, as CBS publishes it: a Z or M a file may carry is dropped.
        var geoReader = new GeoPackageGeoReader { HandleOrdinates = Ordinates.XY };
        var rijen = new List<Rij>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var waarden = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < namen.Count; i++)
            {
                waarden[namen[i]] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }
            var code = waarden.TryGetValue(verplicht[0], out var c) ? c : waarde;
            if (reader.IsDBNull(namen.Count))
            {
                throw new GebiedenImportException($"{code} in laag '{laag.Tabel}' heeft geen geometrie.");
            }
            Geometry geom;
            try
            {
                geom = geoReader.Read((byte[])reader.GetValue(namen.Count));
            }
            catch (Exception exception) when (exception is not GebiedenImportException)
            {
                throw new GebiedenImportException(
                    $"De geometrie van {code} in laag '{laag.Tabel}' is onleesbaar ({exception.Message.TrimEnd('.')})."
                );
            }
            if (geom.IsEmpty || geom is not (Polygon or MultiPolygon))
            {
                throw new GebiedenImportException(
                    $"{code} in laag '{laag.Tabel}' heeft geen vlak als geometrie maar {(geom.IsEmpty ? "een lege" : geom.GeometryType)}."
                );
            }
            geom.SRID = laag.Srid;
            rijen.Add(new Rij(waarden, geom));
        }
        return rijen;
    }

    private static string OnbekendeCode(SqliteConnection connection, Laag gemeenten, string code, string pad)
    {
        var codeKolom = gemeenten.Kolommen.GetValueOrDefault("gemeentecode") ?? "gemeentecode";
        var naamKolom = gemeenten.Kolommen.GetValueOrDefault("gemeentenaam");
        using var command = connection.CreateCommand();
        command.CommandText =
            $"SELECT DISTINCT upper(trim({Naam(codeKolom)})), {(naamKolom is null ? "''" : Naam(naamKolom))} "
            + $"FROM {Naam(gemeenten.Tabel)}";
        var alle = new Dictionary<string, string>(StringComparer.Ordinal);
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                if (!reader.IsDBNull(0))
                {
                    alle.TryAdd(reader.GetString(0), reader.IsDBNull(1) ? "" : reader.GetString(1));
                }
            }
        }
        return OnbekendeCodeTekst(alle, code, pad, gemeenten.Tabel);
    }

    private static string OnbekendeCodeTekst(Dictionary<string, string> alle, string code, string pad, string laag)
    {
        var bestand = Path.GetFileName(pad);
        if (alle.Count == 0)
        {
            return $"{code} staat niet in {bestand}: de laag '{laag}' is leeg.";
        }
        var nummer = int.Parse(code[2..], CultureInfo.InvariantCulture);
        var dichtbij = alle
            .Keys.Select(k => (Code: k, Nummer: NormaliseerCode(k) is { } n ? int.Parse(n[2..], CultureInfo.InvariantCulture) : -1))
            .Where(k => k.Nummer >= 0)
            .OrderBy(k => Math.Abs(k.Nummer - nummer))
            .ThenBy(k => k.Nummer)
            .Take(5)
            .OrderBy(k => k.Nummer)
            .Select(k => $"{k.Code} {alle[k.Code]}".TrimEnd());
        return $"{code} staat niet in {bestand} ({alle.Count} {(alle.Count == 1 ? "gemeente" : "gemeenten")}). "
            + $"Codes die er het dichtst bij liggen: {string.Join(", ", dichtbij)}.";
    }

    private static string? Tekst(Rij rij, string kolom) =>
        rij.Waarden.TryGetValue(kolom, out var waarde)
        && waarde is not null
        && Convert.ToString(waarde, CultureInfo.InvariantCulture)?.Trim() is { Length: > 0 } tekst
            ? tekst
            : null;

    /// <summary>A whole number, or null for CBS's sentinels (negative: secret, not applicable, missing).</summary>
    private static int? Getal(Rij rij, string kolom)
    {
        if (!rij.Waarden.TryGetValue(kolom, out var waarde) || waarde is null)
        {
            return null;
        }
        var getal = waarde switch
        {
            long l => l,
            double d => Math.Round(d),
            string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => Math.Round(d),
            _ => -1,
        };
        return getal is < 0 or > int.MaxValue ? null : (int)getal;
    }

    private static string Naam(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string Letterlijk(string tekst) => "'" + tekst.Replace("'", "''", StringComparison.Ordinal) + "'";

    [GeneratedRegex(@"^(?:GM)?([0-9]{1,4})$", RegexOptions.IgnoreCase)]
    private static partial Regex CodePatroon();

    [GeneratedRegex(@"^[1-9][0-9]{3}$")]
    private static partial Regex PostcodePatroon();
}
