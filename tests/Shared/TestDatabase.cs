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
/// the throwaway cluster started by <c>infra/wijk test</c> (WIJK_TEST_DATABASE_SERVER). As in a
/// deployment, two roles (<see cref="TestRollen"/>): the owner role owns the database and ran the
/// migrations; <see cref="ConnectionString"/> connects as the app role, which owns nothing, and
/// <see cref="EigenaarConnectionString"/> as the owner (for setup only the owner may do).
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private static readonly SemaphoreSlim TemplateLock = new(1, 1);
    private static string? templateName;
    private static bool rollenGemaakt;

    private TestDatabase(string server, string name)
    {
        Server = server;
        Name = name;
        var database = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
        ConnectionString = TestRollen.Als(database, TestRollen.App);
        EigenaarConnectionString = TestRollen.Als(database, TestRollen.Eigenaar);
    }

    public string Server { get; }
    public string Name { get; }

    /// <summary>The app role's connection, as the portal's ConnectionStrings:Wijkmeldingen.</summary>
    public string ConnectionString { get; }

    /// <summary>The owner role's connection, as the portal's ConnectionStrings:WijkmeldingenEigenaar.</summary>
    public string EigenaarConnectionString { get; }

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
        await using var create = new NpgsqlCommand(
            $"CREATE DATABASE \"{database.Name}\" TEMPLATE \"{template}\" OWNER {TestRollen.Eigenaar}",
            connection
        );
        await create.ExecuteNonQueryAsync();
        return database;
    }

    /// <summary>A data source of the app role (what the portal serves requests with).</summary>
    public NpgsqlDataSource CreateDataSource() => Database.CreateDataSource(ConnectionString, Opties());

    /// <summary>A data source of the app role working for another municipality (its CBS code as the
    /// connections' wijk.gemeente), as a portal serving that municipality would have.</summary>
    public NpgsqlDataSource CreateDataSource(string gemeente) =>
        Database.CreateDataSource(ConnectionString, new DatabaseOptions { Gemeente = gemeente });

    /// <summary>The database settings the tests' own connections use: the test municipality as the
    /// connections' tenant (wijk.gemeente), as the portal sets it from its profile.</summary>
    public static DatabaseOptions Opties() => new() { Gemeente = TestGemeente.Code };

    /// <summary>A data source of the owner role (migrations, reference data, demo seed).</summary>
    public NpgsqlDataSource CreateEigenaarDataSource() => Database.CreateDataSource(EigenaarConnectionString, Opties());

    /// <summary>A data source of the owner role whose connections work for <paramref name="gemeente"/>.</summary>
    public NpgsqlDataSource CreateEigenaarDataSource(string gemeente) =>
        Database.CreateDataSource(EigenaarConnectionString, new DatabaseOptions { Gemeente = gemeente });

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
            // tpl2: owned by the owner role, migrated as it (earlier templates belonged to postgres).
            var name = "wijk_tpl2_" + (TestGemeente.IsVoorbeeldstad ? "vbs_" : "") + HashScripts(scripts);
            await using var connection = new NpgsqlConnection(server);
            await connection.OpenAsync();
            if (!rollenGemaakt)
            {
                await TestRollen.MaakAsync(connection);
                rollenGemaakt = true;
            }
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
        await Execute(admin, $"CREATE DATABASE \"{building}\" OWNER {TestRollen.Eigenaar}");
        var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = building, Pooling = false }.ConnectionString;
        await MigreerAlsEigenaarAsync(connectionString, scripts);
        await Execute(admin, $"ALTER DATABASE \"{building}\" RENAME TO \"{name}\"");
        await Execute(admin, $"ALTER DATABASE \"{name}\" WITH IS_TEMPLATE true");
    }

    /// <summary>What infra/wijk does for a new database: PostGIS made by the superuser (an untrusted
    /// extension the owner cannot create), then the migrations as the owner role, which give the app
    /// role its privileges. <paramref name="superuserDatabase"/> names the database as the superuser.</summary>
    public static async Task MigreerAlsEigenaarAsync(string superuserDatabase, string scripts)
    {
        await using (var superuser = new NpgsqlConnection(superuserDatabase))
        {
            await superuser.OpenAsync();
            // PostGIS and the leakproof marks, as infra/wijk makes them (db/superuser.sql).
            await Execute(superuser, await File.ReadAllTextAsync(Path.Combine(scripts, "superuser.sql")));
        }
        await using var app = Database.CreateDataSource(TestRollen.Als(superuserDatabase, TestRollen.App), Opties());
        await using var eigenaar = Database.CreateDataSource(TestRollen.Als(superuserDatabase, TestRollen.Eigenaar), Opties());
        var migrator = new DatabaseMigrator(
            app,
            Options.Create(new DatabaseOptions { ScriptsPath = scripts, Gemeente = TestGemeente.Code }),
            NullLogger<DatabaseMigrator>.Instance,
            new EigenaarDatabase(eigenaar, isApart: true)
        );
        await migrator.MigrateAsync();
        // The areas come from the demo municipality's CBS-layout fixture, through the `gemeente`
        // import, as the owner (boundaries are reference data the app role only reads).
        await new GebiedenImport(eigenaar, NullLogger<GebiedenImport>.Instance).ImportAlsLeegAsync(DemoGebieden(scripts));
        if (TestGemeente.IsVoorbeeldstad)
        {
            await Voorbeeldstad.PostcodesAsync(eigenaar);
        }
    }

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The CBS fixture (db/seed/gebieden/) every test database starts with: the demo municipality's,
    /// or Voorbeeldstad's when the tests run with it as the only municipality (<see cref="TestGemeente"/>).</summary>
    public static string DemoGebieden(string scripts) => TestGemeente.Gebieden(scripts);

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
