using Dapper;
using Npgsql;
using Wijkmeldingen.Web.Data;

namespace Wijkmeldingen.Web.Features.Melding;

/// <summary>
/// The melders' demo step (development only): satisfaction answers on about a third of the handled
/// demo reports, spread over their history (one closed episode per move to 'afgehandeld', answered
/// within its period; "niet tevreden" answered by staff), and a few recent reopen requests ("nog
/// niet opgelost") that wait in the staff's monitoring list, given through the real answer path
/// (<see cref="Beoordeling.GevenAsync"/>). They belong to demo reports only, so they go with them.
/// </summary>
public static class MeldingDemo
{
    public const string Naam = "tevredenheid";

    /// <summary>Open reopen requests the step leaves for staff.</summary>
    public const int Heropenverzoeken = 4;

    public static readonly string[] Toelichtingen =
    [
        "De auto's staan er nog steeds, er is niets veranderd.",
        "Er is een keer gekeken, maar de overlast gaat gewoon door.",
        "Ik heb geen uitleg gekregen wat er precies is gedaan.",
        "Het is een week rustig geweest, nu begint het weer.",
    ];

    public static DemoStap Stap(IServiceProvider _) => new(Naam, 40, VulAsync);

    public static async Task<int> VulAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (
            await connection.ExecuteScalarAsync<bool>(
                new CommandDefinition(
                    "SELECT EXISTS (SELECT 1 FROM melding_beoordeling b JOIN melding m ON m.id = b.melding_id WHERE m.is_demo)",
                    transaction: transaction,
                    cancellationToken: cancellationToken
                )
            )
        )
        {
            return 0;
        }
        // Answers in the past: the episode's period, the answer a day or three after handling.
        var rijen = await connection.ExecuteAsync(
            new CommandDefinition(
                """
                WITH afgehandeld AS (
                    SELECT DISTINCT ON (m.id) m.id AS melding_id, h.id AS historie_id, h.tijdstip, random() AS u, random() AS v
                    FROM melding m JOIN melding_historie h ON h.melding_id = m.id AND h.naar_status = 'afgehandeld'
                    WHERE m.is_demo AND m.status = 'afgehandeld' AND h.tijdstip < now() - interval '3 days'
                    ORDER BY m.id, h.tijdstip DESC
                )
                INSERT INTO melding_beoordeling (melding_id, historie_id, sleutel_hash, geldig_tot, tevreden, toelichting, gegeven_op,
                                                 verzoek_status, antwoord, behandeld_door, behandeld_op, aangemaakt_op)
                SELECT melding_id, historie_id, sha256(gen_random_bytes(32)), tijdstip + interval '14 days',
                       v < 0.75,
                       CASE WHEN v >= 0.75 THEN (@toelichtingen::text[])[1 + floor(u * 4)::int]
                            WHEN u < 0.3 THEN 'Snel en netjes opgelost, dank!' END,
                       tijdstip + make_interval(hours => 20 + floor(u * 50)::int),
                       CASE WHEN v >= 0.75 THEN 'beantwoord' END,
                       CASE WHEN v >= 0.75 THEN 'We hebben opnieuw gekeken. Dit valt buiten wat wij kunnen doen; we hebben u '
                                                || 'doorverwezen naar de juiste partner.' END,
                       CASE WHEN v >= 0.75 THEN 'Demo Wijkprofessional' END,
                       CASE WHEN v >= 0.75 THEN tijdstip + make_interval(days => 4 + floor(u * 3)::int) END,
                       tijdstip
                FROM afgehandeld
                WHERE u < 0.35
                """,
                new { toelichtingen = Toelichtingen },
                transaction,
                commandTimeout: 0,
                cancellationToken: cancellationToken
            )
        );

        // Recent reopen requests, open for staff: an episode on the latest handled reports, answered
        // "niet tevreden" the way a melder does it.
        var episodes = (
            await connection.QueryAsync<long>(
                new CommandDefinition(
                    """
                    WITH laatste AS (
                        SELECT DISTINCT ON (m.id) m.id AS melding_id, h.id AS historie_id, h.tijdstip
                        FROM melding m JOIN melding_historie h ON h.melding_id = m.id AND h.naar_status = 'afgehandeld'
                        WHERE m.is_demo AND m.status = 'afgehandeld'
                          AND NOT EXISTS (SELECT 1 FROM melding_beoordeling b WHERE b.melding_id = m.id)
                        ORDER BY m.id, h.tijdstip DESC
                    ), gekozen AS (
                        SELECT * FROM laatste ORDER BY tijdstip DESC, melding_id LIMIT @aantal
                    )
                    INSERT INTO melding_beoordeling (melding_id, historie_id, sleutel_hash, geldig_tot, aangemaakt_op)
                    SELECT melding_id, historie_id, sha256(gen_random_bytes(32)),
                           greatest(tijdstip + interval '14 days', now() + interval '1 day'), tijdstip
                    FROM gekozen
                    RETURNING id
                    """,
                    new { aantal = Heropenverzoeken },
                    transaction,
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();
        for (var i = 0; i < episodes.Count; i++)
        {
            if (await Beoordeling.GevenAsync(connection, episodes[i], false, Toelichtingen[i % Toelichtingen.Length], cancellationToken))
            {
                rijen++;
            }
        }
        return rijen;
    }
}
