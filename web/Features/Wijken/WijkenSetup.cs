using Microsoft.Extensions.Options;
using Wijkmeldingen.Web.Data;

namespace Wijkmeldingen.Web.Features.Wijken;

public static class WijkenSetup
{
    /// <summary>The safety pictures: settings, the rollup refresher (also a background job), the
    /// figures and the hotspot engine.</summary>
    public static IServiceCollection AddWijken(this IServiceCollection services)
    {
        services.AddOptions<WijkbeeldOptions>().BindConfiguration(WijkbeeldOptions.Section);
        services.AddSingleton<WijkbeeldVerversen>();
        services.AddHostedService(sp => sp.GetRequiredService<WijkbeeldVerversen>());
        // Pictures and hotspots may lag a little: they read from the replica when one is configured.
        services.AddSingleton(sp => new WijkbeeldCijfers(sp.GetRequiredService<LeesDatabase>().Bron, sp.GetRequiredService<IOptions<WijkbeeldOptions>>()));
        services.AddSingleton(sp => new Hotspots(sp.GetRequiredService<LeesDatabase>().Bron, sp.GetRequiredService<IOptions<WijkbeeldOptions>>()));
        return services;
    }

    public static IEndpointRouteBuilder MapWijken(this IEndpointRouteBuilder app) => app.MapWijkenExports();
}
