using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Melden;

/// <summary>The small JSON and image endpoints the report form uses.</summary>
public static class MeldenEndpoints
{
    public sealed record Dichtbij(string Volgcode, string Rubriek, string StatusNaam, DateTime AangemaaktOp, int AfstandMeters);

    public sealed record SuggestieVraag(string? Tekst);

    public sealed record SuggestieAntwoord(string? Rubriek, double? Kans);

    public static IEndpointRouteBuilder MapMelden(this IEndpointRouteBuilder app)
    {
        // Open reports of the same category near the chosen point: "Gaat het om een van deze?".
        // Categories that are never public (drugsafval, zorgen om iemand, ...) never answer.
        app.MapGet(
            "/melden/dichtbij",
            async (
                double? lat,
                double? lon,
                string? rubriek,
                NpgsqlDataSource dataSource,
                IOptions<MeldenOptions> options,
                CancellationToken cancellationToken
            ) =>
            {
                if (
                    lat is not (>= -90 and <= 90)
                    || lon is not (>= -180 and <= 180)
                    || string.IsNullOrEmpty(rubriek)
                    || rubriek.Length > 50
                )
                {
                    return Results.Problem(
                        title: "Ongeldige invoer",
                        detail: "Geef lat, lon en rubriek op.",
                        statusCode: StatusCodes.Status400BadRequest
                    );
                }
                await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
                var rows = await connection.QueryAsync<Dichtbij>(
                    new CommandDefinition(
                        """
                        WITH punt AS (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(@lon, @lat), 4326), 28992) AS p)
                        SELECT m.volgcode, in_taal(r.naam, r.naam_en, @taal) AS rubriek, in_taal(s.naam, s.naam_en, @taal) AS statusnaam,
                               m.aangemaakt_op AS aangemaaktop,
                               round(ST_Distance(m.locatie, punt.p))::int AS afstandmeters
                        FROM melding m
                        JOIN rubriek r ON r.id = m.rubriek_id
                        JOIN meldingstatus s ON s.code = m.status
                        CROSS JOIN punt
                        WHERE r.code = @rubriek
                          AND r.openbaarheid <> 'verborgen'
                          AND NOT s.gesloten
                          AND ST_DWithin(m.locatie, punt.p, @straal)
                        ORDER BY m.locatie <-> punt.p
                        LIMIT @max
                        """,
                        new
                        {
                            lat,
                            lon,
                            rubriek,
                            straal = (double)options.Value.DubbelStraalMeters,
                            max = options.Value.DubbelMaxAantal,
                            taal = Taal.Code,
                        },
                        cancellationToken: cancellationToken
                    )
                );
                return Results.Ok(rows);
            }
        );

        // The likely category of the description being typed (issue 18); nothing below the threshold
        // or without a model. Posted as JSON so the text stays out of URLs and logs.
        app.MapPost("/melden/suggestie", (SuggestieVraag? vraag, RubriekSuggesties suggesties, HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "no-store";
            if (vraag?.Tekst is { Length: > 5000 })
            {
                return Results.Problem(
                    title: "Ongeldige invoer",
                    detail: "De tekst is te lang.",
                    statusCode: StatusCodes.Status400BadRequest
                );
            }
            var suggestie = suggesties.Voorspel(vraag?.Tekst);
            return Results.Ok(new SuggestieAntwoord(suggestie?.Rubriek, suggestie is null ? null : Math.Round(suggestie.Kans, 3)));
        });

        // Thumbnails of photos kept from a failed submit (already stripped); ids are random GUIDs.
        app.MapGet(
            "/melden/foto/{id:guid}",
            async (Guid id, NpgsqlDataSource dataSource, HttpContext http, CancellationToken cancellationToken) =>
            {
                await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
                var jpeg = await connection.QuerySingleOrDefaultAsync<byte[]?>(
                    new CommandDefinition("SELECT jpeg FROM foto_upload WHERE id = @id", new { id }, cancellationToken: cancellationToken)
                );
                http.Response.Headers.CacheControl = "private, no-store";
                return jpeg is null ? Results.NotFound() : Results.File(jpeg, "image/jpeg");
            }
        );
        return app;
    }
}
