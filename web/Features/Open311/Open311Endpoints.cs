using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using Polly.Registry;
using Wijkmeldingen.Web.Data;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Geo.Geocoding;
using Wijkmeldingen.Web.Hosting;
using static Wijkmeldingen.Web.Features.Open311.Open311Antwoord;

namespace Wijkmeldingen.Web.Features.Open311;

/// <summary>
/// Open311 GeoReport v2 under /open311/v2/ (http://wiki.open311.org/GeoReport_v2): discovery,
/// services, service definitions, filing and reading requests, tokens. XML and JSON for every
/// resource. Filing follows the web form's rules (validation, the municipality check, idempotency,
/// the confirmation mail); reading follows the public map's privacy rules (no sensitive categories,
/// no text, coarsened places).
/// </summary>
public static class Open311Endpoints
{
    public const string Specificatie = "http://wiki.open311.org/GeoReport_v2";
    public const string Changeset = "2026-11-27T00:00:00+01:00";

    private sealed record Dienst(string Code, string Naam, string Uitleg, string Thema, string Prioriteit);

    private sealed record Verzoek(
        string Volgcode,
        bool Gesloten,
        string? Notitie,
        string Naam,
        string Code,
        DateTime Aangemaakt,
        DateTime Gewijzigd,
        string Buurt,
        string? Postcode,
        double? Lat,
        double? Lon,
        string? Beschrijving,
        long? FotoId
    );

    public static IServiceCollection AddOpen311(this IServiceCollection services)
    {
        services.AddOptions<Open311Options>().BindConfiguration(Open311Options.Section);
        services.AddSingleton(sp =>
        {
            var opties = sp.GetRequiredService<IOptions<Open311Options>>().Value;
            return new Open311Limieten(
                PartitionedRateLimiter.Create<string, string>(k =>
                    RateLimitPartition.GetFixedWindowLimiter(k, _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = Math.Max(1, opties.PerSleutelPerMinuut),
                        Window = TimeSpan.FromMinutes(1),
                    })
                ),
                PartitionedRateLimiter.Create<string, string>(k =>
                    RateLimitPartition.GetFixedWindowLimiter(k, _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = Math.Max(1, opties.PerClientPerMinuut),
                        Window = TimeSpan.FromMinutes(1),
                    })
                )
            );
        });
        services.AddCommando("api-sleutel", ApiSleutels.CommandoAsync);
        // Input refused before the API sees it (control characters) still gets GeoReport's error form.
        services.AddSingleton(new ApiFoutvorm("/open311/v2", (context, status, bericht) =>
            {
                var formaat = context.Request.Path.Value?.EndsWith(".xml", StringComparison.OrdinalIgnoreCase) == true ? "xml" : "json";
                return Open311Antwoord.Foutmelding(formaat, status, bericht).ExecuteAsync(context);
            }));
        // The beheerders' half: Beheer/ (API keys, routes under /beheer).
        services.Configure<Microsoft.AspNetCore.Mvc.RazorPages.RazorPagesOptions>(options =>
            options.Conventions.AuthorizeFolder("/Open311/Beheer", BeheerPolicies.Beheerder)
        );
        return services;
    }

    public sealed record Open311Limieten(PartitionedRateLimiter<string> PerSleutel, PartitionedRateLimiter<string> PerClient);

    public static IEndpointRouteBuilder MapOpen311(this IEndpointRouteBuilder app)
    {
        var v2 = app.MapGroup("/open311/v2");
        v2.AddEndpointFilter(
            async (context, next) =>
            {
                var http = context.HttpContext;
                var formaat = Formaat(http);
                if (formaat is null)
                {
                    return Foutmelding("json", StatusCodes.Status404NotFound, "Onbekend formaat: gebruik .xml of .json.");
                }
                var limieten = http.RequestServices.GetRequiredService<Open311Limieten>();
                using var lease = limieten.PerClient.AttemptAcquire(http.Connection.RemoteIpAddress?.ToString() ?? "onbekend");
                if (!lease.IsAcquired)
                {
                    return Foutmelding(
                        formaat,
                        StatusCodes.Status429TooManyRequests,
                        "Te veel verzoeken; probeer het over een minuut opnieuw."
                    );
                }
                var jurisdictie = Param(http, "jurisdiction_id");
                var opties = http.RequestServices.GetRequiredService<IOptions<Open311Options>>().Value;
                if (jurisdictie is not null && !string.Equals(jurisdictie, opties.JurisdictionId, StringComparison.OrdinalIgnoreCase))
                {
                    return Foutmelding(
                        formaat,
                        StatusCodes.Status404NotFound,
                        $"jurisdiction_id '{jurisdictie}' is onbekend; deze server bedient '{opties.JurisdictionId}'."
                    );
                }
                try
                {
                    return await next(context);
                }
                catch (Exception e) when (WebHosting.IsDatabaseUnavailable(e))
                {
                    return Foutmelding(
                        formaat,
                        StatusCodes.Status503ServiceUnavailable,
                        "De dienst is tijdelijk niet beschikbaar; probeer het later opnieuw."
                    );
                }
            }
        );

        v2.MapGet("/discovery.{format}", (HttpContext http, IOptions<Open311Options> options) =>
        {
            var opties = options.Value;
            var basis = $"{http.Request.Scheme}://{http.Request.Host}/open311/v2";
            return Schrijf(
                Formaat(http)!,
                new Obj(
                    "discovery",
                    [
                        ("changeset", Changeset),
                        ("contact", opties.Contact),
                        ("key_service", opties.KeyService),
                        (
                            "endpoints",
                            new Lijst(
                                "endpoints",
                                "endpoint",
                                [
                                    new Obj(
                                        "endpoint",
                                        [
                                            ("specification", Specificatie),
                                            ("url", basis),
                                            ("changeset", Changeset),
                                            ("type", "production"),
                                            ("formats", new Lijst("formats", "format", ["text/xml", "application/json"])),
                                        ]
                                    ),
                                ]
                            )
                        ),
                    ]
                )
            );
        });

        v2.MapGet("/services.{format}", async (HttpContext http, LeesDatabase lezen, CancellationToken cancellationToken) =>
        {
            var diensten = await DienstenAsync(lezen.Bron, null, cancellationToken);
            return Schrijf(
                Formaat(http)!,
                new Lijst(
                    "services",
                    "service",
                    diensten
                        .Select(d =>
                            (object)
                                new Obj(
                                    "service",
                                    [
                                        ("service_code", d.Code),
                                        ("service_name", d.Naam),
                                        ("description", d.Uitleg),
                                        ("metadata", true),
                                        ("type", "realtime"),
                                        ("keywords", $"{d.Prioriteit}, {d.Thema}"),
                                        ("group", d.Thema),
                                    ]
                                )
                        )
                        .ToList()
                )
            );
        });

        v2.MapGet(
            "/services/{code}.{format}",
            async (string code, HttpContext http, LeesDatabase lezen, CancellationToken cancellationToken) =>
            {
                var formaat = Formaat(http)!;
                if ((await DienstenAsync(lezen.Bron, code, cancellationToken)).Count == 0)
                {
                    return Foutmelding(formaat, StatusCodes.Status404NotFound, $"service_code '{code}' is onbekend.");
                }
                return Schrijf(
                    formaat,
                    new Obj(
                        "service_definition",
                        [
                            ("service_code", code),
                            (
                                "attributes",
                                new Lijst(
                                    "attributes",
                                    "attribute",
                                    [
                                        new Obj(
                                            "attribute",
                                            [
                                                ("variable", true),
                                                ("code", "voorgevallen_op"),
                                                ("datatype", "datetime"),
                                                ("required", false),
                                                (
                                                    "datatype_description",
                                                    "Wanneer gebeurde het? ISO 8601, bijvoorbeeld 2026-11-27T21:30:00+01:00."
                                                ),
                                                ("order", 1),
                                                ("description", "Wanneer gebeurde het?"),
                                            ]
                                        ),
                                    ]
                                )
                            ),
                        ]
                    )
                );
            }
        );

        v2.MapPost("/requests.{format}", PostRequestAsync).DisableAntiforgery();

        v2.MapGet(
            "/requests.{format}",
            async (
                HttpContext http,
                LeesDatabase lezen,
                IOptions<PubliekOptions> kaart,
                TimeProvider klok,
                CancellationToken cancellationToken
            ) =>
            {
                var formaat = Formaat(http)!;
                var (filter, fout) = Open311Filter.Lees(naam => Param(http, naam), klok.GetUtcNow());
                if (filter is null)
                {
                    return Foutmelding(formaat, StatusCodes.Status400BadRequest, fout!);
                }
                var verzoeken = await VerzoekenAsync(
                    lezen.Bron,
                    kaart.Value.PubliekRasterMeters,
                    filter.Codes,
                    filter.Diensten,
                    filter.Status,
                    filter.Vanaf,
                    filter.Tot,
                    1000,
                    cancellationToken
                );
                return Schrijf(
                    formaat,
                    new Lijst("service_requests", "request", verzoeken.Select(v => AlsObj(v, Basis(http, kaart.Value))).ToList())
                );
            }
        );

        v2.MapGet(
            "/requests/{id}.{format}",
            async (string id, HttpContext http, LeesDatabase lezen, IOptions<PubliekOptions> kaart, CancellationToken cancellationToken) =>
            {
                var formaat = Formaat(http)!;
                var code = Volgcode.Normaliseer(id);
                var verzoeken = code is null
                    ? []
                    : await VerzoekenAsync(lezen.Bron, kaart.Value.PubliekRasterMeters, [code], [], null, null, null, 1, cancellationToken);
                return verzoeken.Count == 0
                    ? Foutmelding(formaat, StatusCodes.Status404NotFound, $"service_request_id '{id}' is onbekend.")
                    : Schrijf(
                        formaat,
                        new Lijst("service_requests", "request", verzoeken.Select(v => AlsObj(v, Basis(http, kaart.Value))).ToList())
                    );
            }
        );

        // We answer POST with the service_request_id at once; a token is the same tracking code.
        v2.MapGet(
            "/tokens/{token}.{format}",
            async (
                string token,
                HttpContext http,
                NpgsqlDataSource dataSource,
                IOptions<PubliekOptions> kaart,
                CancellationToken cancellationToken
            ) =>
            {
                var formaat = Formaat(http)!;
                var code = Volgcode.Normaliseer(token);
                var verzoeken = code is null
                    ? []
                    : await VerzoekenAsync(dataSource, kaart.Value.PubliekRasterMeters, [code], [], null, null, null, 1, cancellationToken);
                return verzoeken.Count == 0
                    ? Foutmelding(formaat, StatusCodes.Status404NotFound, $"token '{token}' is onbekend.")
                    : Schrijf(
                        formaat,
                        new Lijst(
                            "service_requests",
                            "request",
                            [new Obj("request", [("service_request_id", verzoeken[0].Volgcode), ("token", verzoeken[0].Volgcode)])]
                        )
                    );
            }
        );
        return app;
    }

    private static async Task<IResult> PostRequestAsync(
        HttpContext http,
        NpgsqlDataSource dataSource,
        ResiliencePipelineProvider<string> pipelines,
        IGeocoder geocoder,
        MeldingMails mails,
        IOptions<MeldenOptions> meldenOptions,
        Open311Limieten limieten,
        TimeProvider klok,
        CancellationToken cancellationToken
    )
    {
        var formaat = Formaat(http)!;
        if (!http.Request.HasFormContentType)
        {
            return Foutmelding(
                formaat,
                StatusCodes.Status400BadRequest,
                "Stuur de parameters als application/x-www-form-urlencoded (of multipart/form-data)."
            );
        }
        var form = await http.Request.ReadFormAsync(cancellationToken);
        string? Veld(string naam) => form[naam].FirstOrDefault() is { Length: > 0 } waarde ? waarde.Trim() : null;

        if (
            await ApiSleutels.ControleerAsync(dataSource, Veld("api_key") ?? Param(http, "api_key"), cancellationToken) is not { } sleutelId
        )
        {
            return Foutmelding(formaat, StatusCodes.Status403Forbidden, "api_key ontbreekt of is ongeldig.");
        }
        using (var lease = limieten.PerSleutel.AttemptAcquire(sleutelId.ToString(CultureInfo.InvariantCulture)))
        {
            if (!lease.IsAcquired)
            {
                return Foutmelding(
                    formaat,
                    StatusCodes.Status429TooManyRequests,
                    "Te veel meldingen met deze api_key; probeer het over een minuut opnieuw."
                );
            }
        }
        if (Veld("service_code") is not { } dienst)
        {
            return Foutmelding(formaat, StatusCodes.Status400BadRequest, "service_code ontbreekt.");
        }
        var gevonden = await DienstenAsync(dataSource, dienst, cancellationToken);
        if (gevonden.Count == 0)
        {
            return Foutmelding(formaat, StatusCodes.Status404NotFound, $"service_code '{dienst}' is onbekend.");
        }

        double lat,
            lon;
        if (Veld("lat") is { } latTekst && Veld("long") is { } lonTekst)
        {
            if (
                !double.TryParse(latTekst, NumberStyles.Float, CultureInfo.InvariantCulture, out lat)
                || lat is < -90 or > 90
                || !double.IsFinite(lat)
                || !double.TryParse(lonTekst, NumberStyles.Float, CultureInfo.InvariantCulture, out lon)
                || lon is < -180 or > 180
                || !double.IsFinite(lon)
            )
            {
                return Foutmelding(
                    formaat,
                    StatusCodes.Status400BadRequest,
                    "lat en long moeten WGS84-getallen zijn, met een punt als decimaalteken."
                );
            }
        }
        else if (
            Veld("address_string") is { Length: <= 200 } adres
            && await geocoder.SuggestAsync(adres, 1, cancellationToken) is [var suggestie, ..]
            && Wkt.LeesPunt(suggestie.CentroideLl) is { } punt
        )
        {
            (lon, lat) = punt;
        }
        else
        {
            return Foutmelding(
                formaat,
                StatusCodes.Status400BadRequest,
                "Geef de plek op met lat en long, of met een address_string die in Heemstede te vinden is."
            );
        }

        var opties = meldenOptions.Value;
        var omschrijving = Veld("description") ?? "";
        if (omschrijving.Length < opties.OmschrijvingMinLengte || omschrijving.Length > opties.OmschrijvingMaxLengte)
        {
            return Foutmelding(
                formaat,
                StatusCodes.Status400BadRequest,
                $"description is verplicht: minimaal {opties.OmschrijvingMinLengte} en maximaal {opties.OmschrijvingMaxLengte} tekens."
            );
        }
        var email = Veld("email");
        if (email is not null && !EmailAdres.IsGeldig(email))
        {
            return Foutmelding(formaat, StatusCodes.Status400BadRequest, "email is geen geldig e-mailadres.");
        }
        var telefoon = Veld("phone");
        if (telefoon is { Length: > 30 })
        {
            return Foutmelding(formaat, StatusCodes.Status400BadRequest, "phone mag maximaal 30 tekens hebben.");
        }
        var naam = string.Join(' ', new[] { Veld("first_name"), Veld("last_name") }.Where(n => n is not null));
        if (naam.Length > 200)
        {
            return Foutmelding(formaat, StatusCodes.Status400BadRequest, "first_name en last_name zijn samen te lang.");
        }
        DateTimeOffset? voorgevallen = null;
        if (Veld("attribute[voorgevallen_op]") is { } wanneer)
        {
            if (!LeesDatum(wanneer, out voorgevallen) || voorgevallen > klok.GetUtcNow().AddMinutes(5))
            {
                return Foutmelding(
                    formaat,
                    StatusCodes.Status400BadRequest,
                    "attribute[voorgevallen_op] moet een ISO 8601-moment in het verleden zijn."
                );
            }
        }

        // The same request twice within ten minutes (a client retrying) finds the first report.
        var idempotentie = DeterministischeSleutel(
            string.Create(
                CultureInfo.InvariantCulture,
                $"{sleutelId}|{dienst}|{lat:R}|{lon:R}|{omschrijving}|{email}|{klok.GetUtcNow().ToUnixTimeSeconds() / 600}"
            )
        );
        var opdracht = new MeldingOpslaan.Opdracht(
            idempotentie,
            dienst,
            omschrijving,
            lat,
            lon,
            voorgevallen,
            null,
            null,
            email,
            [],
            [],
            Bron: "api",
            Naam: naam.Length > 0 ? naam : null,
            Telefoon: telefoon,
            ApiSleutelId: sleutelId
        );
        try
        {
            var resultaat = await pipelines
                .GetPipeline(DatabaseResilience.PipelineName)
                .ExecuteAsync(
                    async ct =>
                        await MeldingOpslaan.UitvoerenAsync(
                            dataSource,
                            opdracht,
                            email is null
                                ? null
                                : (c, tx, id, code, geheim) => mails.OntvangstAsync(c, tx, id, code, geheim, email, gevonden[0].Naam, ct),
                            ct
                        ),
                    cancellationToken
                );
            return Schrijf(
                formaat,
                new Lijst(
                    "service_requests",
                    "request",
                    [
                        new Obj(
                            "request",
                            [
                                ("service_request_id", resultaat.Volgcode),
                                (
                                    "service_notice",
                                    email is null
                                        ? $"Volg de melding op /melding/{resultaat.Volgcode}."
                                        : $"Volg de melding op /melding/{resultaat.Volgcode}; de melder krijgt een bevestiging per e-mail."
                                ),
                            ]
                        ),
                    ]
                )
            );
        }
        catch (PostgresException e) when (e.IsBuitenGemeente())
        {
            return Foutmelding(formaat, StatusCodes.Status400BadRequest, "De plek ligt buiten de gemeente Heemstede.");
        }
        catch (OnbekendeRubriekException)
        {
            return Foutmelding(formaat, StatusCodes.Status404NotFound, $"service_code '{dienst}' is onbekend.");
        }
    }

    private static string? Basis(HttpContext http, PubliekOptions kaart) =>
        kaart.TekstOpenbaar ? $"{http.Request.Scheme}://{http.Request.Host}" : null;

    /// <summary>A report as the spec's request; with Kaart:TekstOpenbaar also its moderated text and
    /// the first photo staff did not hide (<paramref name="basis"/> is the site's origin), else neither.</summary>
    private static Obj AlsObj(Verzoek v, string? basis) =>
        new(
            "request",
            [
                .. basis is null
                    ? Array.Empty<(string, object?)>()
                    :
                    [
                        ("description", v.Beschrijving),
                        ("media_url", v.FotoId is { } foto ? $"{basis}/melding/{v.Volgcode}/fotos/{foto}" : null),
                    ],
                ("service_request_id", v.Volgcode),
                ("status", v.Gesloten ? "closed" : "open"),
                ("status_notes", v.Notitie),
                ("service_name", v.Naam),
                ("service_code", v.Code),
                ("agency_responsible", "Gemeente Heemstede"),
                ("service_notice", null),
                ("requested_datetime", new DateTimeOffset(DateTime.SpecifyKind(v.Aangemaakt, DateTimeKind.Utc))),
                ("updated_datetime", new DateTimeOffset(DateTime.SpecifyKind(v.Gewijzigd, DateTimeKind.Utc))),
                ("address", $"Buurt {v.Buurt}, Heemstede"),
                ("zipcode", v.Postcode),
                ("lat", v.Lat),
                ("long", v.Lon),
            ]
        );

    private static async Task<IReadOnlyList<Dienst>> DienstenAsync(
        NpgsqlDataSource dataSource,
        string? code,
        CancellationToken cancellationToken
    )
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Dienst>(
            new CommandDefinition(
                """
                SELECT r.code, r.naam, r.uitleg, t.naam AS thema, p.naam AS prioriteit
                FROM rubriek r JOIN thema t ON t.id = r.thema_id JOIN prioriteit p ON p.id = t.prioriteit_id
                WHERE r.actief AND (@code::text IS NULL OR r.code = @code)
                ORDER BY t.volgorde, r.volgorde
                """,
                new { code },
                cancellationToken: cancellationToken
            )
        );
        return rows.AsList();
    }

    private static async Task<IReadOnlyList<Verzoek>> VerzoekenAsync(
        NpgsqlDataSource dataSource,
        int raster,
        string[]? codes,
        string[] diensten,
        string? status,
        DateTimeOffset? vanaf,
        DateTimeOffset? tot,
        int max,
        CancellationToken cancellationToken
    )
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // Never sensitive categories or withdrawn reports; no text; the public place only.
        var rows = await connection.QueryAsync<Verzoek>(
            new CommandDefinition(
                """
                SELECT m.volgcode, s.gesloten,
                       (SELECT h.bericht FROM melding_historie h WHERE h.melding_id = m.id AND h.bericht IS NOT NULL
                        ORDER BY h.tijdstip DESC, h.id DESC LIMIT 1) AS notitie,
                       r.naam, r.code, m.aangemaakt_op AS aangemaakt, m.gewijzigd_op AS gewijzigd, b.naam AS buurt, b.postcode_pc4 AS postcode,
                       ST_Y(p.punt) AS lat, ST_X(p.punt) AS lon,
                       publieke_omschrijving(m.omschrijving, m.omschrijving_publiek, m.omschrijving_verborgen, r.openbaarheid) AS beschrijving,
                       (SELECT min(f.id) FROM melding_foto f WHERE f.melding_id = m.id AND NOT f.verborgen) AS fotoid
                FROM melding m
                JOIN rubriek r ON r.id = m.rubriek_id
                JOIN meldingstatus s ON s.code = m.status
                JOIN buurt b ON b.code = m.buurt_code
                CROSS JOIN LATERAL (SELECT ST_Transform(publiek_punt(m.locatie, r.openbaarheid, @raster), 4326) AS punt) p
                WHERE r.openbaarheid <> 'verborgen'
                  AND m.status <> 'ingetrokken'
                  AND (@codes::text[] IS NULL OR m.volgcode = ANY(@codes))
                  AND (cardinality(@diensten) = 0 OR r.code = ANY(@diensten))
                  AND (@status::text IS NULL OR (@status = 'closed') = s.gesloten)
                  AND (@vanaf::timestamptz IS NULL OR m.aangemaakt_op >= @vanaf)
                  AND (@tot::timestamptz IS NULL OR m.aangemaakt_op <= @tot)
                ORDER BY m.aangemaakt_op DESC, m.id DESC
                LIMIT @max
                """,
                new
                {
                    raster = (double)raster,
                    codes,
                    diensten,
                    status,
                    vanaf = vanaf?.ToUniversalTime(),
                    tot = tot?.ToUniversalTime(),
                    max,
                },
                cancellationToken: cancellationToken
            )
        );
        return rows.AsList();
    }

    private static string? Formaat(HttpContext http) => http.Request.RouteValues["format"] is string f && f is "json" or "xml" ? f : null;

    /// <summary>A parameter from the query string; an empty value counts as absent (the spec says so).</summary>
    private static string? Param(HttpContext http, string naam) =>
        http.Request.Query[naam].FirstOrDefault() is { Length: > 0 } waarde ? waarde.Trim() : null;

    private static bool LeesDatum(string? tekst, out DateTimeOffset? moment) => Open311Filter.LeesDatum(tekst, out moment);

    private static Guid DeterministischeSleutel(string tekst)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(tekst));
        return new Guid(hash.AsSpan(0, 16));
    }
}
