using Microsoft.Extensions.Options;
using Npgsql;
using Wijkmeldingen.Web.Data;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Wandelingen;

public static class WandelingenSetup
{
    public static IServiceCollection AddWandelingen(this IServiceCollection services)
    {
        services
            .AddOptions<WandelingenOptions>()
            .BindConfiguration(WandelingenOptions.Section)
            .Validate(
                o =>
                    o.BewaarDeelnemersDagen > 0
                    && o.HerinneringUrenVooraf > 0
                    && o.BevestigenUren > 0
                    && o.MaxPersonenPerAanmelding is >= 1 and <= 10,
                "Wandelingen: BewaarDeelnemersDagen, HerinneringUrenVooraf and BevestigenUren must be positive, "
                    + "MaxPersonenPerAanmelding 1-10."
            )
            .ValidateOnStart();
        services.AddSingleton<Aanmeldingen>();
        services.AddHostedService(sp => sp.GetRequiredService<Aanmeldingen>());
        // Retention: participants' names and addresses go a configurable time after the walk.
        services.AddOpschoonRegel(sp => Aanmeldingen.DeelnemersOpschonen(sp.GetRequiredService<IOptions<WandelingenOptions>>().Value));
        // Sign-ups never confirmed by e-mail expire.
        services.AddOpschoonRegel(sp => Aanmeldingen.OnbevestigdOpschonen(sp.GetRequiredService<IOptions<WandelingenOptions>>().Value));
        // Development demo data: upcoming walks (one full, with a waitlist) and a past one with findings.
        services.AddDemoStap(WandelingenDemo.Stap);
        // The organisers' half: Beheer/ (routes under /beheer), for organisers and beheerders.
        services.AddScoped<Beheer.WandelingPlanning>();
        services.Configure<Microsoft.AspNetCore.Mvc.RazorPages.RazorPagesOptions>(options =>
            options.Conventions.AuthorizeFolder("/Wandelingen/Beheer", BeheerPolicies.Wandelingen)
        );
        return services;
    }

    /// <summary>The calendar file of a walk; linked from the confirmation mail and the walk's page.</summary>
    public static IEndpointRouteBuilder MapWandelingen(this IEndpointRouteBuilder app)
    {
        app.MapGet(
            "/wijkwandelingen/{id:long}/agenda.ics",
            async (long id, NpgsqlDataSource dataSource, HttpContext http, CancellationToken cancellationToken) =>
            {
                await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
                if (await Wandelingen.LaadAsync(connection, id, cancellationToken) is not { } wandeling)
                {
                    return Results.NotFound();
                }
                var url = $"{http.Request.Scheme}://{http.Request.Host}/wijkwandelingen/{id}";
                http.Response.Headers.ContentDisposition = $"attachment; filename=\"wijkwandeling-{id}.ics\"";
                return Results.Text(
                    Aanmeldingen.Agenda(wandeling, url, http.RequestServices.GetRequiredService<IOptions<GemeenteProfiel>>().Value),
                    "text/calendar; charset=utf-8"
                );
            }
        );
        // A photo of the public report after the walk (re-encoded without metadata when uploaded).
        app.MapGet(
            "/wijkwandelingen/{id:long}/fotos/{fotoId:long}.jpg",
            async (long id, long fotoId, NpgsqlDataSource dataSource, HttpContext http, CancellationToken cancellationToken) =>
            {
                if (await WandelingFotos.PubliekAsync(dataSource, id, fotoId, cancellationToken) is not { } jpeg)
                {
                    return Results.NotFound();
                }
                http.Response.Headers.CacheControl = "public, max-age=3600";
                return Results.File(jpeg, "image/jpeg");
            }
        );
        return app;
    }
}
