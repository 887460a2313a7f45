using Npgsql;

namespace Wijkmeldingen.Testing;

/// <summary>
/// The two database roles of docs/database.md#roles, as infra/wijk makes them: the owner role that
/// owns the test databases and runs the migrations, and the app role the portal (and the tests that
/// play it) connects as, which owns nothing. Made once per cluster by a superuser connection.
/// </summary>
public static class TestRollen
{
    public const string Eigenaar = "wijk_eigenaar";
    public const string App = "wijk_app";

    /// <summary>Creates both roles when missing (several test processes may race: a duplicate is
    /// fine). When the superuser's connection string has a password, the roles get the same one.</summary>
    public static async Task MaakAsync(NpgsqlConnection superuser)
    {
        ArgumentNullException.ThrowIfNull(superuser);
        var wachtwoord = new NpgsqlConnectionStringBuilder(superuser.ConnectionString).Password;
        foreach (var rol in new[] { Eigenaar, App })
        {
            await using var command = superuser.CreateCommand();
            command.CommandText = $"""
                DO $$ BEGIN
                    CREATE ROLE {rol} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE;
                EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
                END $$
                """;
            await command.ExecuteNonQueryAsync();
            if (!string.IsNullOrEmpty(wachtwoord))
            {
                command.CommandText = $"ALTER ROLE {rol} PASSWORD '{wachtwoord.Replace("'", "''", StringComparison.Ordinal)}'";
                await command.ExecuteNonQueryAsync();
            }
        }
    }

    /// <summary><paramref name="connectionString"/> with <paramref name="rol"/> as the user.</summary>
    public static string Als(string connectionString, string rol) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Username = rol }.ConnectionString;

    /// <summary>For a connection string of the app role, the same as the owner; else null (a test that
    /// connects some other way keeps the single connection string).</summary>
    public static string? EigenaarVan(string connectionString) =>
        string.Equals(new NpgsqlConnectionStringBuilder(connectionString).Username, App, StringComparison.Ordinal)
            ? Als(connectionString, Eigenaar)
            : null;
}
