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
        services.AddSingleton<WijkbeeldCijfers>();
        services.AddSingleton<Hotspots>();
        return services;
    }

    public static IEndpointRouteBuilder MapWijken(this IEndpointRouteBuilder app) => app.MapWijkenExports();
}
