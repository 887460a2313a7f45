using Dapper;
using Npgsql;
using Wijkmeldingen.Web.Features.Beheer.Accounts;
using Wijkmeldingen.Web.Features.Beheer.Meldingen;

namespace Wijkmeldingen.Web.Features.Beheer;

/// <summary>The back office's non-page endpoints, each behind a staff policy: the list's selection
/// as GeoJSON and report photos (including hidden ones).</summary>
public static class BeheerEndpoints
{
    public static IEndpointRouteBuilder MapBeheer(this IEndpointRouteBuilder app)
    {
        var triage = app.MapGroup("/beheer").RequireAuthorization(BeheerPolicies.Triage);

        triage.MapGet("/meldingen/kaart.geojson", async (HttpContext http, NpgsqlDataSource dataSource, CancellationToken cancellationToken) =>
        {
            var filter = MeldingFilter.UitQuery(http.Request.Query);
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var json = await MeldingenZoeken.KaartAsync(connection, filter, Actor.Van(http.User).Id, cancellationToken);
            http.Response.Headers.CacheControl = "no-store";
            return Results.Text(json, "application/geo+json");
        });

        triage.MapGet("/fotos/{id:long}", async (long id, HttpContext http, NpgsqlDataSource dataSource, CancellationToken cancellationToken) =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var jpeg = await connection.QuerySingleOrDefaultAsync<byte[]>(new CommandDefinition(
                "SELECT jpeg FROM melding_foto WHERE id = @id", new { id }, cancellationToken: cancellationToken));
            http.Response.Headers.CacheControl = "private, no-store";
            return jpeg is null ? Results.NotFound() : Results.File(jpeg, "image/jpeg");
        });
        return app;
    }
}
