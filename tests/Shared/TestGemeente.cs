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

    /// <summary>The CBS fixture every test database starts with.</summary>
    public static string Gebieden(string scripts) =>
        Path.Combine(scripts, "seed", "gebieden", IsVoorbeeldstad ? "voorbeeldstad-GM9999.gpkg" : "heemstede-GM0397.gpkg");
}
