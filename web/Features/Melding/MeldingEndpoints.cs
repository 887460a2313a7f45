namespace Wijkmeldingen.Web.Features.Melding;

public static class MeldingEndpoints
{
    /// <summary>GET /melding?code=...: the "follow a report" form on the home page. Accepts the code
    /// as people type it (lower case, spaces, without dashes).</summary>
    public static IEndpointRouteBuilder MapMelding(this IEndpointRouteBuilder app)
    {
        app.MapGet("/melding", (string? code) => MeldingQueries.NormaliseerCode(code) is { } volgcode
            ? Results.Redirect($"/melding/{volgcode}")
            : Results.NotFound());
        return app;
    }
}
