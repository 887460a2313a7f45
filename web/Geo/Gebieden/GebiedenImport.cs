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
)
{
    /// <summary>Hotspot cells rebuilt where a buurt's (or the municipality's) shape changed.</summary>
    public int HotspotCellen { get; init; }

    /// <summary>Months of the wijk picture and hotspot rollups recomputed for the reports that moved.</summary>
    public int RollupMaanden { get; init; }

    /// <summary>Other rows that follow their own location into a new area, per table ("maatregel: 2").</summary>
    public IReadOnlyList<string> OpLocatieHerplaatst { get; init; } = [];

    /// <summary>Teams a municipality new to the installation got, with the answer templates and the
    /// routing rules without an area (V82's gemeente_inrichten); 0 when it had teams.</summary>
    public int TeamsIngericht { get; init; }
}

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
/// <item>derived data is rebuilt in the same transaction: the hotspot cells (<c>hotspot_cel</c>) where a
/// buurt's or the municipality's shape changed, and the wijk picture and hotspot rollups of the months
/// whose reports moved (<c>wijkbeeld_ververs</c>);</item>
/// <item>rows with a location of their own follow it: measures (a point on their geometry) and staff
/// alerts get the buurt/wijk they lie in; a walk or a resident's buurt subscription whose area went
/// away gets the wijk of its starting point, or a circle around the old buurt;</item>
/// <item>any other row that names an area that disappears (routing rules, wijk figures, stories ...;
/// found from the foreign keys, so new tables are covered too) refuses the import, listed row by row:
/// such rows mean something only for the old area and are not the import's to delete. Only demo rows
/// (<c>is_demo</c>) and alerts whose reports are gone are deleted, with <c>opruimen</c>.</item>
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
        // What the import derives (rollup marks of moved reports, the refreshed months) belongs to the
        // imported municipality, whatever the connection works for otherwise (V81).
        await connection.ExecuteAsync(
            new CommandDefinition(
                "SELECT set_config('wijk.gemeente', @code, true)",
                new { code },
                transaction: transaction,
                cancellationToken: cancellationToken
            )
        );
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
        await BlijvendAsync(connection, transaction, code, opruimen, cancellationToken);
        await BewaarVeranderdGebiedAsync(connection, transaction, cancellationToken);

        await Sql(connection, transaction, UpsertSql, cancellationToken);
        var (herplaatst, bijGrens) = await HerplaatsMeldingenAsync(connection, transaction, cancellationToken);
        var (adressen, adressenBuiten) = await HerplaatsAdressenAsync(connection, transaction, opruimen, cancellationToken);
        var demoWeg = opruimen ? await VerwijderDemoMeldingenAsync(connection, transaction, cancellationToken) : 0;
        await WeigerMeldingenBuitenAsync(connection, transaction, code, opruimen, cancellationToken);
        var cellen = await HerbouwHotspotCellenAsync(connection, transaction, cancellationToken);
        var maanden = await VerversRollupsAsync(connection, transaction, cancellationToken);
        var opLocatie = await HerplaatsOpLocatieAsync(connection, transaction, cancellationToken);
        var opgeruimd = await RuimVerwijzingenOpAsync(connection, transaction, opruimen, code, cancellationToken);
        var verwijderd = await VerwijderOudeGebiedenAsync(connection, transaction, cancellationToken);
        var teams = await connection.ExecuteScalarAsync<int>(
            new CommandDefinition(
                "SELECT gemeente_inrichten(@code)",
                new { code },
                transaction: transaction,
                cancellationToken: cancellationToken
            )
        );
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
        )
        {
            HotspotCellen = cellen,
            RollupMaanden = maanden,
            OpLocatieHerplaatst = opLocatie,
            TeamsIngericht = teams,
        };
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

    /// <summary>The areas that stay: the file's, and, unless <paramref name="opruimen"/>, those of the
    /// installation's other municipalities (V81: one installation may serve several). Everything else
    /// of the old areas is going away.</summary>
    private static Task<int> BlijvendAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        string code,
        bool opruimen,
        CancellationToken cancellationToken
    ) =>
        connection.ExecuteAsync(
            new CommandDefinition(
                """
                CREATE TEMP TABLE imp_blijf_gemeente ON COMMIT DROP AS
                SELECT code FROM imp_gemeente UNION SELECT code FROM gemeente WHERE NOT @opruimen AND code <> @code;
                CREATE TEMP TABLE imp_blijf_wijk ON COMMIT DROP AS
                SELECT code FROM imp_wijk UNION SELECT code FROM wijk WHERE NOT @opruimen AND gemeente_code <> @code;
                CREATE TEMP TABLE imp_blijf_buurt ON COMMIT DROP AS
                SELECT code FROM imp_buurt
                UNION SELECT b.code FROM buurt b JOIN wijk w ON w.code = b.wijk_code WHERE NOT @opruimen AND w.gemeente_code <> @code;
                """,
                new { code, opruimen },
                transaction: transaction,
                cancellationToken: cancellationToken
            )
        );

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
            -- Only the imported municipality's reports: a neighbour's report near the border stays its own.
            WHERE m.gemeente_code = current_setting('wijk.gemeente')
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
            WHERE m.gemeente_code = current_setting('wijk.gemeente')
              AND NOT EXISTS (SELECT 1 FROM imp_plaats p WHERE p.id = m.id)
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
        bool opruimen,
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
                "DELETE FROM adres a WHERE NOT EXISTS (SELECT 1 FROM imp_buurt b WHERE ST_Covers(b.geom, a.punt))"
                    + (opruimen ? "" : " AND " + VanDezeGemeente("a")),
                transaction: transaction,
                commandTimeout: 0,
                cancellationToken: cancellationToken
            )
        );
        return (herplaatst, buiten);
    }

    private const string BuitenSql = "NOT EXISTS (SELECT 1 FROM imp_plaats p WHERE p.id = m.id)";

    /// <summary>Rows of the imported municipality (the import's wijk.gemeente): without --opruimen the
    /// other municipalities of the installation keep their reports and addresses (V81).</summary>
    private static string VanDezeGemeente(string alias) =>
        alias == "m"
            ? "m.gemeente_code = current_setting('wijk.gemeente')"
            : $"{alias}.wijk_code IN (SELECT w.code FROM wijk w WHERE w.gemeente_code = current_setting('wijk.gemeente'))";

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
        bool opruimen,
        CancellationToken cancellationToken
    )
    {
        var buiten = (
            await connection.QueryAsync<(bool IsDemo, string Volgcode)>(
                new CommandDefinition(
                    $"SELECT m.is_demo, m.volgcode FROM melding m WHERE {BuitenSql}"
                        + (opruimen ? "" : " AND " + VanDezeGemeente("m"))
                        + " ORDER BY m.is_demo, m.id",
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

    /// <summary>Before the areas are replaced: where the shapes change (old and new shape of every buurt
    /// that changed, came or went; what the municipality gained or lost; cells that name a buurt that
    /// goes away). Only hotspot cells that touch this are rebuilt.</summary>
    private static Task<int> BewaarVeranderdGebiedAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        CancellationToken cancellationToken
    ) =>
        Sql(
            connection,
            transaction,
            """
            CREATE TEMP TABLE imp_veranderd (geom geometry) ON COMMIT DROP;
            INSERT INTO imp_veranderd (geom)
            SELECT v.geom
            FROM buurt o FULL JOIN imp_buurt n USING (code)
            CROSS JOIN LATERAL (VALUES (o.geom::geometry), (n.geom::geometry)) v (geom)
            WHERE v.geom IS NOT NULL AND (o.geom IS NULL OR n.geom IS NULL OR NOT ST_OrderingEquals(o.geom, n.geom));

            INSERT INTO imp_veranderd (geom)
            SELECT coalesce(ST_SymDifference(o.geom, n.geom), n.geom)
            FROM imp_gemeente n
            CROSS JOIN (SELECT ST_Union(geom) AS geom FROM gemeente WHERE code NOT IN (SELECT code FROM imp_blijf_gemeente)
                        OR code IN (SELECT code FROM imp_gemeente)) o
            WHERE o.geom IS NULL OR NOT ST_OrderingEquals(o.geom, n.geom);

            INSERT INTO imp_veranderd (geom)
            SELECT geom FROM hotspot_cel WHERE buurt_code NOT IN (SELECT code FROM imp_blijf_buurt);

            CREATE TEMP TABLE imp_celgroottes ON COMMIT DROP AS SELECT DISTINCT celgrootte FROM hotspot_cel;
            """,
            cancellationToken
        );

    /// <summary>The hotspot cells (every grid size in use) that touch a changed shape, rebuilt from the new
    /// areas by the rule of <c>wijkbeeld_ververs</c> (V20): the cells of the grid that intersect the
    /// municipality, each with the buurt that holds its centre, else the one it overlaps most. Cells
    /// elsewhere keep their buurt: no buurt they touch changed. Returns the cells written.</summary>
    private static async Task<int> HerbouwHotspotCellenAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        CancellationToken cancellationToken
    )
    {
        await Sql(
            connection,
            transaction,
            """
            CREATE TEMP TABLE imp_celgebied ON COMMIT DROP AS
            SELECT ST_Union(geom) AS geom FROM imp_veranderd WHERE NOT ST_IsEmpty(geom);
            DELETE FROM hotspot_cel c USING imp_celgebied v WHERE ST_Intersects(c.geom, v.geom);
            """,
            cancellationToken
        );
        return await connection.ExecuteAsync(
            new CommandDefinition(
                """
                INSERT INTO hotspot_cel (celgrootte, i, j, buurt_code, geom)
                SELECT g.celgrootte, h.i, h.j,
                       coalesce((SELECT b.code FROM imp_buurt b WHERE ST_Covers(b.geom, ST_Centroid(h.geom)) ORDER BY b.code LIMIT 1),
                                (SELECT b.code FROM imp_buurt b WHERE ST_Intersects(b.geom, h.geom)
                                 ORDER BY ST_Area(ST_Intersection(b.geom, h.geom)) DESC, b.code LIMIT 1)),
                       h.geom
                FROM imp_celgroottes g
                CROSS JOIN imp_celgebied v
                CROSS JOIN imp_gemeente gm
                CROSS JOIN LATERAL ST_HexagonGrid(g.celgrootte, v.geom) h
                WHERE ST_Intersects(h.geom, v.geom) AND ST_Intersects(h.geom, gm.geom)
                """,
                transaction: transaction,
                commandTimeout: 0,
                cancellationToken: cancellationToken
            )
        );
    }

    /// <summary>The months whose reports moved to another buurt (or were removed) are dirty (the report
    /// triggers of V20); recomputed now, for the grid sizes in use, so the wijk picture never names a
    /// buurt that went away. Returns the months recomputed.</summary>
    private static Task<int> VerversRollupsAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        CancellationToken cancellationToken
    ) =>
        connection.ExecuteScalarAsync<int>(
            new CommandDefinition(
                "SELECT wijkbeeld_ververs(coalesce((SELECT array_agg(celgrootte ORDER BY celgrootte) FROM imp_celgroottes), '{}'))",
                transaction: transaction,
                commandTimeout: 0,
                cancellationToken: cancellationToken
            )
        );

    /// <summary>Rows with a location of their own follow it into the new areas: a measure (a point on its
    /// geometry, as it is saved) and a staff alert get the buurt and wijk they lie in; a walk whose wijk
    /// goes away gets the wijk of its starting point; a resident's subscription to a buurt that goes
    /// away becomes a circle around that buurt (up to the 2 km a circle may have), so the resident keeps
    /// hearing about the same streets. Returns the rows changed per table.</summary>
    private static async Task<IReadOnlyList<string>> HerplaatsOpLocatieAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        CancellationToken cancellationToken
    )
    {
        var stappen = new (string Tabel, string Sql)[]
        {
            ("maatregel", PlaatsSql("maatregel", "ST_PointOnSurface(t.geom)")),
            ("wijk_signaal", PlaatsSql("wijk_signaal", "t.locatie")),
            (
                "wandeling",
                """
                UPDATE wandeling t SET wijk_code = (SELECT min(x.code) FROM imp_wijk x WHERE ST_Covers(x.geom, t.startpunt))
                WHERE t.wijk_code NOT IN (SELECT code FROM imp_blijf_wijk)
                  AND t.gemeente_code = current_setting('wijk.gemeente')
                  AND EXISTS (SELECT 1 FROM imp_wijk x WHERE ST_Covers(x.geom, t.startpunt))
                """
            ),
            (
                "abonnement",
                """
                UPDATE abonnement t
                SET buurt_code = NULL, punt = c.punt,
                    straal_m = least(2000, greatest(50, ceil(ST_MaxDistance(c.punt, c.geom))))::int
                FROM (SELECT b.code, b.geom, ST_PointOnSurface(b.geom) AS punt FROM buurt b
                      WHERE b.code NOT IN (SELECT code FROM imp_blijf_buurt)) c
                WHERE t.buurt_code = c.code AND t.gemeente_code = current_setting('wijk.gemeente')
                  AND ST_DWithin(c.punt, (SELECT geom FROM imp_gemeente), least(2000, ST_MaxDistance(c.punt, c.geom)))
                """
            ),
        };
        var gedaan = new List<string>();
        foreach (var (tabel, sql) in stappen)
        {
            var aantal = await Sql(connection, transaction, sql, cancellationToken);
            if (aantal > 0)
            {
                gedaan.Add($"{tabel}: {aantal}");
            }
        }
        return gedaan;
    }

    private static string PlaatsSql(string tabel, string punt) =>
        $"""
            WITH plaats AS (
                SELECT DISTINCT ON (t.id) t.id, b.code AS buurt_code, b.wijk_code
                FROM {tabel} t JOIN imp_buurt b ON ST_Covers(b.geom, {punt})
                WHERE t.gemeente_code = current_setting('wijk.gemeente')
                ORDER BY t.id, b.code
            )
            UPDATE {tabel} t SET buurt_code = p.buurt_code, wijk_code = p.wijk_code
            FROM plaats p
            WHERE p.id = t.id AND (t.buurt_code, t.wijk_code) IS DISTINCT FROM (p.buurt_code, p.wijk_code)
            """;

    private sealed record Verwijzing(string Tabel, string Kolom, string Doel, string? Sleutel, bool HeeftDemo);

    /// <summary>Rows of other tables that still name a wijk, buurt or gemeente that is going away (found
    /// from the foreign keys, so new tables are covered too). Demo rows (<c>is_demo</c>) and staff
    /// alerts whose reports are all gone are deleted with <paramref name="opruimen"/>, else the import
    /// is refused. Any other row is never deleted: the import is refused, even with
    /// <paramref name="opruimen"/>, naming the rows, so a person decides where they belong.</summary>
    private static async Task<IReadOnlyList<string>> RuimVerwijzingenOpAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        bool opruimen,
        string code,
        CancellationToken cancellationToken
    )
    {
        var verwijzingen = (
            await connection.QueryAsync<Verwijzing>(
                new CommandDefinition(
                    """
                    SELECT c.conrelid::regclass::text AS tabel, a.attname AS kolom, c.confrelid::regclass::text AS doel,
                           (SELECT string_agg(quote_ident(pa.attname), ',' ORDER BY k.n)
                            FROM pg_index i
                            CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY k (attnum, n)
                            JOIN pg_attribute pa ON pa.attrelid = i.indrelid AND pa.attnum = k.attnum
                            -- The tenant column (V81) leads every key; the row is named by the rest.
                            WHERE i.indrelid = c.conrelid AND i.indisprimary AND pa.attname <> 'gemeente_code') AS sleutel,
                           EXISTS (SELECT 1 FROM pg_attribute d
                                   WHERE d.attrelid = c.conrelid AND d.attname = 'is_demo' AND NOT d.attisdropped) AS heeftdemo
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
        var opgeruimd = new List<string>();
        var demo = new List<string>();
        var blijvend = new List<string>();
        var blijvendAantal = 0;
        foreach (var v in verwijzingen)
        {
            var nieuw = v.Doel switch
            {
                "buurt" => "imp_blijf_buurt",
                "wijk" => "imp_blijf_wijk",
                _ => "imp_blijf_gemeente",
            };
            var kolom = Quote(v.Kolom);
            var waar = $"t.{kolom} IS NOT NULL AND t.{kolom} NOT IN (SELECT code FROM {nieuw})";
            // What may go: demo rows, and alerts about reports that are gone (they are derived from them).
            var weg = v.Tabel switch
            {
                "wijk_signaal" => "NOT EXISTS (SELECT 1 FROM melding m WHERE m.id = ANY (t.melding_ids))",
                _ when v.HeeftDemo => "t.is_demo",
                _ => "false",
            };
            if (opruimen)
            {
                var aantal = await Sql(connection, transaction, $"DELETE FROM {v.Tabel} t WHERE {waar} AND {weg}", cancellationToken);
                if (aantal > 0)
                {
                    opgeruimd.Add($"{v.Tabel}.{v.Kolom}: {aantal}");
                }
            }
            var sleutel = v.Sleutel is null
                ? "''"
                : "concat_ws('/', " + string.Join(", ", v.Sleutel.Split(',').Select(k => $"t.{k}::text")) + ")";
            var telling = await connection.QuerySingleAsync<(int Demo, int Blijvend, string[]? Voorbeelden)>(
                new CommandDefinition(
                    $"""
                    SELECT count(*) FILTER (WHERE {weg})::int,
                           count(*) FILTER (WHERE NOT ({weg}))::int,
                           (array_agg({sleutel} || ' → ' || t.{kolom} ORDER BY {sleutel}) FILTER (WHERE NOT ({weg})))[1:5]
                    FROM {v.Tabel} t WHERE {waar}
                    """,
                    transaction: transaction,
                    commandTimeout: 0,
                    cancellationToken: cancellationToken
                )
            );
            if (telling.Demo > 0)
            {
                demo.Add($"{v.Tabel}.{v.Kolom}: {telling.Demo}");
            }
            if (telling.Blijvend > 0)
            {
                blijvendAantal += telling.Blijvend;
                var sleutelNaam = v.Sleutel?.Replace("\"", "", StringComparison.Ordinal).Replace(',', '/') ?? "rij";
                blijvend.Add(
                    $"{v.Tabel}.{v.Kolom}: {telling.Blijvend} ({sleutelNaam} {string.Join(", ", telling.Voorbeelden ?? [])}"
                        + (telling.Blijvend > 5 ? ", ..." : "")
                        + ")"
                );
            }
        }
        if (blijvend.Count > 0)
        {
            throw new GebiedenImportException(
                $"{blijvendAantal} rij(en) horen bij wijken of buurten die niet meer in {code} voorkomen: {string.Join("; ", blijvend)}. "
                    + "Die verwijdert de import niet, ook niet met --opruimen: ze gelden alleen voor het oude gebied. Wijs ze in het "
                    + "beheer een wijk of buurt toe die blijft (of verwijder ze daar) en importeer opnieuw, of laad de gemeente in "
                    + "een eigen, lege database."
                    + (demo.Count > 0 ? $" Daarnaast demo-gegevens ({string.Join("; ", demo)}), die --opruimen verwijdert." : "")
            );
        }
        if (demo.Count > 0)
        {
            throw new GebiedenImportException(
                "Er zijn demo-gegevens (of signalen waarvan de meldingen weg zijn) bij wijken of buurten die niet meer in "
                    + $"{code} voorkomen: {string.Join("; ", demo)} rij(en). "
                    + "Gebruik --opruimen om die rijen te verwijderen (en daarna infra/wijk seed --opnieuw voor nieuwe demo-gegevens)."
            );
        }
        return opgeruimd;
    }

    private static async Task<IReadOnlyList<string>> VerwijderOudeGebiedenAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        CancellationToken cancellationToken
    )
    {
        var weg = new List<string>();
        foreach (var (tabel, imp) in new[] { ("buurt", "imp_blijf_buurt"), ("wijk", "imp_blijf_wijk"), ("gemeente", "imp_blijf_gemeente") })
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
