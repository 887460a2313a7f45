using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Maatregelen;

/// <summary>The figures of /wat-gebeurt-er: reported against handled (last 7 days, all time), median
/// days to handle per category, and the melders' satisfaction. Like every public figure: sensitive
/// categories and withdrawn reports never count, and counts below the threshold are suppressed
/// (and what is derived from them left out).</summary>
public sealed class Afhandeling(NpgsqlDataSource dataSource, IOptions<GemeenteProfiel> profiel, IOptions<MaatregelenOptions> opties)
{
    public sealed record Rubriek(string Naam, Aantal Afgehandeld, double? MediaanDagen);

    public sealed record Cijfers(
        Aantal GemeldWeek,
        Aantal AfgehandeldWeek,
        Aantal GemeldTotaal,
        Aantal AfgehandeldTotaal,
        IReadOnlyList<Rubriek> Rubrieken,
        Aantal Antwoorden,
        double? AandeelTevreden
    );

    public int Drempel => opties.Value.Drempel;

    private sealed record Totalen(
        long GemeldWeek,
        long AfgehandeldWeek,
        long GemeldTotaal,
        long AfgehandeldTotaal,
        long Antwoorden,
        long Tevreden
    );

    private sealed record RubriekRij(string Naam, long Afgehandeld, double? MediaanDagen);

    public async Task<Cijfers> LaadAsync(CancellationToken cancellationToken)
    {
        var drempel = opties.Value.Drempel;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var parameters = new { gemeente = profiel.Value.CbsCode, taal = Taal.Code };
        // Per public report of the municipality: when it was filed and when it was first handled.
        const string basis = """
            WITH m AS (
                SELECT me.id, me.rubriek_id, me.aangemaakt_op,
                       (SELECT min(h.tijdstip) FROM melding_historie h WHERE h.melding_id = me.id AND h.naar_status = 'afgehandeld')
                           AS afgehandeld_op
                FROM melding me
                JOIN rubriek r ON r.id = me.rubriek_id
                JOIN wijk w ON w.code = me.wijk_code
                WHERE w.gemeente_code = @gemeente AND r.openbaarheid <> 'verborgen' AND me.status <> 'ingetrokken'
            )
            """;
        var totalen = await connection.QuerySingleAsync<Totalen>(
            new CommandDefinition(
                basis
                    + """
                    SELECT count(*) FILTER (WHERE aangemaakt_op >= now() - interval '7 days') AS gemeldweek,
                           count(*) FILTER (WHERE afgehandeld_op >= now() - interval '7 days') AS afgehandeldweek,
                           count(*) AS gemeldtotaal,
                           count(afgehandeld_op) AS afgehandeldtotaal,
                           (SELECT count(*) FROM melding_beoordeling b JOIN m ON m.id = b.melding_id WHERE b.tevreden IS NOT NULL)
                               AS antwoorden,
                           (SELECT count(*) FROM melding_beoordeling b JOIN m ON m.id = b.melding_id WHERE b.tevreden) AS tevreden
                    FROM m
                    """,
                parameters,
                cancellationToken: cancellationToken
            )
        );
        var rubrieken = (
            await connection.QueryAsync<RubriekRij>(
                new CommandDefinition(
                    basis
                        + """
                        SELECT in_taal(r.naam, r.naam_en, @taal) AS naam, count(m.afgehandeld_op) AS afgehandeld,
                               percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM m.afgehandeld_op - m.aangemaakt_op) / 86400)
                                   AS mediaandagen
                        FROM m JOIN rubriek r ON r.id = m.rubriek_id
                        GROUP BY 1
                        ORDER BY 1
                        """,
                    parameters,
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();
        var antwoorden = Onderdrukking.Los(totalen.Antwoorden, drempel);
        return new Cijfers(
            Onderdrukking.Los(totalen.GemeldWeek, drempel),
            Onderdrukking.Los(totalen.AfgehandeldWeek, drempel),
            Onderdrukking.Los(totalen.GemeldTotaal, drempel),
            Onderdrukking.Los(totalen.AfgehandeldTotaal, drempel),
            rubrieken
                .Select(r =>
                {
                    var aantal = Onderdrukking.Los(r.Afgehandeld, drempel);
                    return new Rubriek(
                        r.Naam,
                        aantal,
                        aantal.Onderdrukt || r.MediaanDagen is null ? null : Math.Round(r.MediaanDagen.Value, 1)
                    );
                })
                .ToList(),
            antwoorden,
            antwoorden.Onderdrukt || totalen.Antwoorden == 0 ? null : totalen.Tevreden * 100.0 / totalen.Antwoorden
        );
    }
}
