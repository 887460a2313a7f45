using Dapper;
using Npgsql;
using Wijkmeldingen.Web.Data;

namespace Wijkmeldingen.Web.Geo.Gebieden;

/// <summary>What one import did.</summary>
public sealed record GebiedenImportResultaat(
    string GemeenteCode,
    string GemeenteNaam,
    int? GemeenteInwoners,
    int Wijken,
    int Buurten,
    int WaterBuurtenOvergeslagen,
    long BuurtInwoners,
    int MeldingenHerplaatst,
    int MeldingenBijGrens,
    int AdressenHerplaatst,
    int AdressenBuiten,
    int DemoMeldingenVerwijderd,
    IReadOnlyList<string> Opgeruimd,
    IReadOnlyList<string> GebiedenVerwijderd
);

/// <summary>
/// Replaces the municipality's areas (gemeente, wijken, buurten with their CBS figures) with those of
/// one municipality from the CBS Wijk- en Buurtkaart, in one transaction, and keeps everything that
/// points at an area right:
/// <list type="bullet">
/// <item>areas whose code stays are updated in place (a re-import of a newer CBS year changes nothing
/// else), new codes are added, codes no longer in the file are removed at the end;</item>
/// <item>every report gets the buurt/wijk its location lies in now; a report just outside every buurt
/// (within <see cref="GrensMarge"/> metres: boundaries move a little between CBS years) gets the
/// nearest buurt; a resident's report further away refuses the import (reports are never deleted);
/// demo reports further away are deleted only with <c>opruimen</c>;</item>
/// <item>imported BAG addresses get their new buurt; addresses outside the municipality are removed
/// (the address import does not keep those either);</item>
/// <item>any other row that names an area that disappears (routing rules, walks, wijk figures,
/// rollups ...; found from the foreign keys, so new tables are covered too) refuses the import,
/// listed per table, unless <c>opruimen</c> deletes those rows.</item>
/// </list>
/// Geometry is transformed to RD New (EPSG:28992) by PostGIS and made valid.
/// </summary>
public sealed class GebiedenImport(NpgsqlDataSource dataSource, ILogger<GebiedenImport> logger)
{
    /// <summary>How far outside every new buurt a report may lie and still be placed in the nearest one.</summary>
    public const double GrensMarge = 300;

    /// <summary>Imports the one municipality in <paramref name="bestand"/> when no areas are loaded yet
    /// (the demo seed, test databases); null when areas are there already.</summary>
    public async Task<GebiedenImportResultaat?> ImportAlsLeegAsync(string bestand, CancellationToken cancellationToken = default) =>
        await ImportAsync(bestand, CbsWijkBuurtkaart.EnigeGemeente(bestand), false, alleenAlsLeeg: true, cancellationToken);

    public async Task<GebiedenImportResultaat> ImportAsync(
        string bestand,
        string gemeenteCode,
        bool opruimen = false,
        CancellationToken cancellationToken = default
    ) => (await ImportAsync(bestand, gemeenteCode, opruimen, alleenAlsLeeg: false, cancellationToken))!;

    private async Task<GebiedenImportResultaat?> ImportAsync(
        string bestand,
        string gemeenteCode,
        bool opruimen,
        bool alleenAlsLeeg,
        CancellationToken cancellationToken
    )
    {
        var code = CbsWijkBuurtkaart.NormaliseerCode(gemeenteCode)
            ?? throw new GebiedenImportException($"'{gemeenteCode}' is geen gemeentecode; gebruik de CBS-code, bijvoorbeeld GM0363.");
        var gelezen = CbsWijkBuurtkaart.Lees(bestand, code);
        GeometryTypeHandlers.Register();

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // One import at a time; the demo seeder takes the same lock, so it never seeds half-replaced areas.
        await Sql(connection, transaction, "SELECT pg_advisory_xact_lock(397001)", cancellationToken);
        if (
            alleenAlsLeeg
            && await connection.ExecuteScalarAsync<bool>(
                new CommandDefinition(
                    "SELECT EXISTS (SELECT 1 FROM gemeente)",
                    transaction: transaction,
                    cancellationToken: cancellationToken
                )
            )
        )
        {
            return null;
        }
        await LaadAsync(connection, transaction, gelezen, cancellationToken);

        await Sql(connection, transaction, UpsertSql, cancellationToken);
        var (herplaatst, bijGrens) = await HerplaatsMeldingenAsync(connection, transaction, cancellationToken);
        var (adressen, adressenBuiten) = await HerplaatsAdressenAsync(connection, transaction, cancellationToken);
        var demoWeg = opruimen ? await VerwijderDemoMeldingenAsync(connection, transaction, cancellationToken) : 0;
        await WeigerMeldingenBuitenAsync(connection, transaction, code, cancellationToken);
        var opgeruimd = await RuimVerwijzingenOpAsync(connection, transaction, opruimen, code, cancellationToken);
        var verwijderd = await VerwijderOudeGebiedenAsync(connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        var resultaat = new GebiedenImportResultaat(
            code,
            gelezen.Gemeente.Naam,
            gelezen.Gemeente.Inwoners,
            gelezen.Wijken.Count,
            gelezen.Buurten.Count,
            gelezen.WaterBuurten,
            gelezen.Buurten.Sum(b => (long)(b.Inwoners ?? 0)),
            herplaatst,
            bijGrens,
            adressen,
            adressenBuiten,
            demoWeg,
            opgeruimd,
            verwijderd
        );
        logger.LogInformation(
            "Imported {Gemeente} {Naam}: {Wijken} wijken, {Buurten} buurten; {Meldingen} reports reassigned",
            code,
            resultaat.GemeenteNaam,
            resultaat.Wijken,
            resultaat.Buurten,
            herplaatst
        );
        return resultaat;
    }

    private const string Geom = "ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Transform(@geom, 28992)), 3))";

    private static async Task LaadAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        CbsGemeente gelezen,
        CancellationToken cancellationToken
    )
    {
        await Sql(
            connection,
            transaction,
            """
            CREATE TEMP TABLE imp_gemeente (LIKE gemeente) ON COMMIT DROP;
            CREATE TEMP TABLE imp_wijk (LIKE wijk) ON COMMIT DROP;
            CREATE TEMP TABLE imp_buurt (LIKE buurt) ON COMMIT DROP;
            """,
            cancellationToken
        );
        var g = gelezen.Gemeente;
        await Sql(
            connection,
            transaction,
            $"INSERT INTO imp_gemeente (code, naam, inwoners, geom) VALUES (@code, @naam, @inwoners, {Geom})",
            cancellationToken,
            new
            {
                code = g.Code,
                naam = g.Naam,
                inwoners = g.Inwoners,
                geom = g.Geom,
            }
        );
        foreach (var w in gelezen.Wijken)
        {
            await Sql(
                connection,
                transaction,
                $"INSERT INTO imp_wijk (code, gemeente_code, naam, inwoners, geom) VALUES (@code, @gemeente, @naam, @inwoners, {Geom})",
                cancellationToken,
                new
                {
                    code = w.Code,
                    gemeente = g.Code,
                    naam = w.Naam,
                    inwoners = w.Inwoners,
                    geom = w.Geom,
                }
            );
        }
        foreach (var b in gelezen.Buurten)
        {
            await Sql(
                connection,
                transaction,
                $"""
                INSERT INTO imp_buurt (code, wijk_code, naam, naam_kort, inwoners, inwoners_0tot15, inwoners_65plus, huishoudens,
                                       oppervlakte_land_ha, postcode_pc4, geom)
                VALUES (@code, @wijk, @naam, @naam, @inwoners, @jong, @oud, @huishoudens, @land, @postcode, {Geom})
                """,
                cancellationToken,
                new
                {
                    code = b.Code,
                    wijk = b.Ouder,
                    naam = b.Naam,
                    inwoners = b.Inwoners,
                    jong = b.Inwoners0tot15,
                    oud = b.Inwoners65plus,
                    huishoudens = b.Huishoudens,
                    land = b.OppervlakteLandHa,
                    postcode = b.Postcode,
                    geom = b.Geom,
                }
            );
        }
        var leeg = await connection.QueryFirstOrDefaultAsync<string>(
            new CommandDefinition(
                """
                SELECT code FROM imp_gemeente WHERE ST_IsEmpty(geom)
                UNION ALL SELECT code FROM imp_wijk WHERE ST_IsEmpty(geom)
                UNION ALL SELECT code FROM imp_buurt WHERE ST_IsEmpty(geom)
                LIMIT 1
                """,
                transaction: transaction,
                cancellationToken: cancellationToken
            )
        );
        if (leeg is not null)
        {
            throw new GebiedenImportException($"De geometrie van {leeg} is leeg nadat ze geldig is gemaakt.");
        }
        await Sql(connection, transaction, "CREATE INDEX ON imp_buurt USING gist (geom); ANALYZE imp_buurt;", cancellationToken);
    }

    private const string UpsertSql = """
        INSERT INTO gemeente (code, naam, inwoners, geom)
        SELECT code, naam, inwoners, geom FROM imp_gemeente
        ON CONFLICT (code) DO UPDATE SET naam = EXCLUDED.naam, inwoners = EXCLUDED.inwoners, geom = EXCLUDED.geom;

        INSERT INTO wijk (code, gemeente_code, naam, inwoners, geom)
        SELECT code, gemeente_code, naam, inwoners, geom FROM imp_wijk
        ON CONFLICT (code) DO UPDATE SET gemeente_code = EXCLUDED.gemeente_code, naam = EXCLUDED.naam,
            inwoners = EXCLUDED.inwoners, geom = EXCLUDED.geom;

        INSERT INTO buurt (code, wijk_code, naam, naam_kort, inwoners, inwoners_0tot15, inwoners_65plus, huishoudens,
                           oppervlakte_land_ha, postcode_pc4, geom)
        SELECT code, wijk_code, naam, naam_kort, inwoners, inwoners_0tot15, inwoners_65plus, huishoudens,
               oppervlakte_land_ha, postcode_pc4, geom FROM imp_buurt
        ON CONFLICT (code) DO UPDATE SET wijk_code = EXCLUDED.wijk_code, naam = EXCLUDED.naam, naam_kort = EXCLUDED.naam_kort,
            inwoners = EXCLUDED.inwoners, inwoners_0tot15 = EXCLUDED.inwoners_0tot15, inwoners_65plus = EXCLUDED.inwoners_65plus,
            huishoudens = EXCLUDED.huishoudens, oppervlakte_land_ha = EXCLUDED.oppervlakte_land_ha,
            postcode_pc4 = EXCLUDED.postcode_pc4, geom = EXCLUDED.geom;
        """;

    /// <summary>Each report in the buurt its location lies in (the lowest code on a shared edge, as the
    /// filing trigger does); a report just outside in the nearest buurt. Returns (changed, placed by
    /// the margin).</summary>
    private static async Task<(int Herplaatst, int BijGrens)> HerplaatsMeldingenAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        CancellationToken cancellationToken
    )
    {
        await Sql(
            connection,
            transaction,
            $"""
            CREATE TEMP TABLE imp_plaats ON COMMIT DROP AS
            SELECT DISTINCT ON (m.id) m.id, b.code AS buurt_code, b.wijk_code, false AS bij_grens
            FROM imp_buurt b JOIN melding m ON ST_Covers(b.geom, m.locatie)
            ORDER BY m.id, b.code;

            INSERT INTO imp_plaats (id, buurt_code, wijk_code, bij_grens)
            SELECT m.id, n.code, n.wijk_code, true
            FROM melding m
            CROSS JOIN LATERAL (
                SELECT b.code, b.wijk_code FROM imp_buurt b
                WHERE ST_DWithin(b.geom, m.locatie, {GrensMarge.ToString(System.Globalization.CultureInfo.InvariantCulture)})
                ORDER BY ST_Distance(b.geom, m.locatie), b.code
                LIMIT 1
            ) n
            WHERE NOT EXISTS (SELECT 1 FROM imp_plaats p WHERE p.id = m.id)
              AND ST_DWithin(m.locatie, (SELECT geom FROM imp_gemeente),
                             {GrensMarge.ToString(System.Globalization.CultureInfo.InvariantCulture)});
            """,
            cancellationToken
        );
        var herplaatst = await connection.ExecuteAsync(
            new CommandDefinition(
                """
                UPDATE melding m SET buurt_code = p.buurt_code, wijk_code = p.wijk_code
                FROM imp_plaats p
                WHERE p.id = m.id AND (m.buurt_code, m.wijk_code) IS DISTINCT FROM (p.buurt_code, p.wijk_code)
                """,
                transaction: transaction,
                commandTimeout: 0,
                cancellationToken: cancellationToken
            )
        );
        var bijGrens = await connection.ExecuteScalarAsync<int>(
            new CommandDefinition(
                "SELECT count(*)::int FROM imp_plaats WHERE bij_grens",
                transaction: transaction,
                cancellationToken: cancellationToken
            )
        );
        return (herplaatst, bijGrens);
    }

    private static async Task<(int Herplaatst, int Buiten)> HerplaatsAdressenAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        CancellationToken cancellationToken
    )
    {
        var herplaatst = await connection.ExecuteAsync(
            new CommandDefinition(
                """
                WITH plaats AS (
                    SELECT DISTINCT ON (a.id) a.id, b.code AS buurt_code, b.wijk_code
                    FROM imp_buurt b JOIN adres a ON ST_Covers(b.geom, a.punt)
                    ORDER BY a.id, b.code
                )
                UPDATE adres a SET buurt_code = p.buurt_code, wijk_code = p.wijk_code
                FROM plaats p
                WHERE p.id = a.id AND (a.buurt_code, a.wijk_code) IS DISTINCT FROM (p.buurt_code, p.wijk_code)
                """,
                transaction: transaction,
                commandTimeout: 0,
                cancellationToken: cancellationToken
            )
        );
        var buiten = await connection.ExecuteAsync(
            new CommandDefinition(
                "DELETE FROM adres a WHERE NOT EXISTS (SELECT 1 FROM imp_buurt b WHERE ST_Covers(b.geom, a.punt))",
                transaction: transaction,
                commandTimeout: 0,
                cancellationToken: cancellationToken
            )
        );
        return (herplaatst, buiten);
    }

    private const string BuitenSql = "NOT EXISTS (SELECT 1 FROM imp_plaats p WHERE p.id = m.id)";

    private static async Task<int> VerwijderDemoMeldingenAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        CancellationToken cancellationToken
    )
    {
        await Sql(
            connection,
            transaction,
            $"""
            UPDATE melding SET hoofdmelding_id = NULL
            WHERE hoofdmelding_id IN (SELECT m.id FROM melding m WHERE m.is_demo AND {BuitenSql})
            """,
            cancellationToken
        );
        return await connection.ExecuteAsync(
            new CommandDefinition(
                $"DELETE FROM melding m WHERE m.is_demo AND {BuitenSql}",
                transaction: transaction,
                commandTimeout: 0,
                cancellationToken: cancellationToken
            )
        );
    }

    private static async Task WeigerMeldingenBuitenAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        string code,
        CancellationToken cancellationToken
    )
    {
        var buiten = (
            await connection.QueryAsync<(bool IsDemo, string Volgcode)>(
                new CommandDefinition(
                    $"SELECT m.is_demo, m.volgcode FROM melding m WHERE {BuitenSql} ORDER BY m.is_demo, m.id",
                    transaction: transaction,
                    commandTimeout: 0,
                    cancellationToken: cancellationToken
                )
            )
        ).ToList();
        if (buiten.Count == 0)
        {
            return;
        }
        var bewoners = buiten.Where(m => !m.IsDemo).ToList();
        var demo = buiten.Count - bewoners.Count;
        throw new GebiedenImportException(
            bewoners.Count > 0
                ? $"{bewoners.Count} melding(en) van bewoners liggen meer dan {GrensMarge:0} m buiten {code} "
                    + $"(bijvoorbeeld {string.Join(", ", bewoners.Take(3).Select(m => m.Volgcode))}); meldingen worden nooit "
                    + "verwijderd. Laad een gemeente in een eigen, lege database."
                    + (demo > 0 ? $" Daarnaast {demo} demo-melding(en)." : "")
                : $"{demo} demo-melding(en) liggen buiten {code}. Gebruik --opruimen om ze te verwijderen "
                    + "(en daarna infra/wijk seed --opnieuw voor nieuwe demo-meldingen)."
        );
    }

    /// <summary>Rows of other tables that name a wijk, buurt or gemeente that is going away: refused
    /// (listed per table), or deleted with <paramref name="opruimen"/>. Found from the foreign keys.</summary>
    private static async Task<IReadOnlyList<string>> RuimVerwijzingenOpAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        bool opruimen,
        string code,
        CancellationToken cancellationToken
    )
    {
        var verwijzingen = (
            await connection.QueryAsync<(string Tabel, string Kolom, string Doel)>(
                new CommandDefinition(
                    """
                    SELECT c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text
                    FROM pg_constraint c
                    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
                    WHERE c.contype = 'f' AND cardinality(c.conkey) = 1
                      AND c.confrelid IN ('gemeente'::regclass, 'wijk'::regclass, 'buurt'::regclass)
                      AND c.conrelid NOT IN ('wijk'::regclass, 'buurt'::regclass)
                    ORDER BY 1, 2
                    """,
                    transaction: transaction,
                    cancellationToken: cancellationToken
                )
            )
        ).ToList();
        var gevonden = new List<string>();
        foreach (var (tabel, kolom, doel) in verwijzingen)
        {
            var nieuw = doel switch
            {
                "buurt" => "imp_buurt",
                "wijk" => "imp_wijk",
                _ => "imp_gemeente",
            };
            var waar = $"{Quote(kolom)} IS NOT NULL AND {Quote(kolom)} NOT IN (SELECT code FROM {nieuw})";
            var aantal = opruimen
                ? await connection.ExecuteAsync(
                    new CommandDefinition(
                        $"DELETE FROM {tabel} WHERE {waar}",
                        transaction: transaction,
                        commandTimeout: 0,
                        cancellationToken: cancellationToken
                    )
                )
                : await connection.ExecuteScalarAsync<int>(
                    new CommandDefinition(
                        $"SELECT count(*)::int FROM {tabel} WHERE {waar}",
                        transaction: transaction,
                        commandTimeout: 0,
                        cancellationToken: cancellationToken
                    )
                );
            if (aantal > 0)
            {
                gevonden.Add($"{tabel}.{kolom}: {aantal}");
            }
        }
        if (!opruimen && gevonden.Count > 0)
        {
            throw new GebiedenImportException(
                $"Er zijn gegevens bij wijken of buurten die niet meer in {code} voorkomen: {string.Join("; ", gevonden)} rij(en). "
                    + "Gebruik --opruimen om die rijen te verwijderen, of laad de gemeente in een eigen, lege database."
            );
        }
        return gevonden;
    }

    private static async Task<IReadOnlyList<string>> VerwijderOudeGebiedenAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        CancellationToken cancellationToken
    )
    {
        var weg = new List<string>();
        foreach (var (tabel, imp) in new[] { ("buurt", "imp_buurt"), ("wijk", "imp_wijk"), ("gemeente", "imp_gemeente") })
        {
            weg.AddRange(
                await connection.QueryAsync<string>(
                    new CommandDefinition(
                        $"DELETE FROM {tabel} WHERE code NOT IN (SELECT code FROM {imp}) RETURNING code",
                        transaction: transaction,
                        cancellationToken: cancellationToken
                    )
                )
            );
        }
        return weg.Order(StringComparer.Ordinal).ToList();
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static Task<int> Sql(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        string sql,
        CancellationToken cancellationToken,
        object? parameters = null
    ) =>
        connection.ExecuteAsync(
            new CommandDefinition(sql, parameters, transaction: transaction, commandTimeout: 0, cancellationToken: cancellationToken)
        );
}
