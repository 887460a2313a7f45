using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace Wijkmeldingen.Web.Hosting;

public static class Health
{
    /// <summary>/health: 200 with status per check when ready, 503 when not. No exception details.</summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks(
            "/health",
            new HealthCheckOptions
            {
                ResponseWriter = (context, report) =>
                {
                    context.Response.ContentType = "application/json; charset=utf-8";
                    context.Response.Headers.CacheControl = "no-store";
                    return context.Response.WriteAsync(
                        JsonSerializer.Serialize(
                            new
                            {
                                status = report.Status.ToString(),
                                checks = report.Entries.Select(e => new
                                {
                                    name = e.Key,
                                    status = e.Value.Status.ToString(),
                                    description = e.Value.Description,
                                }),
                            }
                        )
                    );
                },
            }
        );
        return app;
    }
}
