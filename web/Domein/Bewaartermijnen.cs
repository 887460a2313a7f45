using Dapper;
using Npgsql;
using Wijkmeldingen.Web.Data;

namespace Wijkmeldingen.Web.Domein;

/// <summary>How long the personal data of a report is kept (privacy by design): contact details until
/// their <c>verwijderen_na</c>; followers of a closed report for wijk.bewaar_contact_dagen (90) after
/// closing; photos of a closed report for wijk.bewaar_foto_dagen (365; 0 keeps them); uploads of a
/// failed submit for a day; a withdrawn report for Database:BewaarIngetrokkenDagen (365), then it is
/// deleted; a handled report for Database:AnonimiseerNaJaren (5), then it is anonymised. The last change
/// of a closed report is its closing moment. <see cref="Makers"/> make every rule with its term from
/// the options, as the clean-up job runs them and the privacy statement shows them.</summary>
public static class Bewaartermijnen
{
    public const string Contactgegevens = "contactgegevens";
    public const string Volgers = "volgers";
    public const string Uploads = "uploads";
    public const string Fotos = "fotos";
    public const string Ingetrokken = "ingetrokken";
    public const string Anonimiseren = "anonimiseren";

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

    /// <summary>Every rule of a report's personal data, made with its term from the options (the same
    /// options the database connection passes on to the SQL) on a clock: DomeinSetup registers each.</summary>
    public static readonly IReadOnlyList<Func<DatabaseOptions, TimeProvider, OpschoonRegel>> Makers =
    [
        (o, _) => ContactgegevensRegel with { Termijn = new(Contactgegevens, o.BewaarContactDagen) },
        (o, _) => VolgersRegel with { Termijn = new(Volgers, o.BewaarContactDagen) },
        (_, _) => UploadsRegel with { Termijn = new(Uploads, 1) },
        (o, _) => FotosRegel with { Termijn = new(Fotos, o.BewaarFotoDagen) },
        IngetrokkenRegel,
        AnonimiserenRegel,
    ];

    /// <summary>Reports withdrawn by their melder more than Database:BewaarIngetrokkenDagen ago are
    /// deleted with all that hangs on them (the foreign keys cascade), after the free texts and exact
    /// places of their audit rows are blanked; reports marked as their duplicate lose the link.</summary>
    public static OpschoonRegel IngetrokkenRegel(DatabaseOptions opties, TimeProvider klok)
    {
        ArgumentNullException.ThrowIfNull(opties);
        ArgumentNullException.ThrowIfNull(klok);
        var dagen = opties.BewaarIngetrokkenDagen;
        return new OpschoonRegel(
            Ingetrokken,
            async (connection, cancellationToken) =>
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                var ids = (
                    await connection.QueryAsync<long>(
                        new CommandDefinition(
                            """
                            SELECT id FROM melding
                            WHERE status = 'ingetrokken' AND gewijzigd_op < @nu - make_interval(days => @dagen)
                            ORDER BY id LIMIT 5000
                            FOR UPDATE SKIP LOCKED
                            """,
                            new { nu = klok.GetUtcNow(), dagen },
                            transaction,
                            cancellationToken: cancellationToken
                        )
                    )
                ).AsList();
                if (ids.Count == 0)
                {
                    return 0;
                }
                await connection.ExecuteAsync(
                    new CommandDefinition(
                        """
                        UPDATE melding SET hoofdmelding_id = NULL WHERE hoofdmelding_id = ANY (@ids)
                        """,
                        new { ids },
                        transaction,
                        cancellationToken: cancellationToken
                    )
                );
                // The audit rows outlive the report: its texts and exact place leave them first
                // (audit_anonimiseren, V69, blanks only the rows of reports marked anonymised).
                await connection.ExecuteAsync(
                    new CommandDefinition(
                        """
                        UPDATE melding SET geanonimiseerd_op = @nu WHERE id = ANY (@ids);
                        SELECT audit_anonimiseren(@ids);
                        DELETE FROM mail_outbox WHERE melding_id = ANY (@ids);
                        """,
                        new { ids, nu = klok.GetUtcNow() },
                        transaction,
                        cancellationToken: cancellationToken
                    )
                );
                var verwijderd = await connection.ExecuteAsync(
                    new CommandDefinition(
                        "DELETE FROM melding WHERE id = ANY (@ids)",
                        new { ids },
                        transaction,
                        cancellationToken: cancellationToken
                    )
                );
                await transaction.CommitAsync(cancellationToken);
                return verwijderd;
            },
            new Bewaartermijn(Ingetrokken, dagen)
        );
    }

    /// <summary>Reports closed (afgehandeld, afgewezen) more than Database:AnonimiseerNaJaren ago are
    /// anonymised: the description, public description and business name emptied; additions, staff notes,
    /// photos, contact details, followers and the answers to the category's questions deleted; satisfaction
    /// remarks and answers, request explanations, messages to the melder and forwards to outside parties
    /// emptied, and so are the free texts and exact places in the report's audit rows
    /// (audit_anonimiseren, V69: who did what and when stays); the place moved to a
    /// point inside the buurt (ST_PointOnSurface), so the buurt, wijk, category, times, status and history
    /// rows stay and the statistics (wijkbeeld_maand) do not change. The private link stops working.</summary>
    public static OpschoonRegel AnonimiserenRegel(DatabaseOptions opties, TimeProvider klok)
    {
        ArgumentNullException.ThrowIfNull(opties);
        ArgumentNullException.ThrowIfNull(klok);
        var jaren = opties.AnonimiseerNaJaren;
        return new OpschoonRegel(
            Anonimiseren,
            async (connection, cancellationToken) =>
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                var nu = klok.GetUtcNow();
                var ids = (
                    await connection.QueryAsync<long>(
                        new CommandDefinition(
                            """
                            SELECT m.id FROM melding m JOIN meldingstatus s ON s.code = m.status
                            WHERE s.gesloten AND m.status <> 'ingetrokken' AND m.geanonimiseerd_op IS NULL
                              AND m.gewijzigd_op < @nu - make_interval(years => @jaren)
                            ORDER BY m.id LIMIT 5000
                            FOR UPDATE OF m SKIP LOCKED
                            """,
                            new { nu, jaren },
                            transaction,
                            cancellationToken: cancellationToken
                        )
                    )
                ).AsList();
                if (ids.Count == 0)
                {
                    return 0;
                }
                await AnonimiseerAsync(connection, transaction, ids, nu, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return ids.Count;
            },
            new Bewaartermijn(Anonimiseren, jaren, TermijnEenheid.Jaren)
        );
    }

    /// <summary>The one anonymisation of reports (the retention rule above and the erasure at the melder's
    /// request, <see cref="PersoonsgegevensWissen"/>), in the caller's transaction: see
    /// <see cref="AnonimiserenRegel"/> for what goes and what stays.</summary>
    public static async Task AnonimiseerAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        IReadOnlyList<long> ids,
        DateTimeOffset nu,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(ids);
        await connection.ExecuteAsync(
            new CommandDefinition(
                """
                UPDATE melding m SET geanonimiseerd_op = @nu, omschrijving = '', omschrijving_publiek = NULL,
                       bedrijfsnaam = NULL, idempotentie_sleutel = NULL, melder_sleutel_hash = NULL,
                       locatie = (SELECT ST_PointOnSurface(b.geom) FROM buurt b WHERE b.code = m.buurt_code)
                WHERE m.id = ANY (@ids);
                DELETE FROM melding_foto WHERE melding_id = ANY (@ids);
                DELETE FROM melding_aanvulling WHERE melding_id = ANY (@ids);
                DELETE FROM melding_notitie WHERE melding_id = ANY (@ids);
                DELETE FROM melder_contact WHERE melding_id = ANY (@ids);
                DELETE FROM melding_volger WHERE melding_id = ANY (@ids);
                DELETE FROM mail_outbox WHERE melding_id = ANY (@ids);
                DELETE FROM melding_antwoord WHERE melding_id = ANY (@ids);
                UPDATE melding_beoordeling SET toelichting = NULL, antwoord = NULL
                WHERE melding_id = ANY (@ids) AND (toelichting IS NOT NULL OR antwoord IS NOT NULL);
                UPDATE melding_verzoek SET toelichting = NULL WHERE melding_id = ANY (@ids) AND toelichting IS NOT NULL;
                UPDATE melding_historie SET bericht = NULL WHERE melding_id = ANY (@ids) AND bericht IS NOT NULL;
                UPDATE melding_doorsturing SET email = '', bericht = NULL, antwoord = NULL, beantwoord_door = NULL,
                       geanonimiseerd = true
                WHERE melding_id = ANY (@ids) AND NOT geanonimiseerd;
                SELECT audit_anonimiseren(@ids);
                """,
                new { ids = ids.ToArray(), nu },
                transaction,
                cancellationToken: cancellationToken
            )
        );
    }

    /// <summary>One rule on its own connection (tests, and a command that wants one rule now).</summary>
    public static async Task<int> EenKeerAsync(this OpschoonRegel regel, NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(regel);
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await regel.UitvoerenAsync(connection, cancellationToken);
    }
}
