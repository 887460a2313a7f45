using Microsoft.Extensions.Options;
using Npgsql;
using Wijkmeldingen.Web.Data;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Melding;

public static class MeldingEndpoints
{
    /// <summary>The melder's and residents' half: "Ik heb dit ook" and "Nog niet opgelost" (Bewoners:
    /// rate limit, one per person, retention of the day hashes), and its demo step (development only):
    /// satisfaction answers and reopen requests on demo reports.</summary>
    public static IServiceCollection AddMelding(this IServiceCollection services)
    {
        services.AddOptions<BewonersOptions>().BindConfiguration(BewonersOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<Bewoners>();
        services.AddOpschoonRegel(Bewoners.ZoutOpschonen);
        services.AddOpschoonRegel(Bewoners.HeropenToelichtingOpschonen);
        services.AddOpschoonRegel(Bewoners.VragenOpschonen);
        services
            .AddOptions<MijnMeldingenOptions>()
            .BindConfiguration(MijnMeldingenOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<MijnMeldingen>();
        services.AddOpschoonRegel(MijnMeldingen.Opschonen);
        return services.AddDemoStap(MeldingDemo.Stap);
    }

    /// <summary>GET /melding?code=...: the "follow a report" form on the home page. Accepts the code
    /// as people type it (lower case, spaces, without dashes).</summary>
    public static IEndpointRouteBuilder MapMelding(this IEndpointRouteBuilder app)
    {
        app.MapGet("/melding", (string? code) =>
            Volgcode.Normaliseer(code) is { } volgcode ? Results.Redirect($"/melding/{volgcode}") : Results.NotFound()
        );

        // A photo on the public tracking page: only with Kaart:TekstOpenbaar, never a photo staff hid.
        app.MapGet(
            "/melding/{code}/fotos/{id:long}",
            async (
                string code,
                long id,
                HttpContext http,
                NpgsqlDataSource dataSource,
                IOptions<PubliekOptions> kaart,
                CancellationToken cancellationToken
            ) =>
            {
                if (!kaart.Value.TekstOpenbaar || Volgcode.Normaliseer(code) is not { } volgcode)
                {
                    return Results.NotFound();
                }
                await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
                var jpeg = await MeldingQueries.PubliekeFotoAsync(connection, volgcode, id, cancellationToken);
                // Short caching: staff may hide the photo at any moment.
                http.Response.Headers.CacheControl = "public, max-age=60";
                return jpeg is null ? Results.NotFound() : Results.File(jpeg, "image/jpeg");
            }
        );
        return app;
    }
}
