// The longer fault variant (`infra/wijk bench --faults`): reports are filed through the API at full
// speed while the bench cluster is stopped (pg_ctl stop -m fast) and started again; afterwards every
// accepted report is looked up by its id. The short, bounded version is DatabaseHerstartTests.
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Dapper;
using Npgsql;

namespace Wijkmeldingen.Bench;

internal static class StoringBench
{
    private const int Voor = 8,
        Onderbreking = 6,
        Na = 12;

    public static async Task RunAsync(
        Uri basis,
        string connectionString,
        string pgData,
        PortaalBench.Invoer invoer,
        int clients,
        Action<string> schrijf
    )
    {
        Console.Error.WriteLine($"  faults: filing for {Voor + Onderbreking + Na} s, the database down for {Onderbreking} s in between...");
        var aanvaard = new ConcurrentBag<string>();
        var statussen = new ConcurrentDictionary<int, int>();
        using var stoppen = new CancellationTokenSource();
        var klok = Stopwatch.StartNew();
        var eersteNaHerstart = TimeSpan.Zero;
        var gestartOp = TimeSpan.MaxValue;

        async Task ClientAsync(int nummer)
        {
            using var http = new HttpClient { BaseAddress = basis, Timeout = TimeSpan.FromSeconds(30) };
            var random = new Random(nummer);
            for (var i = 0; !stoppen.IsCancellationRequested; i++)
            {
                var (lat, lon) = invoer.Punten[random.Next(invoer.Punten.Count)];
                using var inhoud = new FormUrlEncodedContent(
                    new Dictionary<string, string>
                    {
                        ["api_key"] = invoer.ApiSleutel,
                        ["service_code"] = invoer.Rubrieken[random.Next(invoer.Rubrieken.Count)],
                        ["lat"] = lat.ToString("R", CultureInfo.InvariantCulture),
                        ["long"] = lon.ToString("R", CultureInfo.InvariantCulture),
                        ["description"] = $"Storingsbench {nummer}-{i} {Guid.NewGuid():N}",
                    }
                );
                int status;
                try
                {
                    using var antwoord = await http.PostAsync("/open311/v2/requests.json", inhoud);
                    status = (int)antwoord.StatusCode;
                    if (antwoord.IsSuccessStatusCode)
                    {
                        using var json = JsonDocument.Parse(await antwoord.Content.ReadAsStringAsync());
                        aanvaard.Add(json.RootElement[0].GetProperty("service_request_id").GetString()!);
                        if (klok.Elapsed > gestartOp && eersteNaHerstart == TimeSpan.Zero)
                        {
                            eersteNaHerstart = klok.Elapsed;
                        }
                    }
                }
                catch (HttpRequestException)
                {
                    status = 0;
                }
                statussen.AddOrUpdate(status, 1, (_, n) => n + 1);
                if (status != 200)
                {
                    await Task.Delay(50);
                }
            }
        }

        var taken = Enumerable.Range(0, clients).Select(ClientAsync).ToList();
        await Task.Delay(TimeSpan.FromSeconds(Voor));
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var gestoptOp = klok.Elapsed;
        await PgCtlAsync(pgData, "-m", "fast", "-w", "stop");
        await Task.Delay(TimeSpan.FromSeconds(Onderbreking));
        await PgCtlAsync(
            pgData,
            "-l",
            Path.Combine(pgData, "server.log"),
            "-w",
            "-t",
            "60",
            "-o",
            $"-p {builder.Port} -k {pgData} -c listen_addresses=127.0.0.1 -c max_connections=200",
            "start"
        );
        gestartOp = klok.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(Na));
        await stoppen.CancelAsync();
        await Task.WhenAll(taken);

        var codes = aanvaard.ToArray();
        long opgeslagen;
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            opgeslagen = await connection.ExecuteScalarAsync<long>(
                "SELECT count(*) FROM melding WHERE volgcode = ANY(@codes)",
                new { codes }
            );
        }
        schrijf("fault run: database restart under sustained filing load (POST /open311/v2/requests.json)");
        var antwoorden = string.Join(
            ", ",
            statussen
                .OrderBy(s => s.Key)
                .Select(s => $"{(s.Key == 0 ? "no answer" : s.Key.ToString(CultureInfo.InvariantCulture))}: {s.Value:N0}")
        );
        schrijf(
            string.Create(
                CultureInfo.InvariantCulture,
                $"  {statussen.Values.Sum():N0} requests by {clients} clients; answers: {antwoorden}"
            )
        );
        schrijf(
            string.Create(
                CultureInfo.InvariantCulture,
                $"  accepted: {codes.Length:N0}, of which stored: {opgeslagen:N0} (lost: {codes.Length - opgeslagen:N0}); "
                    + $"database stopped at {gestoptOp.TotalSeconds:0.0} s, "
                    + $"started at {gestartOp.TotalSeconds:0.0} s, "
                    + $"first report accepted after that at {eersteNaHerstart.TotalSeconds:0.0} s"
            )
        );
    }

    private static async Task PgCtlAsync(string pgData, params string[] args)
    {
        var bin = Directory
            .GetDirectories("/usr/lib/postgresql")
            .OrderByDescending(d => d, StringComparer.Ordinal)
            .Select(d => Path.Combine(d, "bin", "pg_ctl"))
            .First(File.Exists);
        var root = Environment.UserName == "root";
        var start = new ProcessStartInfo(root ? "runuser" : bin)
        {
            WorkingDirectory = "/",
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (root)
        {
            foreach (var a in new[] { "-u", "postgres", "--", bin })
            {
                start.ArgumentList.Add(a);
            }
        }
        start.ArgumentList.Add("-D");
        start.ArgumentList.Add(pgData);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start)!;
        var uit = process.StandardOutput.ReadToEndAsync();
        var fout = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"pg_ctl {string.Join(' ', args)}: {await fout}{await uit}");
        }
    }
}
