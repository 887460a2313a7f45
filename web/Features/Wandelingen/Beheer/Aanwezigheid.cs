using Dapper;
using Npgsql;

namespace Wijkmeldingen.Web.Features.Wandelingen.Beheer;

/// <summary>Who is on the walk: the organiser checks participants in by their code (or by name), adds
/// people who come without signing up, and takes people off again. Attendance (<c>aanwezig_op</c>),
/// not sign-ups, is what the walk's figures count (V64).</summary>
public static class Aanwezigheid
{
    /// <summary>Check-in opens this many hours before the start (organisers set up early).</summary>
    public const int OpentUrenVooraf = 2;

    public enum Uitkomst
    {
        Ingecheckt,
        AlIngecheckt,
        Onbekend,
        NietOpen,
    }

    /// <summary>A person on the check-in list; <see cref="AanwezigPersonen"/> is how many of the sign-up's
    /// people came (a sign-up for three of whom two came is checked in partly).</summary>
    public sealed record Persoon(long Id, string Naam, int AantalPersonen, string Soort, string? Code, bool Aanwezig, int AanwezigPersonen);

    public sealed record Resultaat(Uitkomst Uitkomst, string? Naam = null, int Personen = 0);

    /// <summary>Whether the organiser may check people in now: a published walk, from
    /// <see cref="OpentUrenVooraf"/> hours before its start (and afterwards, to correct the list until
    /// the sign-ups are deleted).</summary>
    public static bool IsOpen(WandelingPlanning.Wandeling wandeling, DateTimeOffset nu)
    {
        ArgumentNullException.ThrowIfNull(wandeling);
        return wandeling.Status == "gepubliceerd" && nu >= wandeling.Begin.AddHours(-OpentUrenVooraf);
    }

    /// <summary>Confirmed sign-ups (participants first, then the waitlist, who may come along when
    /// there is room on the day) and walk-ins; unconfirmed ones are not on the list.</summary>
    public static async Task<IReadOnlyList<Persoon>> LijstAsync(NpgsqlDataSource dataSource, long id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (
            await connection.QueryAsync<Persoon>(
                new CommandDefinition(
                    """
                    SELECT id, naam, aantal_personen AS aantalpersonen, soort, code, aanwezig_op IS NOT NULL AS aanwezig,
                           CASE WHEN aanwezig_op IS NULL THEN 0 ELSE coalesce(aanwezig_personen, aantal_personen) END AS aanwezigpersonen
                    FROM wandeling_aanmelding
                    WHERE wandeling_id = @id AND soort <> 'onbevestigd' AND (soort <> 'ter_plaatse' OR aanwezig_op IS NOT NULL)
                    ORDER BY array_position(ARRAY['deelnemer', 'wachtlijst', 'ter_plaatse'], soort), lower(naam), id
                    """,
                    new { id },
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();
    }

    /// <summary>Checks in the confirmed sign-up with this code (already normalised).</summary>
    public static async Task<Resultaat> MetCodeAsync(NpgsqlDataSource dataSource, long id, string code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await IncheckenAsync(
            connection,
            "wandeling_id = @id AND code = @code AND soort <> 'onbevestigd'",
            new { id, code },
            cancellationToken
        );
    }

    /// <summary>Checks in one confirmed sign-up of this walk by its row (the organiser taps a name).</summary>
    public static async Task<Resultaat> MetIdAsync(
        NpgsqlDataSource dataSource,
        long id,
        long aanmelding,
        CancellationToken cancellationToken,
        int? aantal = null
    )
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await IncheckenAsync(
            connection,
            "wandeling_id = @id AND id = @aanmelding AND soort <> 'onbevestigd'",
            new { id, aanmelding },
            cancellationToken,
            aantal
        );
    }

    private static async Task<Resultaat> IncheckenAsync(
        NpgsqlConnection connection,
        string waar,
        object parameters,
        CancellationToken cancellationToken,
        int? aantal = null
    )
    {
        var rij = await connection.QuerySingleOrDefaultAsync<(long Id, string Naam, int Personen, bool Aanwezig)?>(
            new CommandDefinition(
                $"SELECT id, naam, aantal_personen, aanwezig_op IS NOT NULL FROM wandeling_aanmelding WHERE {waar}",
                parameters,
                cancellationToken: cancellationToken
            )
        );
        if (rij is not { } r)
        {
            return new Resultaat(Uitkomst.Onbekend);
        }
        // All of the sign-up's people, unless the organiser said how many of them came.
        var personen = Math.Clamp(aantal ?? r.Personen, 1, r.Personen);
        var gezet = await connection.ExecuteAsync(
            new CommandDefinition(
                "UPDATE wandeling_aanmelding SET aanwezig_op = now(), aanwezig_personen = @personen WHERE id = @Id AND aanwezig_op IS NULL",
                new { r.Id, personen },
                cancellationToken: cancellationToken
            )
        );
        return new Resultaat(gezet == 1 ? Uitkomst.Ingecheckt : Uitkomst.AlIngecheckt, r.Naam, personen);
    }

    /// <summary>Sets how many of a sign-up's people are present (checking it in if it was not): 1 up
    /// to the people it was made for. Returns the name, or null (no such sign-up, or a number out of range).</summary>
    public static async Task<string?> AantalAsync(
        NpgsqlDataSource dataSource,
        long id,
        long aanmelding,
        int aantal,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<string?>(
            new CommandDefinition(
                """
                UPDATE wandeling_aanmelding SET aanwezig_personen = @aantal, aanwezig_op = coalesce(aanwezig_op, now())
                WHERE wandeling_id = @id AND id = @aanmelding AND soort <> 'onbevestigd' AND @aantal BETWEEN 1 AND aantal_personen
                RETURNING naam
                """,
                new
                {
                    id,
                    aanmelding,
                    aantal,
                },
                cancellationToken: cancellationToken
            )
        );
    }

    /// <summary>Adds people who came without signing up, present at once: a name only, no address;
    /// they hold no place (capacity is for sign-ups).</summary>
    public static async Task ToevoegenAsync(
        NpgsqlDataSource dataSource,
        long id,
        string naam,
        int personen,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(
            new CommandDefinition(
                """
                INSERT INTO wandeling_aanmelding (wandeling_id, naam, aantal_personen, soort, aanwezig_op, aanwezig_personen)
                VALUES (@id, @naam, @personen, 'ter_plaatse', now(), @personen)
                """,
                new
                {
                    id,
                    naam,
                    personen,
                },
                cancellationToken: cancellationToken
            )
        );
    }

    /// <summary>Takes someone off the walk: marked not present. A sign-up stays on the list (it can be
    /// checked in again); a walk-in leaves the list. Rows are not deleted here: deleting a row after the
    /// walk would freeze the attendance figure early (the V41/V64 trigger is for the retention clean-up),
    /// and the retention clean-up deletes them with the rest. Returns the name, or null.</summary>
    public static async Task<string?> VerwijderenAsync(
        NpgsqlDataSource dataSource,
        long id,
        long aanmelding,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<string?>(
            new CommandDefinition(
                """
                UPDATE wandeling_aanmelding SET aanwezig_op = NULL, aanwezig_personen = NULL
                WHERE wandeling_id = @id AND id = @aanmelding AND soort <> 'onbevestigd' RETURNING naam
                """,
                new { id, aanmelding },
                cancellationToken: cancellationToken
            )
        );
    }
}
