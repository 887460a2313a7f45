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
    TimeProvider klok
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

    /// <summary>A linked report as staff see it (every category).</summary>
    public sealed record Gekoppeld(long Id, string Volgcode, string Rubriek, string StatusNaam);

    /// <summary>A linked report as the public sees it: sensitive categories and withdrawn reports are
    /// left out, the place only as the coarsened public point.</summary>
    public sealed record PubliekGekoppeld(string Volgcode, string Rubriek, string StatusNaam, double? Lat, double? Lon);

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

    public sealed record Publiek(Maatregel Maatregel, IReadOnlyList<PubliekGekoppeld> Meldingen, VoorNa? VoorNa);

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
                           in_taal(s.naam, s.naam_en, @taal) AS statusnaam
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
        if (fouten.Count > 0)
        {
            return new Uitkomst(null, fouten);
        }

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
            },
            cancellationToken
        );
        await transaction.CommitAsync(cancellationToken);
        return new Uitkomst(opgeslagen, fouten);
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
                    await VoorNaAsync(connection, m, cancellationToken)
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
                           ST_X(ST_Transform(publiek_punt(me.locatie, r.openbaarheid, @raster), 4326)) AS lon
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
