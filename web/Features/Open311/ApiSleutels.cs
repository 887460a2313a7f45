using Dapper;
using Npgsql;
using Wijkmeldingen.Web.Features.Melden;

namespace Wijkmeldingen.Web.Features.Open311;

/// <summary>API keys for filing reports through Open311. Only the SHA-256 is stored; the key is
/// shown once, when made (infra/wijk api-sleutel NAAM).</summary>
public static class ApiSleutels
{
    public static async Task<string> MaakAsync(NpgsqlDataSource dataSource, string naam, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentException.ThrowIfNullOrWhiteSpace(naam);
        var sleutel = "wm_" + MeldingOpslaan.NieuweSleutel();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO api_sleutel (naam, sleutel_hash) VALUES (@naam, @hash)",
            new { naam = naam.Trim(), hash = MeldingOpslaan.Hash(sleutel) }, cancellationToken: cancellationToken));
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
        return await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            """
            UPDATE api_sleutel SET laatst_gebruikt_op = now()
            WHERE sleutel_hash = @hash AND ingetrokken_op IS NULL
            RETURNING id
            """, new { hash = MeldingOpslaan.Hash(sleutel) }, cancellationToken: cancellationToken));
    }
}
