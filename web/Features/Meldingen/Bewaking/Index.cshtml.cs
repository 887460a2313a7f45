using Dapper;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Npgsql;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Meldingen.Bewaking;

/// <summary>/beheer/signalering: open reports past their handling target (oldest target first) and
/// melders' requests that wait for staff.</summary>
public sealed class IndexModel(NpgsqlDataSource dataSource) : PageModel
{
    public const int Maximum = 200;

    public sealed record TeLaat(
        long Id,
        string Volgcode,
        string Rubriek,
        string StatusNaam,
        string BuurtNaam,
        DateTime Streefdatum,
        string? Behandelaar
    );

    public sealed record Verzoek(long MeldingId, string Volgcode, string Soort, DateTime AangemaaktOp);

    public IReadOnlyList<TeLaat> Meldingen { get; private set; } = [];
    public int AantalTeLaat { get; private set; }
    public IReadOnlyList<Verzoek> Verzoeken { get; private set; } = [];

    /// <summary>A reopen request waiting for staff: from the melder's "niet tevreden" (<c>Bewoner</c> false) or
    /// from any resident's "Nog niet opgelost" (<c>Bewoner</c> true, issue 18).</summary>
    public sealed record Heropenverzoek(
        long MeldingId,
        string Volgcode,
        string Rubriek,
        string? Toelichting,
        DateTime GegevenOp,
        bool Bewoner
    );

    /// <summary>Melders' "niet tevreden" answers that staff have not accepted or answered yet.</summary>
    public IReadOnlyList<Heropenverzoek> Heropenverzoeken { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // The status list matches the partial index melding_streefdatum_open_idx.
        Meldingen = (
            await connection.QueryAsync<TeLaat>(
                new CommandDefinition(
                    """
                    SELECT m.id, m.volgcode, in_taal(r.naam, r.naam_en, @taal) AS rubriek, in_taal(s.naam, s.naam_en, @taal) AS statusnaam,
                           b.naam AS buurtnaam, m.streefdatum,
                           coalesce(mw.naam, tm.naam) AS behandelaar
                    FROM melding m
                    JOIN rubriek r ON r.id = m.rubriek_id
                    JOIN meldingstatus s ON s.code = m.status
                    JOIN buurt b ON b.code = m.buurt_code
                    LEFT JOIN medewerker mw ON mw.id = m.toegewezen_aan
                    LEFT JOIN team tm ON tm.id = m.team_id
                    WHERE m.status IN ('gemeld', 'in-behandeling', 'doorgezet', 'heropend') AND m.streefdatum < now()
                    ORDER BY m.streefdatum, m.id
                    LIMIT @Maximum
                    """,
                    new { Maximum, taal = Taal.Code },
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();
        AantalTeLaat = await connection.ExecuteScalarAsync<int>(
            new CommandDefinition(
                """
                SELECT count(*) FROM melding
                    WHERE status IN ('gemeld', 'in-behandeling', 'doorgezet', 'heropend') AND streefdatum < now()
                """,
                cancellationToken: cancellationToken
            )
        );
        Verzoeken = (
            await connection.QueryAsync<Verzoek>(
                new CommandDefinition(
                    """
                    SELECT v.melding_id AS meldingid, m.volgcode, v.soort, v.aangemaakt_op AS aangemaaktop
                    FROM melding_verzoek v JOIN melding m ON m.id = v.melding_id
                    WHERE v.afgehandeld_op IS NULL
                    ORDER BY v.aangemaakt_op
                    LIMIT @Maximum
                    """,
                    new { Maximum },
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();
        Heropenverzoeken = (
            await connection.QueryAsync<Heropenverzoek>(
                new CommandDefinition(
                    """
                    SELECT * FROM (
                        SELECT b.melding_id AS meldingid, m.volgcode, in_taal(r.naam, r.naam_en, @taal) AS rubriek, b.toelichting,
                               b.gegeven_op AS gegevenop, false AS bewoner
                        FROM melding_beoordeling b JOIN melding m ON m.id = b.melding_id JOIN rubriek r ON r.id = m.rubriek_id
                        WHERE b.verzoek_status = 'open'
                        UNION ALL
                        SELECT h.melding_id, m.volgcode, in_taal(r.naam, r.naam_en, @taal), h.toelichting, h.gegeven_op, true
                        FROM melding_heropenverzoek h JOIN melding m ON m.id = h.melding_id JOIN rubriek r ON r.id = m.rubriek_id
                        WHERE h.status = 'open'
                    ) v
                    ORDER BY gegevenop
                    LIMIT @Maximum
                    """,
                    new { Maximum, taal = Taal.Code },
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();
    }
}
