using Wijkmeldingen.Web.Data;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Maatregelen;

public static class MaatregelenSetup
{
    public static IServiceCollection AddMaatregelen(this IServiceCollection services)
    {
        services.AddOptions<MaatregelenOptions>().BindConfiguration(MaatregelenOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // The suppression threshold is the wijk picture's own (Wijkbeeld:Drempel), not a second setting.
        services
            .AddOptions<MaatregelenOptions>()
            .Configure<IConfiguration>(
                (o, c) =>
                {
                    o.Drempel = c.GetValue("Wijkbeeld:Drempel", o.Drempel);
                    o.PubliekeCelgrootte = c.GetValue("Wijkbeeld:PubliekeCelgrootte", o.PubliekeCelgrootte);
                }
            );
        services.AddScoped<Maatregelen>();
        services.AddScoped<Afhandeling>();
        services.AddSingleton<MaatregelBerichten>();
        services.AddHostedService(sp => sp.GetRequiredService<MaatregelBerichten>());
        services.AddDemoStap(MaatregelenDemo.Stap);
        // The staff half: Beheer/ (routes under /beheer/maatregelen), for wijkprofessionals and beheerders.
        services.Configure<Microsoft.AspNetCore.Mvc.RazorPages.RazorPagesOptions>(options =>
            options.Conventions.AuthorizeFolder("/Maatregelen/Beheer", BeheerPolicies.Triage)
        );
        return services;
    }

    /// <summary>/maatregelen.geojson?wijk=WK…: the measures of a wijk (or of the whole municipality)
    /// as an optional layer of the public map.</summary>
    public static IEndpointRouteBuilder MapMaatregelen(this IEndpointRouteBuilder app)
    {
        app.MapGet("/maatregelen.geojson", async (string? wijk, Maatregelen maatregelen, CancellationToken cancellationToken) =>
        {
            if (wijk is not null && !System.Text.RegularExpressions.Regex.IsMatch(wijk, "^WK[0-9]{6}$"))
            {
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "wijk must be WK and six digits");
            }
            return Results.Content(await maatregelen.GeoJsonAsync(wijk, cancellationToken), "application/geo+json; charset=utf-8");
        });
        return app;
    }
}
