using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Wijkbeeld;

// Rows with arrays are classes with settable properties: Npgsql reports array columns as
// System.Array, which Dapper matches to properties but not to constructor parameters.

/// <summary>Rolled-up figures of one category in an area: this period and the one before.</summary>
public sealed class RubriekRij
{
    public string PrioriteitCode { get; init; } = "";
    public string PrioriteitNaam { get; init; } = "";
    public string ThemaCode { get; init; } = "";
    public string ThemaNaam { get; init; } = "";
    public string RubriekCode { get; init; } = "";
    public string RubriekNaam { get; init; } = "";
    public long Aantal { get; init; }
    public long Vorig { get; init; }
    public long Gesloten { get; init; }
    public long Heropend { get; init; }

    /// <summary>Histogram of whole days to the first Afgehandeld (181 buckets, the last "180 or more").</summary>
    public long[] Doorlooptijd { get; init; } = [];
}

public sealed class BuurtRij
{
    public string Code { get; init; } = "";
    public string Naam { get; init; } = "";
    public int? Inwoners { get; init; }
    public long Aantal { get; init; }
    public long Vorig { get; init; }
    public long Gesloten { get; init; }
    public long Heropend { get; init; }
    public long[] Doorlooptijd { get; init; } = [];
}

public sealed class ThemaWeekuurRij
{
    public string ThemaCode { get; init; } = "";
    public string ThemaNaam { get; init; } = "";

    /// <summary>168 counts, Monday 00h first (local time).</summary>
    public long[] Weekuur { get; init; } = [];
}

public sealed record MaandRij(DateTime Maand, long Aantal);

public sealed record Gebied(string Code, string Naam, int? Inwoners);

/// <summary>The raw figures of an area (a wijk, or the whole municipality when the code is null),
/// read from the per-month rollup wijkbeeld_maand. Public: 'verborgen' categories are left out here,
/// in SQL, so they can never reach a page, a chart or an export.</summary>
public sealed record WijkbeeldData(
    Gebied Gebied,
    Periode Periode,
    bool Publiek,
    IReadOnlyList<RubriekRij> Rubrieken,
    IReadOnlyList<BuurtRij> Buurten,
    IReadOnlyList<ThemaWeekuurRij> Weekuren,
    IReadOnlyList<MaandRij> Trend,
    DateTimeOffset? BijgewerktOp
);

public sealed class WijkbeeldCijfers(NpgsqlDataSource dataSource, IOptions<WijkbeeldOptions> options)
{
    public int Drempel => options.Value.Drempel;

    public async Task<IReadOnlyList<Gebied>> WijkenAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (
            await connection.QueryAsync<Gebied>(
                new CommandDefinition("SELECT code, naam, inwoners FROM wijk ORDER BY code", cancellationToken: cancellationToken)
            )
        ).AsList();
    }

    /// <summary>Null when the wijk does not exist. Names in the visitor's language.</summary>
    public Task<WijkbeeldData?> LaadAsync(
        string? wijkCode,
        Periode periode,
        bool publiek = true,
        CancellationToken cancellationToken = default
    ) => LaadAsync(wijkCode, periode, publiek, Taal.Code, cancellationToken);

    /// <summary>Null when the wijk does not exist. Names in <paramref name="taal"/> (exports: Dutch).</summary>
    public async Task<WijkbeeldData?> LaadAsync(
        string? wijkCode,
        Periode periode,
        bool publiek,
        string taal,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(periode);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var gebied = wijkCode is null
            ? await connection.QuerySingleAsync<Gebied>(
                new CommandDefinition(
                    "SELECT code, naam, inwoners FROM gemeente ORDER BY code LIMIT 1",
                    cancellationToken: cancellationToken
                )
            )
            : await connection.QuerySingleOrDefaultAsync<Gebied>(
                new CommandDefinition(
                    "SELECT code, naam, inwoners FROM wijk WHERE code = @wijkCode",
                    new { wijkCode },
                    cancellationToken: cancellationToken
                )
            );
        if (gebied is null)
        {
            return null;
        }
        var vorige = periode.Vorige;
        var p = new
        {
            wijk = wijkCode,
            van = periode.Van,
            tot = periode.Tot,
            vorigVan = vorige.Van,
            publiek,
            trendVan = periode.Tot.AddMonths(-11),
            taal,
        };

        var rubrieken = await connection.QueryAsync<RubriekRij>(
            new CommandDefinition(
                """
                SELECT p.code AS prioriteitcode, in_taal(p.naam, p.naam_en, @taal) AS prioriteitnaam,
                       t.code AS themacode, in_taal(t.naam, t.naam_en, @taal) AS themanaam,
                       r.code AS rubriekcode, in_taal(r.naam, r.naam_en, @taal) AS rubrieknaam,
                       coalesce(w.aantal, 0) AS aantal, coalesce(w.vorig, 0) AS vorig, coalesce(w.gesloten, 0) AS gesloten,
                       coalesce(w.heropend, 0) AS heropend, coalesce(w.doorlooptijd, '{}') AS doorlooptijd
                FROM rubriek r
                JOIN thema t ON t.id = r.thema_id
                JOIN prioriteit p ON p.id = t.prioriteit_id
                LEFT JOIN (
                    SELECT rubriek_id,
                           sum(aantal) FILTER (WHERE maand >= @van) AS aantal,
                           sum(aantal) FILTER (WHERE maand < @van) AS vorig,
                           sum(gesloten) FILTER (WHERE maand >= @van) AS gesloten,
                           sum(heropend) FILTER (WHERE maand >= @van) AS heropend,
                           som_array(doorlooptijd) FILTER (WHERE maand >= @van) AS doorlooptijd
                    FROM wijkbeeld_maand
                    WHERE (@wijk::text IS NULL OR wijk_code = @wijk) AND maand BETWEEN @vorigVan::date AND @tot::date
                    GROUP BY rubriek_id
                ) w ON w.rubriek_id = r.id
                WHERE NOT (@publiek AND r.openbaarheid = 'verborgen')
                  AND (r.actief OR w.aantal > 0 OR w.vorig > 0)
                ORDER BY p.volgorde, t.volgorde, r.volgorde
                """,
                p,
                cancellationToken: cancellationToken
            )
        );

        var buurten = await connection.QueryAsync<BuurtRij>(
            new CommandDefinition(
                """
                SELECT b.code, b.naam, b.inwoners,
                       coalesce(w.aantal, 0) AS aantal, coalesce(w.vorig, 0) AS vorig, coalesce(w.gesloten, 0) AS gesloten,
                       coalesce(w.heropend, 0) AS heropend, coalesce(w.doorlooptijd, '{}') AS doorlooptijd
                FROM buurt b
                LEFT JOIN (
                    SELECT w.buurt_code,
                           sum(w.aantal) FILTER (WHERE w.maand >= @van) AS aantal,
                           sum(w.aantal) FILTER (WHERE w.maand < @van) AS vorig,
                           sum(w.gesloten) FILTER (WHERE w.maand >= @van) AS gesloten,
                           sum(w.heropend) FILTER (WHERE w.maand >= @van) AS heropend,
                           som_array(w.doorlooptijd) FILTER (WHERE w.maand >= @van) AS doorlooptijd
                    FROM wijkbeeld_maand w
                    JOIN rubriek r ON r.id = w.rubriek_id
                    WHERE (@wijk::text IS NULL OR w.wijk_code = @wijk) AND w.maand BETWEEN @vorigVan::date AND @tot::date
                      AND NOT (@publiek AND r.openbaarheid = 'verborgen')
                    GROUP BY w.buurt_code
                ) w ON w.buurt_code = b.code
                WHERE @wijk::text IS NULL OR b.wijk_code = @wijk
                ORDER BY b.code
                """,
                p,
                cancellationToken: cancellationToken
            )
        );

        var weekuren = await connection.QueryAsync<ThemaWeekuurRij>(
            new CommandDefinition(
                """
                SELECT t.code AS themacode, in_taal(t.naam, t.naam_en, @taal) AS themanaam, som_array(w.weekuur) AS weekuur
                FROM wijkbeeld_maand w
                JOIN rubriek r ON r.id = w.rubriek_id
                JOIN thema t ON t.id = r.thema_id
                WHERE (@wijk::text IS NULL OR w.wijk_code = @wijk) AND w.maand BETWEEN @van::date AND @tot::date
                  AND NOT (@publiek AND r.openbaarheid = 'verborgen')
                GROUP BY t.code, t.naam, t.naam_en, t.volgorde
                ORDER BY t.volgorde
                """,
                p,
                cancellationToken: cancellationToken
            )
        );

        var trend = await connection.QueryAsync<MaandRij>(
            new CommandDefinition(
                """
                SELECT g::date::timestamp AS maand, coalesce(sum(w.aantal), 0)::bigint AS aantal
                FROM generate_series(@trendVan::timestamp, @tot::timestamp, interval '1 month') g
                LEFT JOIN (
                    SELECT w.maand, w.aantal FROM wijkbeeld_maand w JOIN rubriek r ON r.id = w.rubriek_id
                    WHERE (@wijk::text IS NULL OR w.wijk_code = @wijk) AND w.maand BETWEEN @trendVan::date AND @tot::date
                      AND NOT (@publiek AND r.openbaarheid = 'verborgen')
                ) w ON w.maand = g::date
                GROUP BY g ORDER BY g
                """,
                p,
                cancellationToken: cancellationToken
            )
        );

        var bijgewerkt = await connection.ExecuteScalarAsync<DateTime?>(
            new CommandDefinition("SELECT bijgewerkt_op FROM wijkbeeld_stand", cancellationToken: cancellationToken)
        );

        return new WijkbeeldData(
            gebied,
            periode,
            publiek,
            rubrieken.AsList(),
            buurten.AsList(),
            weekuren.AsList(),
            trend.AsList(),
            bijgewerkt is { } b ? new DateTimeOffset(DateTime.SpecifyKind(b, DateTimeKind.Utc)) : null
        );
    }
}
