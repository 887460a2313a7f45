using Dapper;
using Npgsql;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Features.Meldingen.Acties;
using Wijkmeldingen.Web.Features.Meldingen.Live;
using Wijkmeldingen.Web.Features.Meldingen.Spoed;

namespace Wijkmeldingen.Web.Features.Meldingen;

/// <summary>Staff work on reports: the triage list and a report's page with its actions (one class
/// per action in Acties/), reply templates, routing rules and deadline monitoring. Every page here
/// is a staff page under /beheer.</summary>
public static class MeldingenSetup
{
    public static IServiceCollection AddMeldingen(this IServiceCollection services)
    {
        services.AddScoped<StatusActie>();
        services.AddScoped<HeropenAccepterenActie>();
        services.AddScoped<HeropenBeantwoordenActie>();
        services.AddScoped<NietOpgelostActie>();
        services.AddScoped<VraagActie>();
        services.AddScoped<ToewijzenActie>();
        services.AddScoped<BulkActie>();
        services.AddScoped<NotitieActie>();
        services.AddScoped<DubbelActie>();
        services.AddScoped<AanpassenActie>();
        services.AddScoped<ContactActie>();
        services.AddScoped<VerzoekAfhandelenActie>();
        services.AddScoped<WissenActie>();
        services.AddScoped<ModererenActie>();
        services.AddScoped<BekekenActie>();
        services.AddScoped<DoorsturenActie>();
        services.AddScoped<MailOpnieuwActie>();
        // Urgent categories mail their team at once; overdue reports a daily digest per team.
        services.AddSingleton<SpoedRonde>();
        services.AddHostedService(sp => sp.GetRequiredService<SpoedRonde>());
        services.Configure<Microsoft.AspNetCore.Mvc.RazorPages.RazorPagesOptions>(options =>
        {
            options.Conventions.AuthorizeFolder("/Meldingen", BeheerPolicies.Triage);
            options.Conventions.AuthorizeFolder("/Meldingen/Routering", BeheerPolicies.Beheerder);
            options.Conventions.AuthorizeFolder("/Meldingen/Sjablonen", BeheerPolicies.Beheerder);
            // An outside party's reply page (/doorgestuurd/{token}): the token in the link is the key.
            options.Conventions.AllowAnonymousToPage("/Meldingen/Extern/Antwoord");
        });
        return services;
    }

    /// <summary>The non-page endpoints, behind the triage policy: the list's selection as GeoJSON and
    /// report photos (including hidden ones).</summary>
    public static IEndpointRouteBuilder MapMeldingen(this IEndpointRouteBuilder app)
    {
        var triage = app.MapGroup("/beheer").RequireAuthorization(BeheerPolicies.Triage);
        triage.MapMeldingLive();

        triage.MapGet(
            "/meldingen/kaart.geojson",
            async (HttpContext http, NpgsqlDataSource dataSource, CancellationToken cancellationToken) =>
            {
                var filter = MeldingFilter.UitQuery(http.Request.Query);
                await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
                var json = await MeldingenZoeken.KaartAsync(connection, filter, Actor.Van(http.User).Id, cancellationToken);
                http.Response.Headers.CacheControl = "no-store";
                return Results.Text(json, "application/geo+json");
            }
        );

        triage.MapGet(
            "/fotos/{id:long}",
            async (long id, HttpContext http, NpgsqlDataSource dataSource, CancellationToken cancellationToken) =>
            {
                await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
                var jpeg = await connection.QuerySingleOrDefaultAsync<byte[]>(
                    new CommandDefinition("SELECT jpeg FROM melding_foto WHERE id = @id", new { id }, cancellationToken: cancellationToken)
                );
                http.Response.Headers.CacheControl = "private, no-store";
                return jpeg is null ? Results.NotFound() : Results.File(jpeg, "image/jpeg");
            }
        );
        return app;
    }
}
