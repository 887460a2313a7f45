using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using Wijkmeldingen.Web.Domein;
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
public static partial class Open311Endpoints
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
        services
            .AddOptions<Open311Options>()
            .BindConfiguration(Open311Options.Section)
            .PostConfigure<IOptions<GemeenteProfiel>>(
                (o, profiel) =>
                {
                    var g = profiel.Value;
                    o.JurisdictionId = string.IsNullOrWhiteSpace(o.JurisdictionId) ? g.Jurisdictie : o.JurisdictionId;
                    o.Contact = string.IsNullOrWhiteSpace(o.Contact)
                        ? $"Gemeente {g.Naam}, Wijkmeldingen, telefoon {g.Telefoon}"
                        : o.Contact;
                    o.KeyService = string.IsNullOrWhiteSpace(o.KeyService)
                        ? $"Vraag een API-sleutel aan bij de beheerder van Wijkmeldingen (gemeente {g.Naam})."
                        : o.KeyService;
                }
            )
            .ValidateDataAnnotations()
            .ValidateOnStart();
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
        v2.AddEndpointFilter(VoorElkVerzoekAsync);
        v2.AddEndpointFilter(Open311Taal.ZetAsync);
        MapDiscovery(v2);
        MapServices(v2);
        MapRequests(v2);
        MapTokens(v2);
        return app;
    }

    /// <summary>Before every resource: a known format, the per-client rate limit, the jurisdiction,
    /// and the spec's error form when the database is unavailable.</summary>
    private static async ValueTask<object?> VoorElkVerzoekAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
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
            return Foutmelding(formaat, StatusCodes.Status429TooManyRequests, "Te veel verzoeken; probeer het over een minuut opnieuw.");
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

    private static string? Basis(HttpContext http, PubliekOptions kaart) =>
        kaart.TekstOpenbaar ? $"{http.Request.Scheme}://{http.Request.Host}" : null;

    private static GemeenteProfiel Gemeente(HttpContext http) => http.RequestServices.GetRequiredService<IOptions<GemeenteProfiel>>().Value;

    /// <summary>A report as the spec's request; with Kaart:TekstOpenbaar also its moderated text and
    /// the first photo staff did not hide (<paramref name="basis"/> is the site's origin), else neither.</summary>
    private static Obj AlsObj(Verzoek v, string? basis, GemeenteProfiel gemeente) =>
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
                ("agency_responsible", $"Gemeente {gemeente.Naam}"),
                ("service_notice", null),
                ("requested_datetime", new DateTimeOffset(DateTime.SpecifyKind(v.Aangemaakt, DateTimeKind.Utc))),
                ("updated_datetime", new DateTimeOffset(DateTime.SpecifyKind(v.Gewijzigd, DateTimeKind.Utc))),
                ("address", $"Buurt {v.Buurt}, {gemeente.Naam}"),
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
                SELECT r.code, in_taal(r.naam, r.naam_en, @taal) AS naam, in_taal(r.uitleg, r.uitleg_en, @taal) AS uitleg,
                       in_taal(t.naam, t.naam_en, @taal) AS thema, in_taal(p.naam, p.naam_en, @taal) AS prioriteit
                FROM rubriek r JOIN thema t ON t.id = r.thema_id JOIN prioriteit p ON p.id = t.prioriteit_id
                WHERE r.actief AND (@code::text IS NULL OR r.code = @code)
                ORDER BY t.volgorde, r.volgorde
                """,
                new { code, taal = Taal.Code },
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
                       in_taal(r.naam, r.naam_en, @taal) AS naam, r.code, m.aangemaakt_op AS aangemaakt, m.gewijzigd_op AS gewijzigd,
                           b.naam AS buurt, b.postcode_pc4 AS postcode,
                       ST_Y(p.punt) AS lat, ST_X(p.punt) AS lon,
                       publieke_omschrijving(m.omschrijving, m.omschrijving_publiek, m.omschrijving_verborgen,
                           r.openbaarheid) AS beschrijving,
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
                    taal = Taal.Code,
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

    /// <summary>ISO 8601 with a time zone (a bare date counts as midnight UTC); true for absent.</summary>
    private static bool LeesDatum(string? tekst, out DateTimeOffset? moment) => Open311Filter.LeesDatum(tekst, out moment);

    private static Guid DeterministischeSleutel(string tekst)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(tekst));
        return new Guid(hash.AsSpan(0, 16));
    }
}
