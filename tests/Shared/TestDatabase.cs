using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Wijkmeldingen.Web.Data;
using Wijkmeldingen.Web.Geo.Gebieden;

namespace Wijkmeldingen.Testing;

/// <summary>
/// A fresh, fully migrated PostGIS database for one test class (or one test), cloned from a template
/// database that is migrated once per schema version. Real PostgreSQL, never a mock: the server is
/// the throwaway cluster started by <c>infra/wijk test</c> (WIJK_TEST_DATABASE_SERVER).
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private static readonly SemaphoreSlim TemplateLock = new(1, 1);
    private static string? templateName;

    private TestDatabase(string server, string name)
    {
        Server = server;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    public string Server { get; }
    public string Name { get; }
    public string ConnectionString { get; }

    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable("WIJK_TEST_DATABASE_SERVER") is { Length: > 0 } server
            ? server
            : throw new InvalidOperationException(
                "WIJK_TEST_DATABASE_SERVER is not set. Run the tests with `infra/wijk test`, "
                    + "or point it at a PostgreSQL + PostGIS server (superuser), "
                    + "e.g. Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres"
            );

    public static async Task<TestDatabase> CreateAsync()
    {
        var server = ServerConnectionString;
        var template = await EnsureTemplateAsync(server);
        var database = new TestDatabase(server, "wijk_t_" + Guid.NewGuid().ToString("N")[..16]);
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Name}\" TEMPLATE \"{template}\"", connection);
        await create.ExecuteNonQueryAsync();
        return database;
    }

    public NpgsqlDataSource CreateDataSource() => Database.CreateDataSource(ConnectionString);

    public async ValueTask DisposeAsync()
    {
        await using var connection = new NpgsqlConnection(Server);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }

    /// <summary>The template's name carries a hash of every SQL file in db/, so a changed migration
    /// gets a new template; building it is serialised across test processes by an advisory lock.</summary>
    private static async Task<string> EnsureTemplateAsync(string server)
    {
        if (templateName is not null)
        {
            return templateName;
        }
        await TemplateLock.WaitAsync();
        try
        {
            if (templateName is not null)
            {
                return templateName;
            }
            var scripts = Path.Combine(AppContext.BaseDirectory, "db");
            var name = "wijk_tpl_" + HashScripts(scripts);
            await using var connection = new NpgsqlConnection(server);
            await connection.OpenAsync();
            await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_lock(397002)", connection))
            {
                await lockCommand.ExecuteNonQueryAsync();
            }
            try
            {
                await using var exists = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = @name", connection);
                exists.Parameters.AddWithValue("name", name);
                if ((long)(await exists.ExecuteScalarAsync())! == 0)
                {
                    await BuildTemplateAsync(connection, server, name, scripts);
                }
            }
            finally
            {
                await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(397002)", connection);
                await unlock.ExecuteNonQueryAsync();
            }
            templateName = name;
            return name;
        }
        finally
        {
            TemplateLock.Release();
        }
    }

    private static async Task BuildTemplateAsync(NpgsqlConnection admin, string server, string name, string scripts)
    {
        var building = name + "_bouw";
        await Execute(admin, $"DROP DATABASE IF EXISTS \"{building}\" WITH (FORCE)");
        await Execute(admin, $"CREATE DATABASE \"{building}\"");
        var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = building, Pooling = false }.ConnectionString;
        await using (var dataSource = Database.CreateDataSource(connectionString))
        {
            var migrator = new DatabaseMigrator(
                dataSource,
                Options.Create(new DatabaseOptions { ScriptsPath = scripts }),
                NullLogger<DatabaseMigrator>.Instance
            );
            await migrator.MigrateAsync();
            // The areas come from the demo municipality's CBS-layout fixture, through the `gemeente` import.
            await new GebiedenImport(dataSource, NullLogger<GebiedenImport>.Instance).ImportAlsLeegAsync(DemoGebieden(scripts));
        }
        await Execute(admin, $"ALTER DATABASE \"{building}\" RENAME TO \"{name}\"");
        await Execute(admin, $"ALTER DATABASE \"{name}\" WITH IS_TEMPLATE true");
    }

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The Heemstede fixture (db/seed/gebieden/), the areas every test database starts with.</summary>
    public static string DemoGebieden(string scripts) => Path.Combine(scripts, "seed", "gebieden", "heemstede-GM0397.gpkg");

    private static string HashScripts(string folder)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var files = Directory
            .GetFiles(folder, "*.sql", SearchOption.AllDirectories)
            .Concat(Directory.GetFiles(folder, "*.gpkg", SearchOption.AllDirectories));
        foreach (var file in files.Order(StringComparer.Ordinal))
        {
            sha.AppendData(Encoding.UTF8.GetBytes(Path.GetRelativePath(folder, file)));
            sha.AppendData(File.ReadAllBytes(file));
        }
        return Convert.ToHexString(sha.GetHashAndReset())[..12].ToLowerInvariant();
    }
}
