using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Wijkmeldingen.Web.Data;
using Wijkmeldingen.Web.Features.Beheer.Accounts;
using Wijkmeldingen.Web.Features.Beheer.Hotspots;

namespace Wijkmeldingen.Web.Features.Wijken;

public static class WijkenSetup
{
    /// <summary>The safety pictures: settings, the rollup refresher (also a background job), the
    /// figures and the hotspot engine; and their staff pages under /beheer.</summary>
    public static IServiceCollection AddWijken(this IServiceCollection services)
    {
        services.AddOptions<WijkbeeldOptions>().BindConfiguration(WijkbeeldOptions.Section);
        services.AddSingleton<WijkbeeldVerversen>();
        services.AddHostedService(sp => sp.GetRequiredService<WijkbeeldVerversen>());
        // Pictures and hotspots may lag a little: they read from the replica when one is configured.
        services.AddSingleton(sp => new WijkbeeldCijfers(sp.GetRequiredService<LeesDatabase>().Bron, sp.GetRequiredService<IOptions<WijkbeeldOptions>>()));
        services.AddSingleton(sp => new Hotspots(sp.GetRequiredService<LeesDatabase>().Bron, sp.GetRequiredService<IOptions<WijkbeeldOptions>>()));
        // Repeat-location and new-hotspot alerts for staff, checked in the background.
        services.AddOptions<SignalenOptions>().BindConfiguration(SignalenOptions.Section);
        services.AddSingleton<WijkSignalen>();
        services.AddHostedService(sp => sp.GetRequiredService<WijkSignalen>());

        // The staff side of the safety picture lives under Features/Beheer (so the /beheer cookie and
        // the back-office layout apply); its folders are authorised here, beside the features they
        // serve, on top of BeheerSetup's rule that every /Beheer page needs a staff role.
        services.Configure<RazorPagesOptions>(options =>
        {
            options.Conventions.AuthorizeFolder("/Beheer/Hotspots", BeheerPolicies.Triage);
            options.Conventions.AuthorizeFolder("/Beheer/Wijkbeeld", BeheerPolicies.Triage);
            options.Conventions.AuthorizeFolder("/Beheer/Verhalen", BeheerPolicies.Triage);
            options.Conventions.AuthorizeFolder("/Beheer/Beleving", BeheerPolicies.Beheerder);
            options.Conventions.AuthorizeFolder("/Beheer/Signalen", BeheerPolicies.Triage);
        });
        return services;
    }

    public static IEndpointRouteBuilder MapWijken(this IEndpointRouteBuilder app) => app.MapWijkenExports().MapBeheerHotspots();
}
