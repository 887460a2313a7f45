using Dapper;
using Npgsql;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Wijkbeeld;

/// <summary>The melders' satisfaction with handled reports of a wijk (melding_beoordeling, V13):
/// answers given in the period, and how many said "tevreden". Like every public figure: sensitive
/// categories never count, and below the suppression threshold no share is shown.</summary>
public static class Tevredenheid
{
    public sealed record Cijfer(long Antwoorden, long Tevreden)
    {
        /// <summary>The share satisfied in percent; null below the threshold (too few answers to show).</summary>
        public double? Aandeel(int drempel) => Antwoorden < Math.Max(1, drempel) ? null : Tevreden * 100.0 / Antwoorden;
    }

    public static Task<Cijfer> LaadAsync(NpgsqlConnection connection, string wijkcode, Periode periode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(periode);
        return connection.QuerySingleAsync<Cijfer>(
            new CommandDefinition(
                """
                SELECT count(*) AS antwoorden, count(*) FILTER (WHERE b.tevreden) AS tevreden
                FROM melding_beoordeling b JOIN melding m ON m.id = b.melding_id JOIN rubriek r ON r.id = m.rubriek_id
                WHERE m.wijk_code = @wijkcode AND b.tevreden IS NOT NULL AND r.openbaarheid <> 'verborgen'
                  AND b.gegeven_op >= (@van::timestamp AT TIME ZONE 'Europe/Amsterdam')
                  AND b.gegeven_op < (@einde::timestamp AT TIME ZONE 'Europe/Amsterdam')
                """,
                new
                {
                    wijkcode,
                    van = periode.Van,
                    einde = periode.Einde,
                },
                cancellationToken: cancellationToken
            )
        );
    }
}
