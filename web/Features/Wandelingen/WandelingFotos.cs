using Dapper;
using Npgsql;

namespace Wijkmeldingen.Web.Features.Wandelingen;

/// <summary>Photos of a walk for its public report (V64): stored re-encoded without metadata by
/// <see cref="Fotos.FotoVerwerker"/>, shown only once the published walk is over.</summary>
public static class WandelingFotos
{
    /// <summary>Most photos one walk report carries.</summary>
    public const int MaxAantal = 12;

    public sealed record Foto(long Id, string Beschrijving, int Breedte, int Hoogte);

    public static async Task<IReadOnlyList<Foto>> LijstAsync(NpgsqlConnection connection, long id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return (
            await connection.QueryAsync<Foto>(
                new CommandDefinition(
                    "SELECT id, beschrijving, breedte, hoogte FROM wandeling_foto WHERE wandeling_id = @id ORDER BY id",
                    new { id },
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();
    }

    /// <summary>The JPEG of a photo the public may see: its walk is published and over.</summary>
    public static async Task<byte[]?> PubliekAsync(NpgsqlDataSource dataSource, long id, long fotoId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<byte[]?>(
            new CommandDefinition(
                """
                SELECT f.jpeg FROM wandeling_foto f JOIN wandeling w ON w.id = f.wandeling_id
                WHERE f.id = @fotoId AND w.id = @id AND w.status = 'gepubliceerd'
                  AND w.begint_op + make_interval(mins => w.duur_minuten) <= now()
                """,
                new { id, fotoId },
                cancellationToken: cancellationToken
            )
        );
    }
}
