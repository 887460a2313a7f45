using System.Security.Claims;
using Dapper;
using Npgsql;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Wijkbeeld.Beheer.Signalen;

/// <summary>Reading and acknowledging the alerts of <see cref="WijkSignalen"/>.</summary>
public static class SignalenLijst
{
    public sealed record Signaal(
        long Id,
        string Soort,
        string Omschrijving,
        string BuurtNaam,
        string WijkNaam,
        string? TeamNaam,
        int Aantal,
        DateTime AangemaaktOp,
        bool Actief,
        DateTime? GezienOp,
        string? GezienDoor,
        double Lat,
        double Lon
    );

    /// <summary>Open (not yet seen) alerts for this staff member: those of their team, or all when
    /// they have no team or are a beheerder. Newest first.</summary>
    public static async Task<IReadOnlyList<Signaal>> OpenAsync(
        NpgsqlConnection connection,
        ClaimsPrincipal user,
        int maximum,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(user);
        return await LijstAsync(connection, user, "s.gezien_op IS NULL", maximum, cancellationToken);
    }

    /// <summary>Alerts marked as seen, newest first.</summary>
    public static Task<IReadOnlyList<Signaal>> GezienAsync(
        NpgsqlConnection connection,
        ClaimsPrincipal user,
        int maximum,
        CancellationToken cancellationToken
    ) => LijstAsync(connection, user, "s.gezien_op IS NOT NULL", maximum, cancellationToken);

    // Which alerts a staff member sees: a beheerder all; others those of their team, of no team, or
    // every alert when they have no team themselves.
    private const string Zichtbaar = """
        AND (@alle OR s.team_id IS NULL
             OR NOT EXISTS (SELECT 1 FROM medewerker m WHERE m.id = @id AND m.team_id IS NOT NULL)
             OR s.team_id = (SELECT m.team_id FROM medewerker m WHERE m.id = @id))
        """;

    /// <summary>How many open alerts the staff member sees on /beheer/signalen (the start page's workload).</summary>
    public static async Task<int> TelOpenAsync(NpgsqlConnection connection, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(user);
        return await connection.ExecuteScalarAsync<int>(
            new CommandDefinition(
                $"SELECT count(*) FROM wijk_signaal s WHERE s.gezien_op IS NULL {Zichtbaar}",
                new { alle = user.IsInRole(Rollen.Beheerder), id = Actor.Van(user).Id },
                cancellationToken: cancellationToken
            )
        );
    }

    private static async Task<IReadOnlyList<Signaal>> LijstAsync(
        NpgsqlConnection connection,
        ClaimsPrincipal user,
        string voorwaarde,
        int maximum,
        CancellationToken cancellationToken
    )
    {
        var actor = Actor.Van(user);
        var alle = user.IsInRole(Rollen.Beheerder);
        // The condition is one of two constants above, never input.
        var sql = $"""
            SELECT s.id, s.soort, s.omschrijving, b.naam AS buurtnaam, w.naam AS wijknaam, t.naam AS teamnaam, s.aantal,
                   s.aangemaakt_op AS aangemaaktop, s.actief, s.gezien_op AS gezienop, s.gezien_door AS geziendoor,
                   ST_Y(ST_Transform(s.locatie, 4326)) AS lat, ST_X(ST_Transform(s.locatie, 4326)) AS lon
            FROM wijk_signaal s
            JOIN buurt b ON b.code = s.buurt_code
            JOIN wijk w ON w.code = s.wijk_code
            LEFT JOIN team t ON t.id = s.team_id
            WHERE {voorwaarde}
              {Zichtbaar}
            ORDER BY s.aangemaakt_op DESC, s.id DESC
            LIMIT @maximum
            """;
        return (
            await connection.QueryAsync<Signaal>(
                new CommandDefinition(
                    sql,
                    new
                    {
                        alle,
                        id = actor.Id,
                        maximum,
                    },
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();
    }
}
