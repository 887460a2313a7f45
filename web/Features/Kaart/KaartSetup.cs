namespace Wijkmeldingen.Web.Features.Kaart;

public static class KaartSetup
{
    public static IServiceCollection AddKaart(this IServiceCollection services)
    {
        services.AddOptions<KaartOptions>().BindConfiguration(KaartOptions.Section);
        services.AddSingleton<BuurtDigest>();
        services.AddHostedService(sp => sp.GetRequiredService<BuurtDigest>());
        return services;
    }

    public static IEndpointRouteBuilder MapKaart(this IEndpointRouteBuilder app) => app.MapGrenzen().MapKaartMeldingen();
}
