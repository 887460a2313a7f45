using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Wijkmeldingen.Web.Geo.Gebieden;

namespace Wijkmeldingen.Testing;

/// <summary>
/// A second, clearly synthetic municipality: the profile in tests/Shared/Gemeenten/voorbeeldstad
/// (GM9999, purple house style, its own texts) and, when a test wants them, its areas in place of the
/// demo municipality's: the synthetic CBS fixture db/seed/gebieden/voorbeeldstad-GM9999.gpkg (2 wijken,
/// 5 land buurten and a lake near Lelystad; no real municipality has that code). The same areas are every
/// test database's with <c>WIJK_TEST_GEMEENTE=voorbeeldstad</c> (<see cref="TestGemeente"/>).
/// </summary>
public static class Voorbeeldstad
{
    public const string Naam = "Voorbeeldstad";
    public const string Code = "GM9999";

    /// <summary>The profile folder's name (Gemeente:Profiel).</summary>
    public const string Profiel = "voorbeeldstad";

    /// <summary>The settings that make the app serve this profile.</summary>
    public static Dictionary<string, string?> Instellingen() =>
        new() { ["Gemeente:Profiel"] = Profiel, ["Gemeente:ProfielMap"] = Path.Combine(AppContext.BaseDirectory, "TestGemeenten") };

    /// <summary>Voorbeeldstad's CBS fixture (db/seed/gebieden): 2 wijken and 5 land buurten near Lelystad.</summary>
    public static string Gebieden => Path.Combine(AppContext.BaseDirectory, "db", "seed", "gebieden", "voorbeeldstad-GM9999.gpkg");

    /// <summary>Replaces every area (and what hangs on the areas: reports, addresses, routing rules) by
    /// Voorbeeldstad's from its CBS fixture, through the `gemeente` import, so it is the only municipality
    /// loaded. Needs the owner's data source (the app role may not truncate).</summary>
    public static async Task GebiedenAsync(NpgsqlDataSource database)
    {
        ArgumentNullException.ThrowIfNull(database);
        // Emptied first: the import refuses to drop areas that routing rules and the like still point at,
        // and these tests want a clean second municipality, not a migration of the demo one's data.
        await using (var verbinding = await database.OpenConnectionAsync())
        await using (var opdracht = new NpgsqlCommand("TRUNCATE gemeente, wijk, buurt, postcode_pc4 CASCADE", verbinding))
        {
            await opdracht.ExecuteNonQueryAsync();
        }
        await new GebiedenImport(database, NullLogger<GebiedenImport>.Instance).ImportAsync(Gebieden, Code);
    }

    /// <summary>Voorbeeldstad's synthetic PC4 centroids, one inside each inhabited pair of its buurten (9991 in Centrum,
    /// 9992 in Molenwijk, 9993 in Polderrand), as the demo municipality's GeoNames centroids are reference data
    /// (db/seed/reference/R__postcodes_pc4.sql). Upserts; needs the owner's data source.</summary>
    public static async Task PostcodesAsync(NpgsqlDataSource database)
    {
        ArgumentNullException.ThrowIfNull(database);
        await using var verbinding = await database.OpenConnectionAsync();
        await using var opdracht = new NpgsqlCommand(
            """
            INSERT INTO postcode_pc4 (postcode, plaats, punt)
            SELECT postcode, 'Voorbeeldstad', ST_Transform(ST_SetSRID(ST_MakePoint(lon, lat), 4326), 28992)
            FROM (VALUES ('9991', 5.4800, 52.5140), ('9992', 5.5087, 52.5152), ('9993', 5.5390, 52.5140)) AS p (postcode, lon, lat)
            ON CONFLICT (postcode) DO UPDATE SET plaats = EXCLUDED.plaats, punt = EXCLUDED.punt
            """,
            verbinding
        );
        await opdracht.ExecuteNonQueryAsync();
    }
}
