using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Wijkmeldingen.Web.Data;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Features.Wijkbeeld.Beheer.Hotspots;

namespace Wijkmeldingen.Web.Features.Wijkbeeld;

public static class WijkenSetup
{
    /// <summary>The safety pictures: settings, the rollup refresher (also a background job), the
    /// figures and the hotspot engine; and their staff pages under /beheer.</summary>
    public static IServiceCollection AddWijken(this IServiceCollection services)
    {
        services
            .AddOptions<WijkbeeldOptions>()
            .BindConfiguration(WijkbeeldOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.StreefDagen.Values.All(d => d > 0), "Wijkbeeld:StreefDagen: every target must be a positive number of days.")
            .ValidateOnStart();
        services.AddSingleton<WijkbeeldVerversen>();
        services.AddHostedService(sp => sp.GetRequiredService<WijkbeeldVerversen>());
        // Pictures may lag a little: they read from the replica when one is configured.
        services.AddSingleton(sp => new WijkbeeldCijfers(
            sp.GetRequiredService<LeesDatabase>().Bron,
            sp.GetRequiredService<IOptions<WijkbeeldOptions>>()
        ));
        // Repeat-location and new-hotspot alerts for staff, checked in the background.
        services
            .AddOptions<SignalenOptions>()
            .BindConfiguration(SignalenOptions.Section)
            .ValidateDataAnnotations()
            .Validate(
                o => o.Regels.All(r => r.StraalMeters > 0 && r.Aantal >= 1 && r.Dagen >= 1),
                "Wijkbeeld:Signalen:Regels: every rule needs StraalMeters > 0, Aantal >= 1 and Dagen >= 1."
            )
            .Validate(
                o => o.Ongewoon.All(r => r.MaxQ is > 0 and <= 0.5 && r.Minimum >= 1 && !string.IsNullOrWhiteSpace(r.Rubriek)),
                "Wijkbeeld:Signalen:Ongewoon: every rule needs a Rubriek (a category code, 'alle' or 'elke'), "
                    + "0 < MaxQ <= 0.5 and Minimum >= 1."
            )
            .ValidateOnStart();
        services.AddSingleton<WijkSignalen>();
        services.AddHostedService(sp => sp.GetRequiredService<WijkSignalen>());
        // Development demo data: published wijk stories and the example perceived-safety figures.
        services.AddDemoStap(WijkbeeldDemo.VerhalenStap);
        services.AddDemoStap(WijkbeeldDemo.BelevingStap);

        // The staff half (Beheer/, routes under /beheer so the staff cookie applies) is authorised
        // here, beside the pages: every staff page needs a staff role, folders narrow it down.
        services.Configure<RazorPagesOptions>(options =>
        {
            options.Conventions.AuthorizeFolder("/Wijkbeeld/Beheer", BeheerPolicies.Medewerker);
            options.Conventions.AuthorizeFolder("/Wijkbeeld/Beheer/Hotspots", BeheerPolicies.Triage);
            options.Conventions.AuthorizeFolder("/Wijkbeeld/Beheer/Wijken", BeheerPolicies.Triage);
            options.Conventions.AuthorizeFolder("/Wijkbeeld/Beheer/Verhalen", BeheerPolicies.Triage);
            options.Conventions.AuthorizeFolder("/Wijkbeeld/Beheer/Beleving", BeheerPolicies.Beheerder);
            options.Conventions.AuthorizeFolder("/Wijkbeeld/Beheer/Signalen", BeheerPolicies.Triage);
        });
        return services;
    }

    public static IEndpointRouteBuilder MapWijken(this IEndpointRouteBuilder app) => app.MapWijkenExports().MapBeheerHotspots();
}
