namespace Wijkmeldingen.Web.Features.Melden;

public static class MeldenSetup
{
    public static IServiceCollection AddMelden(this IServiceCollection services)
    {
        services.AddSingleton<MeldenRateLimiter>();
        return services;
    }
}
