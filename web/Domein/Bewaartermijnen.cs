using Dapper;
using Npgsql;
using Wijkmeldingen.Web.Data;

namespace Wijkmeldingen.Web.Domein;

/// <summary>How long the personal data of a report is kept (privacy by design): contact details until
/// their <c>verwijderen_na</c>; followers of a closed report for wijk.bewaar_contact_dagen (90) after
/// closing; photos of a closed report for wijk.bewaar_foto_dagen (365; 0 keeps them); uploads of a
/// failed submit for a day. The last change of a closed report is its closing moment.</summary>
public static class Bewaartermijnen
{
    public const string Contactgegevens = "contactgegevens";
    public const string Volgers = "volgers";
    public const string Uploads = "uploads";
    public const string Fotos = "fotos";

    public static readonly OpschoonRegel ContactgegevensRegel = new(Contactgegevens, (connection, cancellationToken) =>
        connection.ExecuteAsync(
            new CommandDefinition("DELETE FROM melder_contact WHERE verwijderen_na < now()", cancellationToken: cancellationToken)
        )
    );

    public static readonly OpschoonRegel VolgersRegel = new(Volgers, (connection, cancellationToken) => connection.ExecuteAsync(
            new CommandDefinition(
                """
                DELETE FROM melding_volger v
                USING melding m JOIN meldingstatus s ON s.code = m.status
                WHERE v.melding_id = m.id AND s.gesloten
                  AND m.gewijzigd_op < now()
                      - make_interval(days => coalesce(nullif(current_setting('wijk.bewaar_contact_dagen', true), '')::int, 90))
                """,
                cancellationToken: cancellationToken
            )
        ));

    public static readonly OpschoonRegel UploadsRegel = new(Uploads, (connection, cancellationToken) =>
        connection.ExecuteAsync(
            new CommandDefinition(
                "DELETE FROM foto_upload WHERE aangemaakt_op < now() - interval '1 day'",
                cancellationToken: cancellationToken
            )
        )
    );

    /// <summary>Photos of reports closed longer than Database:BewaarFotoDagen ago.</summary>
    public static readonly OpschoonRegel FotosRegel = new(Fotos, (connection, cancellationToken) => connection.ExecuteAsync(
            new CommandDefinition(
                """
                DELETE FROM melding_foto f
                USING melding m JOIN meldingstatus s ON s.code = m.status
                WHERE f.melding_id = m.id AND s.gesloten
                  AND coalesce(nullif(current_setting('wijk.bewaar_foto_dagen', true), '')::int, 365) > 0
                  AND m.gewijzigd_op < now()
                      - make_interval(days => coalesce(nullif(current_setting('wijk.bewaar_foto_dagen', true), '')::int, 365))
                """,
                cancellationToken: cancellationToken
            )
        ));

    public static readonly IReadOnlyList<OpschoonRegel> Alle = [ContactgegevensRegel, VolgersRegel, UploadsRegel, FotosRegel];

    /// <summary>One rule on its own connection (tests, and a command that wants one rule now).</summary>
    public static async Task<int> EenKeerAsync(this OpschoonRegel regel, NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(regel);
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await regel.UitvoerenAsync(connection, cancellationToken);
    }
}
