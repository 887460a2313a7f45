using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Wijkmeldingen.Testing;

/// <summary>
/// A small PostgreSQL + PostGIS cluster of its own that a test may stop and start (the shared test
/// cluster of <c>infra/wijk test</c> serves other test classes at the same time). Made from the
/// installed PostgreSQL binaries the way infra/wijk makes clusters: initdb into a temporary folder,
/// pg_ctl on a free loopback port, run as the postgres user when the tests run as root. The one
/// database is migrated from db/ like the test template, with the same two roles.
/// </summary>
public sealed class EigenCluster : IAsyncDisposable
{
    private readonly string bin;
    private readonly string folder;

    private EigenCluster(string bin, string folder, int port)
    {
        this.bin = bin;
        this.folder = folder;
        Port = port;
        ConnectionString = $"Host=127.0.0.1;Port={port};Username={TestRollen.App};Database=wijkmeldingen";
    }

    public int Port { get; }

    /// <summary>The app role's connection (<see cref="TestRollen"/>), as the portal's.</summary>
    public string ConnectionString { get; }

    public static async Task<EigenCluster> StartAsync()
    {
        var bin = PgBin()
            ?? throw new InvalidOperationException("no PostgreSQL with PostGIS under /usr/lib/postgresql (infra/wijk test installs it)");
        var folder = Path.Combine(Path.GetTempPath(), "wijk-eigen-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        var cluster = new EigenCluster(bin, folder, FreePort());
        if (IsRoot)
        {
            await RunAsync("chown", "postgres:postgres", folder);
        }
        await cluster.PgAsync("initdb", "-D", cluster.Data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8");
        await cluster.StartDatabaseAsync();
        await using (
            var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={cluster.Port};Username=postgres;Database=postgres;Pooling=false")
        )
        {
            await connection.OpenAsync();
            await TestRollen.MaakAsync(connection);
            await using var create = new NpgsqlCommand($"CREATE DATABASE wijkmeldingen OWNER {TestRollen.Eigenaar}", connection);
            await create.ExecuteNonQueryAsync();
        }
        await TestDatabase.MigreerAlsEigenaarAsync(
            $"Host=127.0.0.1;Port={cluster.Port};Username=postgres;Database=wijkmeldingen;Pooling=false",
            Path.Combine(AppContext.BaseDirectory, "db")
        );
        return cluster;
    }

    private string Data => Path.Combine(folder, "data");

    /// <summary>pg_ctl start; waits until the server accepts connections.</summary>
    public Task StartDatabaseAsync() =>
        PgAsync(
            "pg_ctl",
            "-D",
            Data,
            "-l",
            Path.Combine(folder, "server.log"),
            "-w",
            "-t",
            "60",
            "-o",
            $"-p {Port} -k {folder} -c listen_addresses=127.0.0.1 -c max_connections=100 -c fsync=off -c full_page_writes=off",
            "start"
        );

    /// <summary>pg_ctl stop -m fast: open connections are broken off, running transactions roll back.</summary>
    public Task StopDatabaseAsync() => PgAsync("pg_ctl", "-D", Data, "-m", "fast", "-w", "-t", "60", "stop");

    public async ValueTask DisposeAsync()
    {
        try
        {
            await PgAsync("pg_ctl", "-D", Data, "-m", "immediate", "-w", "stop");
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException) { }
    }

    private static bool IsRoot => Environment.UserName == "root";

    private Task PgAsync(string tool, params string[] args) =>
        IsRoot ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(bin, tool), .. args]) : RunAsync(Path.Combine(bin, tool), args);

    private static async Task RunAsync(string file, params string[] args)
    {
        // From /: the test's working folder may be closed to the postgres user.
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = "/",
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{file} {string.Join(' ', args)} exited with {process.ExitCode}: {await stderr}{await stdout}"
            );
        }
    }

    /// <summary>The newest installed PostgreSQL that has PostGIS (as infra/wijk's pg_bindir).</summary>
    private static string? PgBin()
    {
        if (!Directory.Exists("/usr/lib/postgresql"))
        {
            return null;
        }
        return Directory
            .GetDirectories("/usr/lib/postgresql")
            .Select(Path.GetFileName)
            .Where(v => int.TryParse(v, out _))
            .OrderByDescending(v => int.Parse(v!, System.Globalization.CultureInfo.InvariantCulture))
            .Where(v =>
                File.Exists($"/usr/lib/postgresql/{v}/bin/initdb") && File.Exists($"/usr/share/postgresql/{v}/extension/postgis.control")
            )
            .Select(v => $"/usr/lib/postgresql/{v}/bin")
            .FirstOrDefault();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
