namespace Wijkmeldingen.Web.Features.Melden;

public static class MeldenSetup
{
    public static IServiceCollection AddMelden(this IServiceCollection services)
    {
        services.AddOptions<MeldenOptions>().BindConfiguration(MeldenOptions.Section);
        services.AddSingleton<MeldenRateLimiter>();
        services.AddSingleton<MeldingMails>();
        services.AddSingleton(TimeProvider.System);
        return services;
    }
}
