using Dapper;
using Npgsql;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Open311;

/// <summary>API keys for filing reports through Open311. Only the SHA-256 is stored; the key is
/// shown once, when made (infra/wijk api-sleutel NAAM).</summary>
public static class ApiSleutels
{
    /// <summary>The verb <c>api-sleutel NAAM</c>: make a key for an app or partner and print it (once).</summary>
    public static async Task<int> CommandoAsync(IServiceProvider services, string[] args)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(args);
        var naam = string.Join(' ', args.Skip(1)).Trim();
        if (naam.Length == 0)
        {
            await Console.Error.WriteLineAsync("api-sleutel: give the name of the app or partner that will use the key");
            return 2;
        }
        var sleutel = await MaakAsync(services.GetRequiredService<NpgsqlDataSource>(), naam);
        Console.WriteLine($"api-sleutel for '{naam}' (shown once; only its hash is stored):");
        Console.WriteLine(sleutel);
        return 0;
    }

    public static async Task<string> MaakAsync(NpgsqlDataSource dataSource, string naam, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentException.ThrowIfNullOrWhiteSpace(naam);
        var sleutel = "wm_" + Sleutels.Nieuw();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(
            new CommandDefinition(
                "INSERT INTO api_sleutel (naam, sleutel_hash) VALUES (@naam, @hash)",
                new { naam = naam.Trim(), hash = Sleutels.Hash(sleutel) },
                cancellationToken: cancellationToken
            )
        );
        return sleutel;
    }

    /// <summary>The key's id when it is known and not withdrawn; marks it as used.</summary>
    public static async Task<long?> ControleerAsync(NpgsqlDataSource dataSource, string? sleutel, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        if (string.IsNullOrEmpty(sleutel) || sleutel.Length > 200)
        {
            return null;
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // The hash is the lookup key: comparing hashes of a 256-bit secret leaks nothing useful by timing.
        // "Last used" is written at most once a minute per key: written on every request, all filings
        // of one client queued on that one row and each paid a second durable commit (measured: the
        // bench's filing rate). Minute precision is what the staff screen shows anyway.
        return await connection.QuerySingleOrDefaultAsync<long?>(
            new CommandDefinition(
                """
                WITH sleutel AS (
                    SELECT id, laatst_gebruikt_op FROM api_sleutel WHERE sleutel_hash = @hash AND ingetrokken_op IS NULL
                ), gebruikt AS (
                    UPDATE api_sleutel a SET laatst_gebruikt_op = now()
                    FROM sleutel s
                    WHERE a.id = s.id AND (s.laatst_gebruikt_op IS NULL OR s.laatst_gebruikt_op < now() - interval '1 minute')
                )
                SELECT id FROM sleutel
                """,
                new { hash = Sleutels.Hash(sleutel) },
                cancellationToken: cancellationToken
            )
        );
    }
}
