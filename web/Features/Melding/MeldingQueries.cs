using System.Security.Cryptography;
using Dapper;
using Npgsql;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Melding;

/// <summary>Reading one report: the public view (no contact details, place coarsened by category)
/// and the melder's own view through the private link.</summary>
public static class MeldingQueries
{
    public sealed record Publiek(
        long Id,
        string Volgcode,
        string Rubriek,
        string RubriekCode,
        string Thema,
        string Openbaarheid,
        string Status,
        string StatusNaam,
        bool Gesloten,
        DateTime AangemaaktOp,
        string BuurtNaam,
        string WijkNaam,
        double? Lat,
        double? Lon,
        string? PubliekeTekst,
        int SteunAantal
    );

    public sealed record Stap(string NaarStatus, string StatusNaam, string? Bericht, DateTime Tijdstip);

    public sealed record Eigen(
        string Omschrijving,
        string? Email,
        IReadOnlyList<long> Fotos,
        IReadOnlyList<(string Tekst, DateTime Op)> Aanvullingen
    );

    public static async Task<Publiek?> LaadPubliekAsync(
        NpgsqlConnection connection,
        string code,
        CancellationToken cancellationToken,
        int raster = 25
    )
    {
        ArgumentNullException.ThrowIfNull(connection);
        // The public place comes from publiek_punt (db/migrations/V8): the same coarsening as the map.
        return await connection.QuerySingleOrDefaultAsync<Publiek>(
            new CommandDefinition(
                """
                SELECT m.id, m.volgcode, in_taal(r.naam, r.naam_en, @taal) AS rubriek, r.code AS rubriekcode,
                       in_taal(t.naam, t.naam_en, @taal) AS thema, r.openbaarheid,
                       m.status, in_taal(s.naam, s.naam_en, @taal) AS statusnaam, s.gesloten, m.aangemaakt_op AS aangemaaktop,
                       b.naam AS buurtnaam, w.naam AS wijknaam,
                       ST_Y(p.punt) AS lat, ST_X(p.punt) AS lon,
                       publieke_omschrijving(m.omschrijving, m.omschrijving_publiek, m.omschrijving_verborgen,
                           r.openbaarheid) AS publieketekst,
                       m.steun_aantal AS steunaantal
                FROM melding m
                JOIN rubriek r ON r.id = m.rubriek_id
                JOIN thema t ON t.id = r.thema_id
                JOIN meldingstatus s ON s.code = m.status
                JOIN buurt b ON b.code = m.buurt_code
                JOIN wijk w ON w.code = m.wijk_code
                CROSS JOIN LATERAL (SELECT ST_Transform(publiek_punt(m.locatie, r.openbaarheid, @raster), 4326) AS punt) p
                WHERE m.volgcode = @code
                """,
                new
                {
                    code,
                    raster = (double)raster,
                    taal = Taal.Code,
                },
                cancellationToken: cancellationToken
            )
        );
    }

    public static async Task<IReadOnlyList<Stap>> LaadHistorieAsync(
        NpgsqlConnection connection,
        long id,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(connection);
        var rows = await connection.QueryAsync<Stap>(
            new CommandDefinition(
                """
                SELECT h.naar_status AS naarstatus, in_taal(s.naam, s.naam_en, @taal) AS statusnaam, h.bericht, h.tijdstip
                FROM melding_historie h
                JOIN meldingstatus s ON s.code = h.naar_status
                WHERE h.melding_id = @id
                ORDER BY h.tijdstip, h.id
                """,
                new { id, taal = Taal.Code },
                cancellationToken: cancellationToken
            )
        );
        return rows.AsList();
    }

    /// <summary>Ids of the photos the public may see: not hidden by staff, of a non-sensitive category.</summary>
    public static async Task<IReadOnlyList<long>> PubliekeFotosAsync(
        NpgsqlConnection connection,
        long id,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(connection);
        var rows = await connection.QueryAsync<long>(
            new CommandDefinition(
                """
                SELECT f.id FROM melding_foto f JOIN melding m ON m.id = f.melding_id JOIN rubriek r ON r.id = m.rubriek_id
                WHERE f.melding_id = @id AND NOT f.verborgen AND r.openbaarheid <> 'verborgen' AND m.status <> 'ingetrokken'
                ORDER BY f.id
                """,
                new { id },
                cancellationToken: cancellationToken
            )
        );
        return rows.AsList();
    }

    /// <summary>One public photo (see <see cref="PubliekeFotosAsync"/>) by tracking code and id.</summary>
    public static Task<byte[]?> PubliekeFotoAsync(
        NpgsqlConnection connection,
        string code,
        long fotoId,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(connection);
        return connection.QuerySingleOrDefaultAsync<byte[]?>(
            new CommandDefinition(
                """
                SELECT f.jpeg FROM melding_foto f JOIN melding m ON m.id = f.melding_id JOIN rubriek r ON r.id = m.rubriek_id
                WHERE f.id = @fotoId AND m.volgcode = @code AND NOT f.verborgen
                    AND r.openbaarheid <> 'verborgen' AND m.status <> 'ingetrokken'
                """,
                new { code, fotoId },
                cancellationToken: cancellationToken
            )
        );
    }

    /// <summary>The report's id when <paramref name="sleutel"/> is its private-link token; compared
    /// in constant time.</summary>
    public static async Task<long?> ControleerSleutelAsync(
        NpgsqlConnection connection,
        string code,
        string? sleutel,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (string.IsNullOrEmpty(sleutel) || sleutel.Length > 100)
        {
            return null;
        }
        var rij = await connection.QuerySingleOrDefaultAsync<(long Id, byte[]? Hash)?>(
            new CommandDefinition(
                "SELECT id, melder_sleutel_hash FROM melding WHERE volgcode = @code",
                new { code },
                cancellationToken: cancellationToken
            )
        );
        if (rij is not { Hash: { } hash } gevonden)
        {
            return null;
        }
        return CryptographicOperations.FixedTimeEquals(hash, Sleutels.Hash(sleutel)) ? gevonden.Id : null;
    }

    public static async Task<Eigen> LaadEigenAsync(NpgsqlConnection connection, long id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var omschrijving = await connection.QuerySingleAsync<string>(
            new CommandDefinition("SELECT omschrijving FROM melding WHERE id = @id", new { id }, cancellationToken: cancellationToken)
        );
        var email = await connection.QuerySingleOrDefaultAsync<string?>(
            new CommandDefinition(
                "SELECT email FROM melder_contact WHERE melding_id = @id",
                new { id },
                cancellationToken: cancellationToken
            )
        );
        var fotos = await connection.QueryAsync<long>(
            new CommandDefinition(
                "SELECT id FROM melding_foto WHERE melding_id = @id ORDER BY id",
                new { id },
                cancellationToken: cancellationToken
            )
        );
        var aanvullingen = await connection.QueryAsync<(string, DateTime)>(
            new CommandDefinition(
                "SELECT tekst, aangemaakt_op FROM melding_aanvulling WHERE melding_id = @id ORDER BY aangemaakt_op",
                new { id },
                cancellationToken: cancellationToken
            )
        );
        return new Eigen(omschrijving, email, fotos.AsList(), aanvullingen.AsList());
    }
}
