using Dapper;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Npgsql;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Maatregelen;

/// <summary>Measures: saving them (place inside the municipality, buurt and wijk derived, linked
/// reports by tracking code or id), the staff list, and what the public sees of them per wijk.</summary>
public sealed class Maatregelen(
    NpgsqlDataSource dataSource,
    IOptions<GemeenteProfiel> profiel,
    IOptions<MaatregelenOptions> opties,
    IStringLocalizer<Tekst> t,
    TimeProvider klok,
    HotspotEngine hotspotEngine,
    OngewoonEngine ongewoonEngine
)
{
    public sealed record Type(string Code, string Naam);

    public sealed record Maatregel(
        long Id,
        string TypeCode,
        string TypeNaam,
        string Titel,
        string Omschrijving,
        string Soort,
        string GeomJson,
        string BuurtCode,
        string BuurtNaam,
        string WijkCode,
        string WijkNaam,
        string Status,
        DateTime StartDatum,
        DateTime? EindDatum,
        string Verantwoordelijke
    );

    /// <summary>A linked report as staff see it (every category); a walk's finding has its walk.</summary>
    public sealed record Gekoppeld(long Id, string Volgcode, string Rubriek, string StatusNaam, long? WandelingId);

    /// <summary>A linked hotspot as staff see it: the reference and what it was when linked.</summary>
    public sealed record GekoppeldeHotspot(string Verwijzing, string Laag, string BuurtNaam, long Aantal, double Score);

    /// <summary>A linked walk (staff and public): its public report exists once a published walk is over.</summary>
    public sealed record GekoppeldeWandeling(long Id, string Titel, DateTime Begin, string Status, bool Verslag);

    /// <summary>A linked hotspot as the public sees it: coarsened to the public grid (the cell of the
    /// public hotspot map that holds its centre, and that cell's buurt), with its period and layer; no
    /// count. A hotspot of a sensitive category or theme is not shown at all.</summary>
    public sealed record PubliekeHotspot(
        string Laag,
        DateTime Van,
        DateTime Tot,
        int Celgrootte,
        int I,
        int J,
        string BuurtNaam,
        string? Thema
    )
    {
        public string Kaartlink =>
            "/wijken?" + new Periode("vrij", Van, Tot).Query + (Thema is { } thema ? "&thema=" + Uri.EscapeDataString(thema) : "");
    }

    /// <summary>Everything a measure is linked to, for the staff page.</summary>
    public sealed record Koppelingen(
        IReadOnlyList<Gekoppeld> Meldingen,
        IReadOnlyList<GekoppeldeHotspot> Hotspots,
        IReadOnlyList<GekoppeldeWandeling> Wandelingen
    );

    /// <summary>A linked report as the public sees it: sensitive categories and withdrawn reports are
    /// left out, the place only as the coarsened public point.</summary>
    public sealed record PubliekGekoppeld(string Volgcode, string Rubriek, string StatusNaam, double? Lat, double? Lon, long? WandelingId);

    /// <summary>Before/after: comparable reports (the linked ones' categories) in the area, in the
    /// <see cref="Dagen"/> days before and after the start; counts below the threshold suppressed.</summary>
    public sealed record VoorNa(
        int Dagen,
        DateOnly Van,
        DateOnly Start,
        DateOnly Tot,
        Aantal Voor,
        Aantal Na,
        IReadOnlyList<string> Rubrieken
    );

    public sealed record Publiek(
        Maatregel Maatregel,
        IReadOnlyList<PubliekGekoppeld> Meldingen,
        VoorNa? VoorNa,
        IReadOnlyList<PubliekeHotspot> Hotspots,
        IReadOnlyList<GekoppeldeWandeling> Wandelingen
    )
    {
        /// <summary>Linked reports that were not filed from a walk.</summary>
        public IEnumerable<PubliekGekoppeld> LosseMeldingen => Meldingen.Where(m => m.WandelingId is null);

        /// <summary>Linked findings of walks (reports filed from a walk).</summary>
        public IEnumerable<PubliekGekoppeld> Bevindingen => Meldingen.Where(m => m.WandelingId is not null);
    }

    public sealed record Uitkomst(long? Id, Dictionary<string, string> Fouten);

    public int Drempel => opties.Value.Drempel;
    public int BufferMeters => opties.Value.BufferMeters;

    private const string MaatregelSelect = """
        SELECT m.id, m.type_code AS typecode, ty.naam AS typenaam, m.titel, m.omschrijving,
               CASE GeometryType(m.geom) WHEN 'POINT' THEN 'punt' WHEN 'LINESTRING' THEN 'lijn' ELSE 'vlak' END AS soort,
               ST_AsGeoJSON(ST_Transform(m.geom, 4326), 7) AS geomjson,
               m.buurt_code AS buurtcode, b.naam AS buurtnaam, m.wijk_code AS wijkcode, w.naam AS wijknaam,
               m.status, m.start_datum::timestamp AS startdatum, m.eind_datum::timestamp AS einddatum, m.verantwoordelijke
        FROM maatregel m
        JOIN maatregel_type ty ON ty.code = m.type_code
        JOIN buurt b ON b.code = m.buurt_code
        JOIN wijk w ON w.code = m.wijk_code
        """;

    public async Task<IReadOnlyList<Type>> TypesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (
            await connection.QueryAsync<Type>(
                new CommandDefinition("SELECT code, naam FROM maatregel_type ORDER BY volgorde", cancellationToken: cancellationToken)
            )
        ).AsList();
    }

    public async Task<IReadOnlyList<Maatregel>> LijstAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (
            await connection.QueryAsync<Maatregel>(
                new CommandDefinition(
                    MaatregelSelect + " WHERE w.gemeente_code = @gemeente ORDER BY m.start_datum DESC, m.id DESC LIMIT 500",
                    new { gemeente = profiel.Value.CbsCode },
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();
    }

    public async Task<Maatregel?> LaadAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await LaadAsync(connection, id, cancellationToken);
    }

    private static Task<Maatregel?> LaadAsync(NpgsqlConnection connection, long id, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<Maatregel>(
            new CommandDefinition(MaatregelSelect + " WHERE m.id = @id", new { id }, cancellationToken: cancellationToken)
        );

    public async Task<IReadOnlyList<Gekoppeld>> GekoppeldAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (
            await connection.QueryAsync<Gekoppeld>(
                new CommandDefinition(
                    """
                    SELECT me.id, me.volgcode, in_taal(r.naam, r.naam_en, @taal) AS rubriek,
                           in_taal(s.naam, s.naam_en, @taal) AS statusnaam, me.wandeling_id AS wandelingid
                    FROM maatregel_melding mm
                    JOIN melding me ON me.id = mm.melding_id
                    JOIN rubriek r ON r.id = me.rubriek_id
                    JOIN meldingstatus s ON s.code = me.status
                    WHERE mm.maatregel_id = @id
                    ORDER BY me.aangemaakt_op, me.id
                    """,
                    new { id, taal = Taal.Code },
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();
    }

    /// <summary>Saves a new measure (id null) or changes one. The form was checked by
    /// <see cref="MaatregelInvoer.Valideer"/>; here the place (valid, inside the municipality) and the
    /// linked reports (they exist) are checked against the database. Nothing is saved on an error.</summary>
    public async Task<Uitkomst> OpslaanAsync(long? id, MaatregelInvoer invoer, Actor door, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invoer);
        ArgumentNullException.ThrowIfNull(door);
        var fouten = new Dictionary<string, string>();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // The place: valid, inside the municipality, and the buurt of a point on it.
        var plek = await connection.QuerySingleAsync<(bool Geldig, bool Binnen, string? Buurt, string? Wijk)>(
            new CommandDefinition(
                """
                WITH g AS (SELECT ST_Transform(ST_GeomFromText(@wkt, 4326), 28992) AS geom)
                SELECT ST_IsValid(g.geom) AS geldig,
                       coalesce((SELECT ST_CoveredBy(g.geom, ge.geom) FROM gemeente ge WHERE ge.code = @gemeente), false) AS binnen,
                       b.code AS buurt, b.wijk_code AS wijk
                FROM g
                LEFT JOIN LATERAL (
                    SELECT b.code, b.wijk_code FROM buurt b
                    WHERE ST_IsValid(g.geom) AND ST_Covers(b.geom, ST_PointOnSurface(g.geom))
                    ORDER BY b.code LIMIT 1
                ) b ON true
                """,
                new { wkt = invoer.Wkt(), gemeente = profiel.Value.CbsCode },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        if (!plek.Geldig)
        {
            fouten[nameof(MaatregelInvoer.Punten)] = t["maatregel.fout.ongeldig"];
        }
        else if (!plek.Binnen || plek.Buurt is null)
        {
            fouten[nameof(MaatregelInvoer.Punten)] = t["maatregel.fout.buiten"];
        }

        // The linked reports: every code and id must exist.
        var meldingen = (
            await connection.QueryAsync<(long Id, string Volgcode)>(
                new CommandDefinition(
                    "SELECT id, volgcode FROM melding WHERE volgcode = ANY (@codes) OR id = ANY (@ids)",
                    new { codes = invoer.Volgcodes.ToArray(), ids = invoer.MeldingIds.ToArray() },
                    transaction,
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();
        var onbekend = invoer
            .Volgcodes.Where(c => !meldingen.Any(m => m.Volgcode == c))
            .Concat(
                invoer
                    .MeldingIds.Where(i => !meldingen.Any(m => m.Id == i))
                    .Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))
            )
            .ToList();
        if (onbekend.Count > 0)
        {
            fouten[nameof(MaatregelInvoer.Meldingen)] = t["maatregel.fout.meldingen.bestaat.niet", string.Join(", ", onbekend)];
        }
        var bevindingen = await BevindingenAsync(connection, transaction, invoer, fouten, cancellationToken);
        var wandelingen = await WandelingenAsync(connection, transaction, invoer, fouten, cancellationToken);
        var hotspots = await HotspotsAsync(connection, transaction, id, invoer, fouten, cancellationToken);
        if (fouten.Count > 0)
        {
            return new Uitkomst(null, fouten);
        }
        meldingen.AddRange(bevindingen.Where(b => !meldingen.Any(m => m.Id == b.Id)));

        var velden = new
        {
            id,
            type = invoer.Type,
            titel = invoer.Titel!.Trim(),
            omschrijving = invoer.Omschrijving!.Trim(),
            wkt = invoer.Wkt(),
            buurt = plek.Buurt,
            wijk = plek.Wijk,
            status = invoer.Status,
            start = invoer.Start.ToDateTime(TimeOnly.MinValue),
            eind = invoer.Eind?.ToDateTime(TimeOnly.MinValue),
            verantwoordelijke = invoer.Verantwoordelijke!.Trim(),
            door = door.Naam,
        };
        long? opgeslagen;
        if (id is null)
        {
            opgeslagen = await connection.QuerySingleAsync<long>(
                new CommandDefinition(
                    """
                    INSERT INTO maatregel (type_code, titel, omschrijving, geom, buurt_code, wijk_code, status, start_datum, eind_datum,
                                           verantwoordelijke, aangemaakt_door)
                    VALUES (@type, @titel, @omschrijving, ST_Transform(ST_GeomFromText(@wkt, 4326), 28992), @buurt, @wijk, @status,
                            @start::date, @eind::date, @verantwoordelijke, @door)
                    RETURNING id
                    """,
                    velden,
                    transaction,
                    cancellationToken: cancellationToken
                )
            );
        }
        else
        {
            opgeslagen = await connection.QuerySingleOrDefaultAsync<long?>(
                new CommandDefinition(
                    """
                    UPDATE maatregel SET type_code = @type, titel = @titel, omschrijving = @omschrijving,
                           geom = ST_Transform(ST_GeomFromText(@wkt, 4326), 28992), buurt_code = @buurt, wijk_code = @wijk,
                           status = @status, start_datum = @start::date, eind_datum = @eind::date,
                           verantwoordelijke = @verantwoordelijke, gewijzigd_op = now()
                    WHERE id = @id
                    RETURNING id
                    """,
                    velden,
                    transaction,
                    cancellationToken: cancellationToken
                )
            );
            if (opgeslagen is null)
            {
                return new Uitkomst(null, fouten);
            }
            await connection.ExecuteAsync(
                new CommandDefinition(
                    "DELETE FROM maatregel_melding WHERE maatregel_id = @id",
                    new { id },
                    transaction,
                    cancellationToken: cancellationToken
                )
            );
        }
        await connection.ExecuteAsync(
            new CommandDefinition(
                "INSERT INTO maatregel_melding (maatregel_id, melding_id) SELECT @id, unnest(@meldingen) ON CONFLICT DO NOTHING",
                new { id = opgeslagen, meldingen = meldingen.Select(m => m.Id).ToArray() },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        await KoppelAsync(connection, transaction, opgeslagen.Value, id is null, hotspots, wandelingen, cancellationToken);
        await Audit.SchrijfAsync(
            connection,
            transaction,
            door,
            id is null ? "maatregel-aangemaakt" : "maatregel-gewijzigd",
            null,
            null,
            new
            {
                maatregel = opgeslagen,
                velden.type,
                velden.status,
                velden.wijk,
                meldingen = meldingen.Select(m => m.Volgcode).ToArray(),
                hotspots = hotspots.Select(h => h.Verwijzing.Tekst).ToArray(),
                wandelingen,
            },
            cancellationToken
        );
        await transaction.CommitAsync(cancellationToken);
        return new Uitkomst(opgeslagen, fouten);
    }

    /// <summary>A hotspot to link, checked against the engine (or kept as it was linked before).</summary>
    private sealed record TeKoppelenHotspot(HotspotVerwijzing Verwijzing, string BuurtCode, long Aantal, double Score, bool Bestaand);

    /// <summary>The findings: each must exist and have been filed from a walk.</summary>
    private async Task<List<(long Id, string Volgcode)>> BevindingenAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        MaatregelInvoer invoer,
        Dictionary<string, string> fouten,
        CancellationToken cancellationToken
    )
    {
        var rijen = (
            await connection.QueryAsync<(long Id, string Volgcode, long? WandelingId)>(
                new CommandDefinition(
                    "SELECT id, volgcode, wandeling_id FROM melding WHERE volgcode = ANY (@codes) OR id = ANY (@ids)",
                    new { codes = invoer.BevindingCodes.ToArray(), ids = invoer.BevindingIds.ToArray() },
                    transaction,
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();
        var onbekend = invoer
            .BevindingCodes.Where(c => !rijen.Any(m => m.Volgcode == c))
            .Concat(
                invoer
                    .BevindingIds.Where(i => !rijen.Any(m => m.Id == i))
                    .Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))
            )
            .ToList();
        var geenBevinding = rijen.Where(r => r.WandelingId is null).Select(r => r.Volgcode).ToList();
        if (onbekend.Count > 0)
        {
            fouten[nameof(MaatregelInvoer.Bevindingen)] = t["maatregel.fout.meldingen.bestaat.niet", string.Join(", ", onbekend)];
        }
        else if (geenBevinding.Count > 0)
        {
            fouten[nameof(MaatregelInvoer.Bevindingen)] = t["maatregel.fout.bevinding.geen", string.Join(", ", geenBevinding)];
        }
        return rijen.Select(r => (r.Id, r.Volgcode)).ToList();
    }

    /// <summary>The walks: each must exist and not be a concept.</summary>
    private async Task<long[]> WandelingenAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        MaatregelInvoer invoer,
        Dictionary<string, string> fouten,
        CancellationToken cancellationToken
    )
    {
        var bestaand = (
            await connection.QueryAsync<long>(
                new CommandDefinition(
                    "SELECT id FROM wandeling WHERE id = ANY (@ids) AND status <> 'concept'",
                    new { ids = invoer.WandelingIds.ToArray() },
                    transaction,
                    cancellationToken: cancellationToken
                )
            )
        ).ToHashSet();
        var onbekend = invoer.WandelingIds.Where(i => !bestaand.Contains(i)).ToList();
        if (onbekend.Count > 0)
        {
            fouten[nameof(MaatregelInvoer.Wandelingen)] = t[
                "maatregel.fout.wandelingen.bestaat.niet",
                string.Join(", ", onbekend.Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            ];
        }
        return invoer.WandelingIds.Where(bestaand.Contains).ToArray();
    }

    /// <summary>The hotspots: one already linked to this measure is kept as it was linked; a new one
    /// must be, in its period and under its filter, a hot Gi* cell or an unusual one, as the staff
    /// hotspot map shows it.</summary>
    private async Task<List<TeKoppelenHotspot>> HotspotsAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        long? id,
        MaatregelInvoer invoer,
        Dictionary<string, string> fouten,
        CancellationToken cancellationToken
    )
    {
        var uit = new List<TeKoppelenHotspot>();
        if (invoer.HotspotVerwijzingen.Count == 0)
        {
            return uit;
        }
        var al = (
            await connection.QueryAsync<(string Verwijzing, string BuurtCode, long Aantal, double Score)>(
                new CommandDefinition(
                    "SELECT verwijzing, buurt_code, aantal, score FROM maatregel_hotspot WHERE maatregel_id = @id",
                    new { id = id ?? 0 },
                    transaction,
                    cancellationToken: cancellationToken
                )
            )
        ).ToDictionary(h => h.Verwijzing);
        var geen = new List<string>();
        foreach (var v in invoer.HotspotVerwijzingen)
        {
            if (al.TryGetValue(v.Tekst, out var bestaand))
            {
                uit.Add(new TeKoppelenHotspot(v, bestaand.BuurtCode, bestaand.Aantal, bestaand.Score, true));
                continue;
            }
            TeKoppelenHotspot? gevonden = null;
            if (v.Laag == "gi")
            {
                var cel = (await hotspotEngine.BerekenAsync(v.Filter, cancellationToken: cancellationToken)).FirstOrDefault(c =>
                    c.I == v.I && c.J == v.J
                );
                if (cel is { Klasse: > HotspotKlasse.Geen })
                {
                    gevonden = new TeKoppelenHotspot(v, cel.BuurtCode, cel.Aantal, cel.Z, false);
                }
            }
            else
            {
                var cel = (await ongewoonEngine.BerekenAsync(v.Filter, cancellationToken: cancellationToken)).Cellen.FirstOrDefault(c =>
                    c.I == v.I && c.J == v.J
                );
                if (cel is { Ongewoon: true })
                {
                    gevonden = new TeKoppelenHotspot(v, cel.BuurtCode, cel.Aantal, cel.Q ?? 1, false);
                }
            }
            if (gevonden is null)
            {
                geen.Add(v.Tekst);
            }
            else
            {
                uit.Add(gevonden);
            }
        }
        if (geen.Count > 0)
        {
            fouten[nameof(MaatregelInvoer.Hotspots)] = t["maatregel.fout.hotspot.geen", string.Join(", ", geen)];
        }
        return uit;
    }

    /// <summary>Replaces the measure's linked hotspots and walks.</summary>
    private static async Task KoppelAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        long id,
        bool nieuw,
        IReadOnlyList<TeKoppelenHotspot> hotspots,
        long[] wandelingen,
        CancellationToken cancellationToken
    )
    {
        if (!nieuw)
        {
            await connection.ExecuteAsync(
                new CommandDefinition(
                    """
                    DELETE FROM maatregel_hotspot WHERE maatregel_id = @id;
                    DELETE FROM maatregel_wandeling WHERE maatregel_id = @id;
                    """,
                    new { id },
                    transaction,
                    cancellationToken: cancellationToken
                )
            );
        }
        foreach (var h in hotspots)
        {
            var v = h.Verwijzing;
            await connection.ExecuteAsync(
                new CommandDefinition(
                    """
                    INSERT INTO maatregel_hotspot (maatregel_id, verwijzing, laag, celgrootte, i, j, van, tot, thema, rubriek, gesloten,
                                                   buurt_code, aantal, score)
                    VALUES (@id, @tekst, @laag, @celgrootte, @i, @j, @van::date, @tot::date, @thema, @rubriek, @gesloten,
                            @buurt, @aantal, @score)
                    """,
                    new
                    {
                        id,
                        tekst = v.Tekst,
                        laag = v.Laag,
                        celgrootte = v.Celgrootte,
                        i = v.I,
                        j = v.J,
                        van = v.Van,
                        tot = v.Tot,
                        thema = v.Thema,
                        rubriek = v.Rubriek,
                        gesloten = v.Gesloten,
                        buurt = h.BuurtCode,
                        aantal = h.Aantal,
                        score = h.Score,
                    },
                    transaction,
                    cancellationToken: cancellationToken
                )
            );
        }
        await connection.ExecuteAsync(
            new CommandDefinition(
                "INSERT INTO maatregel_wandeling (maatregel_id, wandeling_id) SELECT @id, unnest(@wandelingen) ON CONFLICT DO NOTHING",
                new { id, wandelingen },
                transaction,
                cancellationToken: cancellationToken
            )
        );
    }

    /// <summary>The linked hotspots and walks, for the staff page.</summary>
    public async Task<Koppelingen> KoppelingenAsync(long id, CancellationToken cancellationToken)
    {
        var meldingen = await GekoppeldAsync(id, cancellationToken);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var hotspots = (
            await connection.QueryAsync<GekoppeldeHotspot>(
                new CommandDefinition(
                    """
                    SELECT h.verwijzing, h.laag, b.naam AS buurtnaam, h.aantal, h.score
                    FROM maatregel_hotspot h JOIN buurt b ON b.code = h.buurt_code
                    WHERE h.maatregel_id = @id ORDER BY h.van, h.verwijzing
                    """,
                    new { id },
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();
        return new Koppelingen(meldingen, hotspots, await WandelingenVanAsync(connection, id, klok, cancellationToken));
    }

    private const string WandelingSelect = """
        SELECT w.id, w.titel, (w.begint_op AT TIME ZONE 'Europe/Amsterdam') AS begin, w.status,
               w.status = 'gepubliceerd' AND w.begint_op + make_interval(mins => w.duur_minuten) < @nu AS verslag
        FROM wandeling w
        """;

    /// <summary>The walks linked to a measure (not concepts), in order of their date.</summary>
    private static async Task<IReadOnlyList<GekoppeldeWandeling>> WandelingenVanAsync(
        NpgsqlConnection connection,
        long id,
        TimeProvider klok,
        CancellationToken cancellationToken
    ) =>
        (
            await connection.QueryAsync<GekoppeldeWandeling>(
                new CommandDefinition(
                    WandelingSelect
                        + """

                        JOIN maatregel_wandeling mw ON mw.wandeling_id = w.id
                        WHERE mw.maatregel_id = @id AND w.status <> 'concept'
                        ORDER BY w.begint_op, w.id
                        """,
                    new { id, nu = klok.GetUtcNow() },
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();

    /// <summary>The published walks a measure came from: linked as a walk, or through a public finding.</summary>
    private async Task<IReadOnlyList<GekoppeldeWandeling>> PubliekeWandelingenAsync(
        NpgsqlConnection connection,
        long id,
        CancellationToken cancellationToken
    ) =>
        (
            await connection.QueryAsync<GekoppeldeWandeling>(
                new CommandDefinition(
                    WandelingSelect
                        + """

                        WHERE w.status = 'gepubliceerd'
                          AND (w.id IN (SELECT wandeling_id FROM maatregel_wandeling WHERE maatregel_id = @id)
                               OR w.id IN (SELECT me.wandeling_id FROM maatregel_melding mm
                                           JOIN melding me ON me.id = mm.melding_id JOIN rubriek r ON r.id = me.rubriek_id
                                           WHERE mm.maatregel_id = @id AND r.openbaarheid <> 'verborgen' AND me.status <> 'ingetrokken'))
                        ORDER BY w.begint_op, w.id
                        """,
                    new { id, nu = klok.GetUtcNow() },
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();

    /// <summary>A measure that came from a walk, for the walk's public report.</summary>
    public sealed record VanWandeling(
        long Id,
        string Titel,
        string TypeCode,
        string Status,
        DateTime StartDatum,
        DateTime? EindDatum,
        string WijkCode
    );

    /// <summary>The measures that came from a walk: linked to the walk itself or to one of its public
    /// findings (a sensitive finding does not make its measure show up here).</summary>
    public async Task<IReadOnlyList<VanWandeling>> VanWandelingAsync(long wandelingId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (
            await connection.QueryAsync<VanWandeling>(
                new CommandDefinition(
                    """
                    SELECT m.id, m.titel, m.type_code AS typecode, m.status, m.start_datum::timestamp AS startdatum,
                           m.eind_datum::timestamp AS einddatum, m.wijk_code AS wijkcode
                    FROM maatregel m
                    WHERE m.id IN (SELECT maatregel_id FROM maatregel_wandeling WHERE wandeling_id = @wandelingId)
                       OR m.id IN (SELECT mm.maatregel_id FROM maatregel_melding mm
                                   JOIN melding me ON me.id = mm.melding_id JOIN rubriek r ON r.id = me.rubriek_id
                                   WHERE me.wandeling_id = @wandelingId AND r.openbaarheid <> 'verborgen' AND me.status <> 'ingetrokken')
                    ORDER BY m.start_datum, m.id
                    """,
                    new { wandelingId },
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();
    }

    /// <summary>The public hotspots of a measure: coarsened to the public grid (see
    /// <see cref="PubliekeHotspot"/>); hotspots of a sensitive category, or of a theme whose categories
    /// are all sensitive, are left out.</summary>
    private async Task<IReadOnlyList<PubliekeHotspot>> PubliekeHotspotsAsync(
        NpgsqlConnection connection,
        long id,
        CancellationToken cancellationToken
    )
    {
        var rijen = (
            await connection.QueryAsync<(
                string Laag,
                int Celgrootte,
                int I,
                int J,
                DateTime Van,
                DateTime Tot,
                string? Thema,
                string BuurtNaam
            )>(
                new CommandDefinition(
                    """
                    SELECT h.laag, h.celgrootte, h.i, h.j, h.van::timestamp, h.tot::timestamp, h.thema, b.naam
                    FROM maatregel_hotspot h JOIN buurt b ON b.code = h.buurt_code
                    WHERE h.maatregel_id = @id
                      AND (h.rubriek IS NULL OR EXISTS (SELECT 1 FROM rubriek r WHERE r.code = h.rubriek AND r.openbaarheid <> 'verborgen'))
                      AND (h.thema IS NULL OR EXISTS (SELECT 1 FROM rubriek r JOIN thema t ON t.id = r.thema_id
                                                      WHERE t.code = h.thema AND r.openbaarheid <> 'verborgen'))
                    ORDER BY h.van, h.verwijzing
                    """,
                    new { id },
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();
        var uit = new List<PubliekeHotspot>();
        var grof = new HexRaster(opties.Value.PubliekeCelgrootte);
        foreach (var r in rijen)
        {
            var midden = new HexRaster(r.Celgrootte).Middelpunt(new HexCel(r.I, r.J));
            var cel = grof.Cel(midden.X, midden.Y);
            var buurt = await connection.QuerySingleOrDefaultAsync<string?>(
                new CommandDefinition(
                    """
                    SELECT b.naam FROM hotspot_cel c JOIN buurt b ON b.code = c.buurt_code
                    WHERE c.celgrootte = @g AND c.i = @i AND c.j = @j
                    """,
                    new
                    {
                        g = opties.Value.PubliekeCelgrootte,
                        i = cel.I,
                        j = cel.J,
                    },
                    cancellationToken: cancellationToken
                )
            );
            var publiek = new PubliekeHotspot(
                r.Laag,
                r.Van,
                r.Tot,
                opties.Value.PubliekeCelgrootte,
                cel.I,
                cel.J,
                buurt ?? r.BuurtNaam,
                r.Thema
            );
            if (!uit.Contains(publiek))
            {
                uit.Add(publiek);
            }
        }
        return uit;
    }

    /// <summary>The measures of a wijk with their public linked reports and, once a measure has run
    /// long enough, its before/after figure.</summary>
    public async Task<IReadOnlyList<Publiek>> VanWijkAsync(string wijkcode, int raster, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var lijst = (
            await connection.QueryAsync<Maatregel>(
                new CommandDefinition(
                    MaatregelSelect + " WHERE m.wijk_code = @wijkcode ORDER BY m.start_datum DESC, m.id DESC LIMIT 50",
                    new { wijkcode },
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();
        var uit = new List<Publiek>();
        foreach (var m in lijst)
        {
            uit.Add(
                new Publiek(
                    m,
                    await PubliekGekoppeldAsync(connection, m.Id, raster, cancellationToken),
                    await VoorNaAsync(connection, m, cancellationToken),
                    await PubliekeHotspotsAsync(connection, m.Id, cancellationToken),
                    await PubliekeWandelingenAsync(connection, m.Id, cancellationToken)
                )
            );
        }
        return uit;
    }

    private static async Task<IReadOnlyList<PubliekGekoppeld>> PubliekGekoppeldAsync(
        NpgsqlConnection connection,
        long id,
        int raster,
        CancellationToken cancellationToken
    ) =>
        (
            await connection.QueryAsync<PubliekGekoppeld>(
                new CommandDefinition(
                    """
                    SELECT me.volgcode, in_taal(r.naam, r.naam_en, @taal) AS rubriek,
                           in_taal(s.naam, s.naam_en, @taal) AS statusnaam,
                           ST_Y(ST_Transform(publiek_punt(me.locatie, r.openbaarheid, @raster), 4326)) AS lat,
                           ST_X(ST_Transform(publiek_punt(me.locatie, r.openbaarheid, @raster), 4326)) AS lon,
                           me.wandeling_id AS wandelingid
                    FROM maatregel_melding mm
                    JOIN melding me ON me.id = mm.melding_id
                    JOIN rubriek r ON r.id = me.rubriek_id
                    JOIN meldingstatus s ON s.code = me.status
                    WHERE mm.maatregel_id = @id AND r.openbaarheid <> 'verborgen' AND me.status <> 'ingetrokken'
                    ORDER BY me.aangemaakt_op, me.id
                    """,
                    new
                    {
                        id,
                        raster = (double)raster,
                        taal = Taal.Code,
                    },
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();

    /// <summary>The before/after figure, or null while the measure has not run
    /// <see cref="MaatregelenOptions.MinDagenVoorNa"/> days, or when no public report is linked
    /// (then there are no comparable categories). Equal periods: the days since the start (at most
    /// <see cref="MaatregelenOptions.MaxDagenVoorNa"/>) after the start, and as many before it.</summary>
    public async Task<VoorNa?> VoorNaAsync(NpgsqlConnection connection, Maatregel m, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(m);
        var o = opties.Value;
        var vandaag = DateOnly.FromDateTime(Tijd.Lokaal(klok.GetUtcNow()).Date);
        var start = DateOnly.FromDateTime(m.StartDatum);
        var dagen = Math.Min(vandaag.DayNumber - start.DayNumber, o.MaxDagenVoorNa);
        if (m.Status == "gepland" || dagen < o.MinDagenVoorNa)
        {
            return null;
        }
        var van = start.AddDays(-dagen);
        var tot = start.AddDays(dagen);
        var rij = await connection.QuerySingleAsync<(long Voor, long Na, string[]? Rubrieken)>(
            new CommandDefinition(
                """
                WITH soort AS (
                    SELECT DISTINCT me.rubriek_id FROM maatregel_melding mm
                    JOIN melding me ON me.id = mm.melding_id JOIN rubriek r ON r.id = me.rubriek_id
                    WHERE mm.maatregel_id = @id AND r.openbaarheid <> 'verborgen'
                ),
                gebied AS (
                    SELECT CASE WHEN GeometryType(geom) = 'POLYGON' THEN geom ELSE ST_Buffer(geom, @buffer) END AS geom
                    FROM maatregel WHERE id = @id
                ),
                telling AS (
                    SELECT count(*) FILTER (WHERE me.aangemaakt_op < (@start::timestamp AT TIME ZONE 'Europe/Amsterdam')) AS voor,
                           count(*) FILTER (WHERE me.aangemaakt_op >= (@start::timestamp AT TIME ZONE 'Europe/Amsterdam')) AS na
                    FROM melding me, gebied g
                    WHERE me.rubriek_id IN (SELECT rubriek_id FROM soort)
                      AND me.status <> 'ingetrokken'
                      AND ST_Covers(g.geom, me.locatie)
                      AND me.aangemaakt_op >= (@van::timestamp AT TIME ZONE 'Europe/Amsterdam')
                      AND me.aangemaakt_op < (@tot::timestamp AT TIME ZONE 'Europe/Amsterdam')
                )
                SELECT telling.voor, telling.na,
                       (SELECT array_agg(n.naam ORDER BY n.naam)
                        FROM soort JOIN rubriek r ON r.id = soort.rubriek_id
                        CROSS JOIN LATERAL (SELECT in_taal(r.naam, r.naam_en, @taal) AS naam) n) AS rubrieken
                FROM telling
                """,
                new
                {
                    id = m.Id,
                    buffer = (double)o.BufferMeters,
                    van = van.ToDateTime(TimeOnly.MinValue),
                    start = start.ToDateTime(TimeOnly.MinValue),
                    tot = tot.ToDateTime(TimeOnly.MinValue),
                    taal = Taal.Code,
                },
                cancellationToken: cancellationToken
            )
        );
        if (rij.Rubrieken is not { Length: > 0 })
        {
            return null;
        }
        return new VoorNa(
            dagen,
            van,
            start,
            tot.AddDays(-1),
            Onderdrukking.Los(rij.Voor, o.Drempel),
            Onderdrukking.Los(rij.Na, o.Drempel),
            rij.Rubrieken
        );
    }

    /// <summary>The measures of a wijk, or of the municipality, as GeoJSON (WGS84) for the map layer.</summary>
    public async Task<string> GeoJsonAsync(string? wijkcode, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleAsync<string>(
            new CommandDefinition(
                """
                SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
                    'type', 'Feature',
                    'geometry', ST_AsGeoJSON(ST_Transform(m.geom, 4326), 6)::json,
                    'properties', json_build_object(
                        'id', m.id, 'titel', m.titel, 'type', ty.naam, 'status', m.status,
                        'statusNaam', CASE m.status WHEN 'gepland' THEN @gepland WHEN 'lopend' THEN @lopend ELSE @afgerond END,
                        'link', '/wijken/' || m.wijk_code || '#maatregel-' || m.id)
                ) ORDER BY m.id), '[]'::json))::text
                FROM maatregel m
                JOIN maatregel_type ty ON ty.code = m.type_code
                JOIN wijk w ON w.code = m.wijk_code
                WHERE w.gemeente_code = @gemeente AND (@wijkcode::text IS NULL OR m.wijk_code = @wijkcode)
                """,
                new
                {
                    wijkcode,
                    gemeente = profiel.Value.CbsCode,
                    gepland = t["maatregel.status.gepland"].Value,
                    lopend = t["maatregel.status.lopend"].Value,
                    afgerond = t["maatregel.status.afgerond"].Value,
                },
                cancellationToken: cancellationToken
            )
        );
    }
}
