using System.Globalization;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Esri;

namespace Wijkmeldingen.Web.Geo.Gebieden;

/// <summary>
/// The Wijk- en Buurtkaart as CBS published it up to 2021: a shapefile per layer
/// (<c>gemeente_JJJJ_vN.shp</c>, <c>wijk_JJJJ_vN.shp</c>, <c>buurt_JJJJ_vN.shp</c>, with .dbf, .shx and
/// .prj beside them) whose dBase columns have CBS's short names (<c>GM_CODE</c>, <c>WK_CODE</c>,
/// <c>BU_CODE</c>, <c>WATER</c>, <c>AANT_INW</c> ...). Read by NetTopologySuite's Esri shapefile reader;
/// the columns are given the GeoPackage's names, so the same checks and rules apply.
/// </summary>
public static partial class CbsWijkBuurtkaart
{
    /// <summary>CBS's shapefile columns (dBase, at most 10 characters) and the GeoPackage column each is.</summary>
    public static readonly IReadOnlyDictionary<string, string> ShapefileKolommen = new Dictionary<string, string>(
        StringComparer.OrdinalIgnoreCase
    )
    {
        ["GM_CODE"] = "gemeentecode",
        ["GM_NAAM"] = "gemeentenaam",
        ["WK_CODE"] = "wijkcode",
        ["WK_NAAM"] = "wijknaam",
        ["BU_CODE"] = "buurtcode",
        ["BU_NAAM"] = "buurtnaam",
        ["WATER"] = "water",
        ["AANT_INW"] = "aantal_inwoners",
        ["P_00_14_JR"] = "percentage_personen_0_tot_15_jaar",
        ["P_65_EO_JR"] = "percentage_personen_65_jaar_en_ouder",
        ["AANT_HH"] = "aantal_huishoudens",
        ["OPP_LAND"] = "oppervlakte_land_in_ha",
        ["POSTCODE"] = "meest_voorkomende_postcode",
    };

    /// <summary>A shapefile (.shp) or a folder holding CBS's three, rather than a GeoPackage.</summary>
    public static bool IsShapefile(string pad) =>
        Directory.Exists(pad) || Path.GetExtension(pad).Equals(".shp", StringComparison.OrdinalIgnoreCase);

    /// <summary>The .shp of each layer, from the folder given or the folder of the .shp given.</summary>
    private static Dictionary<string, string> ShapefileLagen(string pad)
    {
        if (!Directory.Exists(pad) && !File.Exists(pad))
        {
            throw new GebiedenImportException($"Bestand niet gevonden: {pad}");
        }
        var map = Directory.Exists(pad) ? pad : Path.GetDirectoryName(Path.GetFullPath(pad))!;
        var bestanden = Directory.GetFiles(map, "*.shp").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();
        var lagen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (laag, voorvoegsels) in new[] { (Gemeenten, new[] { "gemeente", "gem_" }), (Wijken, ["wijk"]), (Buurten, ["buurt"]) })
        {
            var gevonden = bestanden.Where(b => voorvoegsels.Any(v => b.StartsWith(v, StringComparison.OrdinalIgnoreCase))).ToList();
            if (gevonden.Count != 1)
            {
                throw new GebiedenImportException(
                    $"In {map} staat {(gevonden.Count == 0 ? "geen" : "meer dan één")} shapefile voor de laag '{laag}' "
                        + $"(CBS: gemeente_JJJJ_vN.shp, wijk_JJJJ_vN.shp en buurt_JJJJ_vN.shp in één map); gevonden: "
                        + (bestanden.Count == 0 ? "geen .shp-bestanden" : string.Join(", ", bestanden))
                        + "."
                );
            }
            lagen[laag] = Path.Combine(map, gevonden[0]);
        }
        return lagen;
    }

    /// <summary>RD New or WGS 84, from the .prj beside the .shp (CBS: RD New).</summary>
    private static int ShapefileSrid(string shp)
    {
        var prj = Path.ChangeExtension(shp, ".prj");
        var bestand = Path.GetFileName(shp);
        if (!File.Exists(prj))
        {
            throw new GebiedenImportException(
                $"{bestand} heeft geen .prj-bestand ernaast, dus geen coördinatenstelsel; pak het zip-bestand van CBS volledig uit."
            );
        }
        var wkt = File.ReadAllText(prj);
        if (wkt.Contains("Amersfoort", StringComparison.OrdinalIgnoreCase) && wkt.StartsWith("PROJCS", StringComparison.OrdinalIgnoreCase))
        {
            return 28992;
        }
        if (wkt.StartsWith("GEOGCS", StringComparison.OrdinalIgnoreCase) && wkt.Contains("WGS", StringComparison.OrdinalIgnoreCase))
        {
            return 4326;
        }
        throw new GebiedenImportException(
            $"{bestand} gebruikt een coördinatenstelsel dat de import niet kent (alleen RD New en WGS 84): "
                + wkt[..Math.Min(80, wkt.Length)]
        );
    }

    private static List<(IReadOnlyDictionary<string, object?> Waarden, Geometry? Geom)> ShapefileRijen(string shp)
    {
        Feature[] features;
        try
        {
            features = Shapefile.ReadAllFeatures(shp);
        }
        catch (Exception exception) when (exception is not GebiedenImportException)
        {
            throw new GebiedenImportException(
                $"{Path.GetFileName(shp)} is geen leesbare shapefile ({exception.Message.TrimEnd('.')}). "
                    + "Pak het zip-bestand van CBS volledig uit (.shp, .shx, .dbf en .prj)."
            );
        }
        return features
            .Select(f =>
            {
                var waarden = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
                foreach (var naam in f.Attributes.GetNames())
                {
                    waarden[ShapefileKolommen.GetValueOrDefault(naam) ?? naam] = f.Attributes[naam] switch
                    {
                        int i => (long)i,
                        decimal d => (double)d,
                        float s => (double)s,
                        string t => t.Trim(),
                        var w => w,
                    };
                }
                return ((IReadOnlyDictionary<string, object?>)waarden, (Geometry?)f.Geometry);
            })
            .ToList();
    }

    private static CbsGemeente LeesShapefile(string pad, string gemeenteCode)
    {
        var lagen = ShapefileLagen(pad);
        var alle = new Dictionary<string, List<(IReadOnlyDictionary<string, object?> Waarden, Geometry? Geom)>>(StringComparer.Ordinal);
        List<Rij> Rijen(string laag, string[] verplicht)
        {
            var shp = lagen[laag];
            var rijen = alle.TryGetValue(laag, out var r) ? r : alle[laag] = ShapefileRijen(shp);
            var namen = rijen.Count > 0 ? rijen[0].Waarden.Keys.ToList() : [];
            var ontbreekt = verplicht.Prepend("gemeentecode").Where(k => rijen.Count > 0 && !rijen[0].Waarden.ContainsKey(k)).ToList();
            if (ontbreekt.Count > 0)
            {
                throw new GebiedenImportException(
                    $"Laag '{laag}' ({Path.GetFileName(shp)}) mist de kolom(men) {string.Join(", ", ontbreekt)}; gevonden: "
                        + string.Join(", ", namen)
                        + ". CBS noemt ze "
                        + string.Join(", ", ShapefileKolommen.Where(k => ontbreekt.Contains(k.Value)).Select(k => k.Key))
                        + "."
                );
            }
            var srid = ShapefileSrid(shp);
            var gekozen = new List<Rij>();
            foreach (var (waarden, geom) in rijen)
            {
                if (
                    !string.Equals(
                        Convert.ToString(waarden["gemeentecode"], CultureInfo.InvariantCulture)?.Trim(),
                        gemeenteCode,
                        StringComparison.OrdinalIgnoreCase
                    )
                )
                {
                    continue;
                }
                var code = waarden.TryGetValue(verplicht.FirstOrDefault() ?? "gemeentecode", out var c) ? c : gemeenteCode;
                if (geom is null || geom.IsEmpty || geom is not (Polygon or MultiPolygon))
                {
                    throw new GebiedenImportException(
                        $"{code} in laag '{laag}' heeft geen vlak als geometrie maar "
                            + (geom is null || geom.IsEmpty ? "een lege." : geom.GeometryType + ".")
                    );
                }
                var kopie = geom.Copy();
                kopie.SRID = srid;
                gekozen.Add(new Rij(waarden, kopie));
            }
            return gekozen;
        }
        string Onbekend()
        {
            var codes = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (waarden, _) in alle[Gemeenten])
            {
                if (Convert.ToString(waarden.GetValueOrDefault("gemeentecode"), CultureInfo.InvariantCulture)?.Trim() is { Length: > 0 } c)
                {
                    codes.TryAdd(
                        c.ToUpperInvariant(),
                        Convert.ToString(waarden.GetValueOrDefault("gemeentenaam"), CultureInfo.InvariantCulture) ?? ""
                    );
                }
            }
            return OnbekendeCodeTekst(codes, gemeenteCode, pad, Path.GetFileName(lagen[Gemeenten]));
        }
        return Verwerk(Rijen, Onbekend, pad, gemeenteCode);
    }

    private static string EnigeGemeenteShapefile(string pad)
    {
        var lagen = ShapefileLagen(pad);
        var codes = ShapefileRijen(lagen[Gemeenten])
            .Select(r =>
                Convert.ToString(r.Waarden.GetValueOrDefault("gemeentecode"), CultureInfo.InvariantCulture)?.Trim().ToUpperInvariant()
            )
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return codes is [var code] && NormaliseerCode(code) is { } genormaliseerd
            ? genormaliseerd
            : throw new GebiedenImportException(
                $"{Path.GetFileName(pad)} heeft {codes.Count} gemeenten; noem de gemeentecode die u wilt laden."
            );
    }
}
