using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Geo.Geocoding;

namespace Wijkmeldingen.Tests.Geo;

/// <summary>
/// A tiny, clearly fictional address extract for the tests: "Teststraat" and "Proefweg" do not exist
/// and the TEST… ids are not BAG ids. Nothing like it ships with the app. Two rows lie outside the
/// municipality and one is malformed, so the importer has something to skip. One extract per test
/// municipality (<see cref="TestGemeente"/>), the same rows in the same places of its areas: the four
/// Teststraat addresses in <see cref="TestGemeente.EersteBuurt"/>, Proefweg in a buurt of another wijk.
/// </summary>
public static class TestAdressen
{
    /// <summary>The demo municipality's extract (Heemstede: Teststraat in Centrum, Proefweg in Glipper Dreef).</summary>
    public const string DemoCsv = """
        bag_id,straat,huisnummer,huisletter,toevoeging,postcode,woonplaats,lat,lon
        TEST000000000001,Teststraat,1,,,2101ZZ,Heemstede,52.35210,4.61900
        TEST000000000002,Teststraat,2,,,2101ZZ,Heemstede,52.35220,4.61930
        TEST000000000003,Teststraat,12,,,2101ZZ,Heemstede,52.35260,4.61960
        TEST000000000004,Teststraat,12,a,,2101 zz,Heemstede,52.35270,4.61970
        TEST000000000005,"Proefweg",3,,2,2104ZZ,Heemstede,52.33180,4.61260
        TEST000000000098,Teststraat,98,,,1012ZZ,Amsterdam,52.37310,4.89260
        TEST000000000099,Teststraat,99,,,2011ZZ,Haarlem,52.38080,4.63680
        TEST000000000100,Teststraat,honderd,,,2101ZZ,Heemstede,52.35200,4.61900
        """;

    /// <summary>Voorbeeldstad's synthetic extract: Teststraat in Molenwijk (RD about 163 270, 502 720, 700 m
    /// from its edges), Proefweg in Polderrand (wijk Voorbeeldstad-Oost); outside: Amsterdam and Dronten.</summary>
    public const string VoorbeeldstadCsv = """
        bag_id,straat,huisnummer,huisletter,toevoeging,postcode,woonplaats,lat,lon
        TEST000000000001,Teststraat,1,,,9992ZZ,Voorbeeldstad,52.51210,5.50900
        TEST000000000002,Teststraat,2,,,9992ZZ,Voorbeeldstad,52.51220,5.50930
        TEST000000000003,Teststraat,12,,,9992ZZ,Voorbeeldstad,52.51260,5.50960
        TEST000000000004,Teststraat,12,a,,9992 zz,Voorbeeldstad,52.51270,5.50970
        TEST000000000005,"Proefweg",3,,2,9993ZZ,Voorbeeldstad,52.51500,5.53500
        TEST000000000098,Teststraat,98,,,1012ZZ,Amsterdam,52.37310,4.89260
        TEST000000000099,Teststraat,99,,,8251ZZ,Dronten,52.52500,5.71800
        TEST000000000100,Teststraat,honderd,,,9992ZZ,Voorbeeldstad,52.51200,5.50900
        """;

    /// <summary>The loaded municipality's extract.</summary>
    public static string Csv => TestGemeente.IsVoorbeeldstad ? VoorbeeldstadCsv : DemoCsv;

    public const int Binnen = 5;
    public const int Buiten = 2;
    public const int Ongeldig = 1;

    /// <summary>The woonplaats of the rows inside.</summary>
    public static string Woonplaats => TestGemeente.Naam;

    /// <summary>Teststraat's PC6 and its PC4 (a PC4 centroid of the reference data lies in the same buurt).</summary>
    public static string Postcode => TestGemeente.IsVoorbeeldstad ? "9992ZZ" : "2101ZZ";

    public static string Pc4 => Postcode[..4];

    /// <summary>Proefweg's PC6.</summary>
    public static string ProefwegPostcode => TestGemeente.IsVoorbeeldstad ? "9993ZZ" : "2104ZZ";

    /// <summary>Teststraat's buurt and wijk.</summary>
    public static string Buurt => TestGemeente.EersteBuurt;

    public static string Wijk => TestGemeente.EersteWijk;

    /// <summary>Proefweg's buurt (Glipper Dreef, or Polderrand) and wijk.</summary>
    public static string ProefwegBuurt => TestGemeente.IsVoorbeeldstad ? "BU99990100" : "BU03970101";

    public static string ProefwegWijk => TestGemeente.AndereWijk;

    /// <summary>Teststraat 1, 2, 12 and 12a as PDOK writes points (WKT, longitude first).</summary>
    public static string[] TeststraatPunten =>
        TestGemeente.IsVoorbeeldstad
            ? ["POINT(5.509 52.5121)", "POINT(5.5093 52.5122)", "POINT(5.5096 52.5126)", "POINT(5.5097 52.5127)"]
            : ["POINT(4.619 52.3521)", "POINT(4.6193 52.3522)", "POINT(4.6196 52.3526)", "POINT(4.6197 52.3527)"];

    /// <summary>Teststraat 12 (TEST000000000003).</summary>
    public static string Teststraat12Punt => TeststraatPunten[2];

    /// <summary>The PC4 centroid of <see cref="Pc4"/> in the reference data (GeoNames, or Voorbeeldstad's synthetic one).</summary>
    public static string Pc4Punt => TestGemeente.IsVoorbeeldstad ? "POINT(5.5087 52.5152)" : "POINT(4.6192 52.3524)";

    /// <summary>A point about 5 m from Teststraat 2 and 20 m from Teststraat 1.</summary>
    public static (double Lat, double Lon) BijTeststraat2 => TestGemeente.IsVoorbeeldstad ? (52.51222, 5.50935) : (52.35222, 4.61935);

    /// <summary>Matches every point of an address inside (WGS84 WKT).</summary>
    public static string PuntPatroon => TestGemeente.IsVoorbeeldstad ? @"^POINT\(5\.\d+ 52\.\d+\)$" : @"^POINT\(4\.\d+ 52\.\d+\)$";

    /// <summary>A buurt without addresses in the extract (Schouwbroekerpolder, or Oude Haven), its name and wijk.</summary>
    public static string LegeBuurt => TestGemeente.IsVoorbeeldstad ? "BU99990001" : "BU03970005";

    public static string LegeBuurtNaam => TestGemeente.IsVoorbeeldstad ? "Oude Haven (synthetisch)" : "Schouwbroekerpolder";

    public static string LegeBuurtWijk => TestGemeente.IsVoorbeeldstad ? "WK999900" : "WK039700";

    /// <summary>The name of <see cref="LegeBuurt"/> as a resident types it.</summary>
    public static string LegeBuurtZoekvraag => TestGemeente.IsVoorbeeldstad ? "Oude Haven" : "Schouwbroekerpolder";

    /// <summary>What a resident may type for <see cref="LegeBuurt"/>: its name, a beginning, a typo.</summary>
    public static TheoryData<string> LegeBuurtZoekvragen =>
        TestGemeente.IsVoorbeeldstad
            ? new TheoryData<string> { "Oude Haven", "oude hav", "Oude Havven" }
            : new TheoryData<string> { "Schouwbroekerpolder", "schouwbroeker", "Schouwbroekpolder" };

    /// <summary>Parts of wijk names and the wijk they find.</summary>
    public static TheoryData<string, string> WijkZoekvragen =>
        TestGemeente.IsVoorbeeldstad
            ? new TheoryData<string, string> { { "Voorbeeldstad-Oost", "WK999901" }, { "stad-west", "WK999900" } }
            : new TheoryData<string, string> { { "Heemstede-Zuid", "WK039701" }, { "west van de spoorbaan", "WK039702" } };

    /// <summary>A second extract for the re-import: Teststraat 1 twice (the last line wins: number 3), a new Proefweg 5.</summary>
    public static string HerimportCsv =>
        TestGemeente.IsVoorbeeldstad
            ? """
                bag_id;straat;huisnummer;huisletter;toevoeging;postcode;woonplaats;lat;lon
                TEST000000000001;Teststraat;1;;;9992ZZ;Voorbeeldstad;52.51210;5.50900
                TEST000000000001;Teststraat;3;;;9992ZZ;Voorbeeldstad;52.51212;5.50902
                TEST000000000006;Proefweg;5;;;9993ZZ;Voorbeeldstad;52.51505;5.53505
                """
            : """
                bag_id;straat;huisnummer;huisletter;toevoeging;postcode;woonplaats;lat;lon
                TEST000000000001;Teststraat;1;;;2101ZZ;Heemstede;52.35210;4.61900
                TEST000000000001;Teststraat;3;;;2101ZZ;Heemstede;52.35212;4.61902
                TEST000000000006;Proefweg;5;;;2104ZZ;Heemstede;52.33185;4.61265
                """;

    public static Task<AdresImportResultaat> ImportAsync(NpgsqlDataSource dataSource, string? csv = null) =>
        new AdresImport(dataSource, NullLogger<AdresImport>.Instance).ImportAsync(new StringReader(csv ?? Csv));
}
