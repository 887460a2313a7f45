using Dapper;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Meldingen;

/// <summary>The selection staff make on /beheer/meldingen, bound from the query string so the list,
/// its map (kaart.geojson) and a bookmarked link all show the same reports.</summary>
public sealed class MeldingFilter
{
    /// <summary>A status code, "open" (every state that is not closed) or "te-laat" (open and past its target date).</summary>
    [FromQuery(Name = "status")]
    public string? Status { get; set; }

    /// <summary>"t:{thema}" or "r:{rubriek}".</summary>
    [FromQuery(Name = "rubriek")]
    public string? Rubriek { get; set; }

    /// <summary>"w:{wijkcode}" or "b:{buurtcode}".</summary>
    [FromQuery(Name = "gebied")]
    public string? Gebied { get; set; }

    [FromQuery(Name = "van")]
    public DateOnly? Van { get; set; }

    [FromQuery(Name = "tot")]
    public DateOnly? Tot { get; set; }

    /// <summary>"ik", "niemand", a staff id, or "team:{id}".</summary>
    [FromQuery(Name = "toegewezen")]
    public string? Toegewezen { get; set; }

    /// <summary>Words in the description, or a tracking code.</summary>
    [FromQuery(Name = "q")]
    public string? Tekst { get; set; }

    /// <summary>nieuw (default), oud, gewijzigd.</summary>
    [FromQuery(Name = "sorteer")]
    public string? Sorteer { get; set; }

    /// <summary>"wandeling": only reports recorded on a wijkwandeling.</summary>
    [FromQuery(Name = "herkomst")]
    public string? Herkomst { get; set; }

    /// <summary>"extern": only reports forwarded to an outside party that has not answered yet (and whose
    /// reply link still works).</summary>
    [FromQuery(Name = "wacht")]
    public string? Wacht { get; set; }

    [FromQuery(Name = "pagina")]
    public int? Pagina { get; set; }

    /// <summary>The filter as the list's query string ("?status=open&amp;toegewezen=ik"), the form's own names.</summary>
    public string AlsQuery()
    {
        var delen = new List<KeyValuePair<string, string?>>
        {
            new("status", Status),
            new("rubriek", Rubriek),
            new("gebied", Gebied),
            new("van", Van?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)),
            new("tot", Tot?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)),
            new("toegewezen", Toegewezen),
            new("q", Tekst),
            new("herkomst", Herkomst),
            new("wacht", Wacht),
            new("sorteer", Sorteer),
        };
        return Microsoft.AspNetCore.Http.QueryString.Create(delen.Where(d => !string.IsNullOrWhiteSpace(d.Value))).ToString();
    }

    /// <summary>The same binding for the GeoJSON endpoint, where a form's empty fields (van=&amp;tot=)
    /// must mean "no filter", as they do for the page.</summary>
    public static MeldingFilter UitQuery(IQueryCollection query)
    {
        ArgumentNullException.ThrowIfNull(query);
        string? Tekst(string sleutel) => query[sleutel].ToString() is { Length: > 0 } waarde ? waarde : null;
        DateOnly? Datum(string sleutel) =>
            DateOnly.TryParseExact(
                Tekst(sleutel),
                "yyyy-MM-dd",
                System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.None,
                out var datum
            )
                ? datum
                : null;
        return new MeldingFilter
        {
            Status = Tekst("status"),
            Rubriek = Tekst("rubriek"),
            Gebied = Tekst("gebied"),
            Van = Datum("van"),
            Tot = Datum("tot"),
            Toegewezen = Tekst("toegewezen"),
            Tekst = Tekst("q"),
            Sorteer = Tekst("sorteer"),
            Herkomst = Tekst("herkomst"),
            Wacht = Tekst("wacht"),
        };
    }
}

public static class MeldingenZoeken
{
    public const int PerPagina = 50;

    /// <summary>Counting stops here: "10.000+" is as useful as an exact figure and stays fast.</summary>
    public const int TelTot = 10_000;

    /// <summary>Points on the map at most (the newest of the selection).</summary>
    public const int KaartMaximum = 5_000;

    public sealed record Rij(
        long Id,
        string Volgcode,
        string Rubriek,
        string Status,
        string StatusNaam,
        bool Gesloten,
        string BuurtNaam,
        DateTime AangemaaktOp,
        string Omschrijving,
        string? Toegewezen,
        string? Team,
        bool Gewijzigd,
        long? HoofdmeldingId,
        bool TeLaat,
        string? Wandeling,
        int SteunAantal,
        bool NietOpgelost,
        bool WachtExtern
    );

    public sealed record Keuze(string Waarde, string Naam, string? Groep);

    /// <summary>The filter as SQL parameters: every value by name, nothing concatenated.</summary>
    private static object Parameters(MeldingFilter f, Guid ik)
    {
        string? Na(string? waarde, string voorvoegsel) =>
            waarde is not null && waarde.StartsWith(voorvoegsel, StringComparison.Ordinal) ? waarde[voorvoegsel.Length..] : null;
        var tekst = string.IsNullOrWhiteSpace(f.Tekst) ? null : f.Tekst.Trim();
        return new
        {
            status = string.IsNullOrEmpty(f.Status) || f.Status is "open" or "te-laat" ? null : f.Status,
            alleenOpen = f.Status == "open",
            teLaat = f.Status == "te-laat",
            thema = Na(f.Rubriek, "t:"),
            rubriek = Na(f.Rubriek, "r:"),
            wijk = Na(f.Gebied, "w:"),
            buurt = Na(f.Gebied, "b:"),
            van = f.Van?.ToDateTime(TimeOnly.MinValue),
            tot = f.Tot?.AddDays(1).ToDateTime(TimeOnly.MinValue),
            niemand = f.Toegewezen == "niemand",
            medewerker = f.Toegewezen == "ik" ? ik
            : Guid.TryParse(f.Toegewezen, out var id) ? id
            : (Guid?)null,
            team = short.TryParse(Na(f.Toegewezen, "team:"), out var team) ? team : (short?)null,
            tekst = tekst is null
                ? null
                : "%"
                    + tekst
                        .Replace("\\", "\\\\", StringComparison.Ordinal)
                        .Replace("%", "\\%", StringComparison.Ordinal)
                        .Replace("_", "\\_", StringComparison.Ordinal)
                    + "%",
            volgcode = Volgcode.Normaliseer(tekst),
            uitWandeling = f.Herkomst == "wandeling",
            wachtExtern = f.Wacht == "extern",
            taal = Taal.Code,
        };
    }

    // The WHERE clause shared by the list, the count and the map. A parameter that is null switches
    // its condition off; PostgreSQL folds those away when it plans with the actual values.
    private const string Waar = $"""
        WHERE (@status::text IS NULL OR m.status = @status)
          AND (NOT @alleenOpen OR m.status IN (SELECT code FROM meldingstatus WHERE NOT gesloten))
          AND (NOT @teLaat OR (m.streefdatum < now() AND m.status IN ('gemeld', 'in-behandeling', 'doorgezet', 'heropend')))
          AND (@rubriek::text IS NULL OR r.code = @rubriek)
          AND (@thema::text IS NULL OR t.code = @thema)
          AND (@wijk::text IS NULL OR m.wijk_code = @wijk)
          AND (@buurt::text IS NULL OR m.buurt_code = @buurt)
          AND (@van::timestamp IS NULL OR m.aangemaakt_op >= @van::timestamp AT TIME ZONE 'Europe/Amsterdam')
          AND (@tot::timestamp IS NULL OR m.aangemaakt_op < @tot::timestamp AT TIME ZONE 'Europe/Amsterdam')
          AND (NOT @niemand OR m.toegewezen_aan IS NULL)
          AND (@medewerker::uuid IS NULL OR m.toegewezen_aan = @medewerker)
          AND (@team::smallint IS NULL OR m.team_id = @team)
          AND (@tekst::text IS NULL OR m.omschrijving ILIKE @tekst OR m.volgcode = @volgcode)
          AND (NOT @uitWandeling OR m.wandeling_id IS NOT NULL)
          AND (NOT @wachtExtern OR EXISTS ({WachtExtern}))
        """;

    /// <summary>The report waits for an outside party: forwarded, not answered, the reply link still valid
    /// (as MeldingDetail.Doorsturing.Wacht). Uses melding_doorsturing_open_idx (V72).</summary>
    private const string WachtExtern = """
        SELECT 1 FROM melding_doorsturing d WHERE d.melding_id = m.id AND d.beantwoord_op IS NULL AND d.geldig_tot > now()
        """;

    public static async Task<(IReadOnlyList<Rij> Rijen, int Aantal)> LijstAsync(
        NpgsqlConnection connection,
        MeldingFilter filter,
        Guid ik,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(filter);
        var pagina = Math.Clamp(filter.Pagina ?? 1, 1, TelTot / PerPagina);
        var volgorde = filter.Sorteer switch
        {
            "oud" => "m.aangemaakt_op, m.id",
            "gewijzigd" => "m.gewijzigd_op DESC, m.id DESC",
            // "Ik heb dit ook": the reports most residents share rise to the top.
            "steun" => "m.steun_aantal DESC, m.aangemaakt_op DESC, m.id DESC",
            _ => "m.aangemaakt_op DESC, m.id DESC",
        };
        var parameters = new DynamicParameters(Parameters(filter, ik));
        parameters.Add("overslaan", (pagina - 1) * PerPagina);
        parameters.Add("aantal", PerPagina);
        parameters.Add("telTot", TelTot + 1);

        var rijen = await connection.QueryAsync<Rij>(
            new CommandDefinition(
                $"""
                SELECT m.id, m.volgcode, in_taal(r.naam, r.naam_en, @taal) AS rubriek, m.status,
                       in_taal(s.naam, s.naam_en, @taal) AS statusnaam, s.gesloten, b.naam AS buurtnaam,
                       m.aangemaakt_op AS aangemaaktop, left(m.omschrijving, 140) AS omschrijving,
                       mw.naam AS toegewezen, tm.naam AS team,
                       coalesce(m.melder_gewijzigd_op > coalesce(m.bekeken_op, '-infinity'), false) AS gewijzigd,
                       m.hoofdmelding_id AS hoofdmeldingid,
                       coalesce(m.streefdatum < now() AND NOT s.gesloten, false) AS telaat,
                       (SELECT wa.titel FROM wandeling wa WHERE wa.id = m.wandeling_id) AS wandeling,
                       m.steun_aantal AS steunaantal,
                       EXISTS (SELECT 1 FROM melding_heropenverzoek hv WHERE hv.melding_id = m.id AND hv.status = 'open')
                           AS nietopgelost,
                       EXISTS ({WachtExtern}) AS wachtextern
                FROM melding m
                JOIN rubriek r ON r.id = m.rubriek_id
                JOIN thema t ON t.id = r.thema_id
                JOIN meldingstatus s ON s.code = m.status
                JOIN buurt b ON b.code = m.buurt_code
                LEFT JOIN medewerker mw ON mw.id = m.toegewezen_aan
                LEFT JOIN team tm ON tm.id = m.team_id
                {Waar}
                ORDER BY {volgorde}
                LIMIT @aantal OFFSET @overslaan
                """,
                parameters,
                cancellationToken: cancellationToken
            )
        );

        var aantal = await TelAsync(connection, parameters, cancellationToken);
        return (rijen.AsList(), aantal);
    }

    /// <summary>How many reports the filter selects (up to <see cref="TelTot"/> + 1), counted exactly as
    /// the list counts them: the start page's workload links to the list with the same filter.</summary>
    public static Task<int> TelAsync(NpgsqlConnection connection, MeldingFilter filter, Guid ik, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var parameters = new DynamicParameters(Parameters(filter, ik));
        parameters.Add("telTot", TelTot + 1);
        return TelAsync(connection, parameters, cancellationToken);
    }

    private static Task<int> TelAsync(NpgsqlConnection connection, DynamicParameters parameters, CancellationToken cancellationToken) =>
        connection.ExecuteScalarAsync<int>(
            new CommandDefinition(
                $"""
                SELECT count(*) FROM (
                    SELECT 1 FROM melding m
                    JOIN rubriek r ON r.id = m.rubriek_id
                    JOIN thema t ON t.id = r.thema_id
                    {Waar}
                    LIMIT @telTot
                ) x
                """,
                parameters,
                cancellationToken: cancellationToken
            )
        );

    /// <summary>The selection as a GeoJSON FeatureCollection (EPSG:4326), built in SQL: exact
    /// points, for staff only.</summary>
    public static async Task<string> KaartAsync(
        NpgsqlConnection connection,
        MeldingFilter filter,
        Guid ik,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(filter);
        var parameters = new DynamicParameters(Parameters(filter, ik));
        parameters.Add("maximum", KaartMaximum);
        return await connection.ExecuteScalarAsync<string>(
            new CommandDefinition(
                $"""
                SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
                           'type', 'Feature',
                           'geometry', ST_AsGeoJSON(ST_Transform(x.locatie, 4326), 6)::json,
                           'properties', json_build_object('id', x.id, 'volgcode', x.volgcode, 'rubriek', x.rubriek,
                                                           'status', x.status, 'statusnaam', x.statusnaam))), '[]'::json))::text
                FROM (
                    SELECT m.id, m.volgcode, m.locatie, in_taal(r.naam, r.naam_en, @taal) AS rubriek, m.status,
                           in_taal(s.naam, s.naam_en, @taal) AS statusnaam
                    FROM melding m
                    JOIN rubriek r ON r.id = m.rubriek_id
                    JOIN thema t ON t.id = r.thema_id
                    JOIN meldingstatus s ON s.code = m.status
                    {Waar}
                    ORDER BY m.aangemaakt_op DESC, m.id DESC
                    LIMIT @maximum
                ) x
                """,
                parameters,
                cancellationToken: cancellationToken
            )
        ) ?? """{"type":"FeatureCollection","features":[]}""";
    }

    /// <summary>The choices for the filter form: statuses, themes and categories, wijken and buurten,
    /// teams and staff.</summary>
    public sealed record Keuzes(
        IReadOnlyList<Keuze> Statussen,
        IReadOnlyList<Keuze> Rubrieken,
        IReadOnlyList<Keuze> Gebieden,
        IReadOnlyList<Keuze> Toewijzingen
    );

    public static async Task<Keuzes> KeuzesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var statussen = await connection.QueryAsync<Keuze>(
            new CommandDefinition(
                "SELECT code AS waarde, in_taal(naam, naam_en, @taal) AS naam, NULL AS groep FROM meldingstatus ORDER BY volgorde",
                new { taal = Taal.Code },
                cancellationToken: cancellationToken
            )
        );
        var rubrieken = await connection.QueryAsync<Keuze>(
            new CommandDefinition(
                """
                SELECT 't:' || t.code AS waarde, in_taal(t.naam, t.naam_en, @taal) AS naam, 'Thema' AS groep FROM thema t
                UNION ALL
                SELECT 'r:' || r.code, in_taal(r.naam, r.naam_en, @taal), 'Categorie' FROM rubriek r
                ORDER BY groep DESC, naam
                """,
                new { taal = Taal.Code },
                cancellationToken: cancellationToken
            )
        );
        var gebieden = await connection.QueryAsync<Keuze>(
            new CommandDefinition(
                """
                SELECT 'w:' || code AS waarde, naam, 'Wijk' AS groep FROM wijk
                UNION ALL
                SELECT 'b:' || code, naam, 'Buurt' FROM buurt
                ORDER BY groep DESC, naam
                """,
                cancellationToken: cancellationToken
            )
        );
        var toewijzingen = await connection.QueryAsync<Keuze>(
            new CommandDefinition(
                """
                SELECT 'team:' || id AS waarde, naam, 'Team' AS groep FROM team WHERE actief
                UNION ALL
                SELECT m.id::text, m.naam, 'Medewerker' FROM medewerker m
                WHERE m.actief
                    AND EXISTS (SELECT 1 FROM medewerker_rol r WHERE r.medewerker_id = m.id AND r.rol IN ('wijkprofessional', 'beheerder'))
                ORDER BY groep DESC, naam
                """,
                cancellationToken: cancellationToken
            )
        );
        return new Keuzes(statussen.AsList(), rubrieken.AsList(), gebieden.AsList(), toewijzingen.AsList());
    }
}
