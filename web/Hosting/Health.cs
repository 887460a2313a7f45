using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Wijkmeldingen.Web.Data;

namespace Wijkmeldingen.Web.Hosting;

/// <summary>
/// Health endpoints for a load balancer or orchestrator (docs/operations.md):
/// <list type="bullet">
/// <item><c>/health/live</c>: the process answers requests; no dependency is asked (restart only when this fails).</item>
/// <item><c>/health/ready</c>: the database answers with PostGIS, every shipped migration is applied and
/// the boundaries are loaded (send traffic only when this is 200).</item>
/// <item><c>/health</c>: as it always was: the database check (PostGIS and boundaries).</item>
/// </list>
/// 200 when healthy, 503 when not; JSON with the status per check, no exception details.
/// </summary>
public static class Health
{
    public const string Ready = "ready";

    public static IServiceCollection AddHealth(this IServiceCollection services)
    {
        services
            .AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [Ready])
            .AddCheck<MigratiesHealthCheck>("migraties", tags: [Ready]);
        return services;
    }

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health", Opties(check => check.Name == "database"));
        app.MapHealthChecks("/health/live", Opties(_ => false));
        app.MapHealthChecks("/health/ready", Opties(check => check.Tags.Contains(Ready)));
        return app;
    }

    private static HealthCheckOptions Opties(Func<HealthCheckRegistration, bool> welke) =>
        new()
        {
            Predicate = welke,
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
        };
}
