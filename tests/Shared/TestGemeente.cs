using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Wijkmeldingen.Web.Geo.Gebieden;

namespace Wijkmeldingen.Testing;

/// <summary>
/// Which municipality the test databases and test apps are. By default the demo municipality: its CBS
/// fixture (db/seed/gebieden) in every test database and the app's configured profile. With
/// <c>WIJK_TEST_GEMEENTE=voorbeeldstad</c> the synthetic Voorbeeldstad is the only municipality: its CBS
/// fixture (GM9999) is imported into the template database instead, and every test app serves its
/// profile (tests/Shared/Gemeenten/voorbeeldstad) unless the test sets a profile itself. Tests that
/// name the demo municipality's buurten or texts fail that way by design; see the README for a subset.
/// </summary>
public static class TestGemeente
{
    public const string Variabele = "WIJK_TEST_GEMEENTE";

    /// <summary>True when the tests run with Voorbeeldstad as the only municipality.</summary>
    public static bool IsVoorbeeldstad =>
        Environment.GetEnvironmentVariable(Variabele)?.Trim().ToLowerInvariant() switch
        {
            null or "" => false,
            Voorbeeldstad.Profiel => true,
            var anders => throw new InvalidOperationException(
                $"{Variabele}={anders} is not known; leave it empty (the demo municipality) or use {Voorbeeldstad.Profiel}."
            ),
        };

    /// <summary>The loaded municipality's name.</summary>
    public static string Naam => IsVoorbeeldstad ? Voorbeeldstad.Naam : "Heemstede";

    /// <summary>The default place of the tests: the demo's Raadhuisplein (52.3524, 4.6192) in buurt
    /// <see cref="EersteBuurt"/>, moved onto the loaded municipality with <see cref="Plek"/>.</summary>
    public static double Lat => Plek(52.3524, 4.6192).Lat;

    public static double Lon => Plek(52.3524, 4.6192).Lon;

    /// <summary>The buurt and wijk of <see cref="Lat"/>, <see cref="Lon"/>: Centrum, or Molenwijk in Voorbeeldstad-West.</summary>
    public static string EersteBuurt => IsVoorbeeldstad ? "BU99990002" : "BU03970000";

    public static string EersteBuurtNaam => IsVoorbeeldstad ? "Molenwijk (synthetisch)" : "Centrum";

    public static string EersteWijk => IsVoorbeeldstad ? "WK999900" : "WK039700";

    /// <summary>A buurt in another wijk than <see cref="EersteWijk"/>, with inhabitants.</summary>
    public static string AndereWijkBuurt => IsVoorbeeldstad ? "BU99990100" : "BU03970100";

    public static string AndereWijk => IsVoorbeeldstad ? "WK999901" : "WK039701";

    /// <summary>A <c>bbox</c> query value (minLon,minLat,maxLon,maxLat) of demo-municipality places, moved like
    /// <see cref="Plek"/>.</summary>
    public static string Bbox(double minLon, double minLat, double maxLon, double maxLat)
    {
        var (zuid, west) = Plek(minLat, minLon);
        var (noord, oost) = Plek(maxLat, maxLon);
        return string.Create(CultureInfo.InvariantCulture, $"{west:0.######},{zuid:0.######},{oost:0.######},{noord:0.######}");
    }

    /// <summary>A demo-municipality place (WGS84) as a place in the loaded municipality: itself, or with
    /// Voorbeeldstad loaded the point at the same offset from Voorbeeldstad's middle as from the demo
    /// municipality's middle (distances between such places stay within a few metres per kilometre). The
    /// demo municipality's middle ±2 km north-south and ±3 km east-west lands inside Voorbeeldstad's buurten,
    /// but in other buurten than the demo's: a test about a particular buurt names it from this class.</summary>
    public static (double Lat, double Lon) Plek(double lat, double lon) =>
        IsVoorbeeldstad ? (lat + (VoorbeeldstadMidden.Lat - DemoMidden.Lat), lon + (VoorbeeldstadMidden.Lon - DemoMidden.Lon)) : (lat, lon);

    /// <summary><see cref="Plek"/> as form values ("52.3524"), with a decimal point.</summary>
    public static (string Lat, string Lon) PlekTekst(double lat, double lon)
    {
        var (b, l) = Plek(lat, lon);
        return (b.ToString("0.######", CultureInfo.InvariantCulture), l.ToString("0.######", CultureInfo.InvariantCulture));
    }

    // The middles of the fixtures' boundaries (the centre of their envelopes in RD, as the map starts on them).
    private static readonly (double Lat, double Lon) DemoMidden = (52.342864, 4.615492);
    private static readonly (double Lat, double Lon) VoorbeeldstadMidden = (52.505631, 5.505032);

    /// <summary>The CBS fixture every test database starts with.</summary>
    public static string Gebieden(string scripts) =>
        Path.Combine(scripts, "seed", "gebieden", IsVoorbeeldstad ? "voorbeeldstad-GM9999.gpkg" : "heemstede-GM0397.gpkg");

    /// <summary>The settings that make an app serve the demo profile (web/Gemeenten/heemstede) whatever the mode.</summary>
    public static Dictionary<string, string?> DemoProfiel() =>
        new() { ["Gemeente:Profiel"] = "heemstede", ["Gemeente:ProfielMap"] = Path.Combine(AppContext.BaseDirectory, "Gemeenten") };

    /// <summary>Replaces every area (and what hangs on them) by the demo municipality's, from its CBS fixture
    /// through the `gemeente` import, whatever the mode. Needs the owner's data source.</summary>
    public static async Task DemoGebiedenAsync(NpgsqlDataSource database)
    {
        ArgumentNullException.ThrowIfNull(database);
        await using (var verbinding = await database.OpenConnectionAsync())
        await using (var opdracht = new NpgsqlCommand("TRUNCATE gemeente, wijk, buurt, postcode_pc4 CASCADE", verbinding))
        {
            await opdracht.ExecuteNonQueryAsync();
        }
        var bestand = Path.Combine(AppContext.BaseDirectory, "db", "seed", "gebieden", "heemstede-GM0397.gpkg");
        await new GebiedenImport(database, NullLogger<GebiedenImport>.Instance).ImportAsync(bestand, "GM0397");
    }

    /// <summary>A buurt in another wijk than <see cref="EersteWijk"/>, other than <see cref="AndereWijkBuurt"/> and
    /// over 600 m from <see cref="EersteBuurt"/>, that the tests leave quiet unless they plant something there:
    /// Dichters- en Vogelbuurt, or Bedrijventerrein Oost in Voorbeeldstad-Oost.</summary>
    public static string StilleBuurt => IsVoorbeeldstad ? "BU99990101" : "BU03970200";

    /// <summary>Four buurten whose inner points lie far apart, for tests that plant clusters in several places:
    /// <see cref="EersteBuurt"/>, <see cref="StilleBuurt"/> and two more (the demo's Glipper Dreef and
    /// Schouwbroekerpolder, or Voorbeeldstad's Centrum and Polderrand).</summary>
    public static IReadOnlyList<string> VerreBuurten =>
        IsVoorbeeldstad ? [EersteBuurt, StilleBuurt, "BU99990000", "BU99990100"] : [EersteBuurt, StilleBuurt, "BU03970101", "BU03970005"];

    /// <summary>The loaded municipality's CBS code (GM0397, or Voorbeeldstad's GM9999).</summary>
    public static string Code => IsVoorbeeldstad ? Voorbeeldstad.Code : "GM0397";

    /// <summary>How the loaded municipality's buurt codes begin ("BU0397").</summary>
    public static string BuurtCodeBegin => "BU" + Code[2..];

    /// <summary>The loaded wijken and land buurten (a water buurt is not imported).</summary>
    public static int AantalWijken => IsVoorbeeldstad ? 2 : 3;

    public static int AantalBuurten => IsVoorbeeldstad ? 5 : 14;

    /// <summary>The name of <see cref="EersteWijk"/>.</summary>
    public static string EersteWijkNaam => IsVoorbeeldstad ? "Wijk 00 Voorbeeldstad-West (synthetisch)" : "Wijk 00 Heemstede-Centrum";

    /// <summary>A buurt the address search finds by part of its name: what to type, its name and code.</summary>
    public static (string Zoek, string Naam, string Code) ZoekBuurt =>
        IsVoorbeeldstad ? ("Polderra", "Polderrand (synthetisch)", "BU99990100") : ("Schouwbroek", "Schouwbroekerpolder", "BU03970005");

    /// <summary>A wijk away from the tests' default place (<see cref="Lat"/>, <see cref="Lon"/>) and from
    /// <see cref="EersteWijk"/>, where few test reports land: Heemstede west of the railway, or Voorbeeldstad-Oost.</summary>
    public static string StilleWijk => IsVoorbeeldstad ? "WK999901" : "WK039702";

    public static string StilleWijkNaam =>
        IsVoorbeeldstad ? "Wijk 01 Voorbeeldstad-Oost (synthetisch)" : "Wijk 02 Heemstede west van de spoorbaan";

    /// <summary>A buurt of <see cref="StilleWijk"/>, with inhabitants.</summary>
    public static string StilleWijkBuurt => IsVoorbeeldstad ? "BU99990100" : "BU03970200";
}
