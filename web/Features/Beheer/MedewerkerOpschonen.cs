using Dapper;
using Wijkmeldingen.Web.Data;

namespace Wijkmeldingen.Web.Features.Beheer;

/// <summary>Retention of staff accounts: an account switched off more than
/// Beheer:GedeactiveerdBewarenDagen ago (medewerker.gedeactiveerd_op, kept by a trigger, V69) loses its
/// name, e-mail address, password hash, two-step key and roles; the row stays (as "Voormalig medewerker")
/// so assignments and the audit trail still point at one account. 0 days: no term.</summary>
public static class MedewerkerOpschonen
{
    public const string Gegevens = "medewerkers";
    public const string Naam = "Voormalig medewerker";

    public static OpschoonRegel Regel(BeheerOptions opties, TimeProvider klok)
    {
        ArgumentNullException.ThrowIfNull(opties);
        ArgumentNullException.ThrowIfNull(klok);
        var dagen = opties.GedeactiveerdBewarenDagen;
        return new OpschoonRegel(
            "gedeactiveerde medewerkers",
            async (connection, cancellationToken) =>
            {
                if (dagen == 0)
                {
                    return 0;
                }
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                var ids = (
                    await connection.QueryAsync<Guid>(
                        new CommandDefinition(
                            """
                            UPDATE medewerker SET naam = @naam,
                                   email = 'verwijderd-' || id || '@verwijderd.invalid',
                                   email_genormaliseerd = upper('verwijderd-' || id || '@verwijderd.invalid'),
                                   wachtwoord_hash = NULL, authenticator_sleutel = NULL, tweestaps_actief = false,
                                   security_stamp = md5(random()::text), concurrency_stamp = md5(random()::text),
                                   geanonimiseerd_op = @nu
                            WHERE NOT actief AND geanonimiseerd_op IS NULL
                              AND gedeactiveerd_op < @nu - make_interval(days => @dagen)
                            RETURNING id
                            """,
                            new
                            {
                                naam = Naam,
                                nu = klok.GetUtcNow(),
                                dagen,
                            },
                            transaction,
                            cancellationToken: cancellationToken
                        )
                    )
                ).AsList();
                if (ids.Count > 0)
                {
                    await connection.ExecuteAsync(
                        new CommandDefinition(
                            "DELETE FROM medewerker_rol WHERE medewerker_id = ANY (@ids)",
                            new { ids },
                            transaction,
                            cancellationToken: cancellationToken
                        )
                    );
                }
                await transaction.CommitAsync(cancellationToken);
                return ids.Count;
            },
            new Bewaartermijn(Gegevens, dagen)
        );
    }
}
