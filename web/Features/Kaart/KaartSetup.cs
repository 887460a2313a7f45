using Wijkmeldingen.Web.Data;

namespace Wijkmeldingen.Web.Features.Kaart;

public static class KaartSetup
{
    public static IServiceCollection AddKaart(this IServiceCollection services)
    {
        services.AddOptions<KaartOptions>().BindConfiguration(KaartOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<KaartCache>();
        services.AddSingleton<BuurtDigest>();
        services.AddHostedService(sp => sp.GetRequiredService<BuurtDigest>());
        // Subscriptions nobody confirmed within a week: the address was never the owner's choice.
        services.AddOpschoonRegel(BuurtDigest.OnbevestigdeAbonnementen);
        // Confirmed ones run Kaart:AbonnementMaanden, with a renewal reminder before the end.
        services.AddOpschoonRegel(sp => sp.GetRequiredService<BuurtDigest>().VerlopenAbonnementen());
        return services;
    }

    public static IEndpointRouteBuilder MapKaart(this IEndpointRouteBuilder app) => app.MapGrenzen().MapKaartMeldingen();
}
