using System.Text.Json;
using Dapper;
using Npgsql;

namespace Wijkmeldingen.Web.Domein;

/// <summary>Writes to the append-only <c>audit</c> table, always in the caller's transaction so an
/// action and its audit row commit together.</summary>
public static class Audit
{
    public sealed record Regel(DateTime Tijdstip, string Door, string Actie, string? Voor, string? Na);

    public static Task SchrijfAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction,
        Actor? door,
        string actie,
        long? meldingId,
        object? voor,
        object? na,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(connection);
        return connection.ExecuteAsync(
            new CommandDefinition(
                """
                INSERT INTO audit (medewerker_id, door, actie, melding_id, voor, na)
                VALUES (@id, @naam, @actie, @meldingId, CAST(@voor AS jsonb), CAST(@na AS jsonb))
                """,
                new
                {
                    id = door?.Id,
                    naam = door?.Naam ?? "systeem",
                    actie,
                    meldingId,
                    voor = voor is null ? null : JsonSerializer.Serialize(voor),
                    na = na is null ? null : JsonSerializer.Serialize(na),
                },
                transaction,
                cancellationToken: cancellationToken
            )
        );
    }

    /// <summary>The <c>door</c> of a row written by the melder (through their private or mailed link).</summary>
    public const string Melder = "melder";

    /// <summary>The <c>door</c> of a row written by any resident without an account ("Nog niet opgelost").</summary>
    public const string Bewoner = "bewoner";

    /// <summary>A row written by a resident, not by staff: <paramref name="door"/> is <see cref="Melder"/> or
    /// <see cref="Bewoner"/> (no staff account; before, such rows read "systeem").</summary>
    public static Task SchrijfVanBewonerAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction,
        string door,
        string actie,
        long? meldingId,
        object? voor,
        object? na,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentException.ThrowIfNullOrWhiteSpace(door);
        return connection.ExecuteAsync(
            new CommandDefinition(
                """
                INSERT INTO audit (medewerker_id, door, actie, melding_id, voor, na)
                VALUES (NULL, @door, @actie, @meldingId, CAST(@voor AS jsonb), CAST(@na AS jsonb))
                """,
                new
                {
                    door,
                    actie,
                    meldingId,
                    voor = voor is null ? null : JsonSerializer.Serialize(voor),
                    na = na is null ? null : JsonSerializer.Serialize(na),
                },
                transaction,
                cancellationToken: cancellationToken
            )
        );
    }

    public static async Task<IReadOnlyList<Regel>> VoorMeldingAsync(
        NpgsqlConnection connection,
        long meldingId,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(connection);
        var regels = await connection.QueryAsync<Regel>(
            new CommandDefinition(
                """
                SELECT tijdstip, door, actie, voor::text AS voor, na::text AS na
                FROM audit WHERE melding_id = @meldingId ORDER BY tijdstip DESC, id DESC
                """,
                new { meldingId },
                cancellationToken: cancellationToken
            )
        );
        return regels.AsList();
    }
}
