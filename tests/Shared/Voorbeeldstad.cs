using Npgsql;

namespace Wijkmeldingen.Testing;

/// <summary>
/// A second, clearly synthetic municipality: the profile in tests/Shared/Gemeenten/voorbeeldstad
/// (GM9999, purple house style, its own texts) and, when a test wants them, its areas in place of the
/// demo municipality's: one wijk and two buurten in a 2 km square around the RD origin (Amersfoort's
/// Onze Lieve Vrouwetoren), where no real municipality with that code lies.
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

    /// <summary>Replaces every area (and what hangs on the areas: reports, addresses, routing rules) by
    /// Voorbeeldstad's, so it is the only municipality loaded. Needs the owner's data source (the app role
    /// may not truncate).</summary>
    public static async Task GebiedenAsync(NpgsqlDataSource database)
    {
        ArgumentNullException.ThrowIfNull(database);
        // Raw on purpose: the area import (infra/wijk gemeente) is not what these tests are about; they
        // need a second municipality's areas as the only ones, in a test's own database.
        const string sql = """
            TRUNCATE gemeente, wijk, buurt, postcode_pc4 CASCADE;
            INSERT INTO gemeente (code, naam, inwoners, geom)
            VALUES ('GM9999', 'Voorbeeldstad', 1000, ST_Multi(ST_MakeEnvelope(154000, 462000, 156000, 464000, 28992)));
            INSERT INTO wijk (code, gemeente_code, naam, inwoners, geom)
            VALUES ('WK999900', 'GM9999', 'Wijk 00 Proefwijk', 1000, ST_Multi(ST_MakeEnvelope(154000, 462000, 156000, 464000, 28992)));
            INSERT INTO buurt (code, wijk_code, naam, naam_kort, inwoners, geom) VALUES
                ('BU99990000', 'WK999900', 'Proefbuurt Noord', 'Noord', 500,
                 ST_Multi(ST_MakeEnvelope(154000, 463000, 156000, 464000, 28992))),
                ('BU99990001', 'WK999900', 'Proefbuurt Zuid', 'Zuid', 500,
                 ST_Multi(ST_MakeEnvelope(154000, 462000, 156000, 463000, 28992)));
            """;
        await using var verbinding = await database.OpenConnectionAsync();
        await using var opdracht = new NpgsqlCommand(sql, verbinding);
        await opdracht.ExecuteNonQueryAsync();
    }
}
