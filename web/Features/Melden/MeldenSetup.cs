using Wijkmeldingen.Web.Hosting;

namespace Wijkmeldingen.Web.Features.Melden;

public static class MeldenSetup
{
    public static IServiceCollection AddMelden(this IServiceCollection services)
    {
        services.AddSingleton<MeldenRateLimiter>();
        // The category suggestion: the model in memory, its training round, and the evaluation verb.
        services.AddOptions<SuggestieOptions>().BindConfiguration(SuggestieOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<RubriekSuggesties>();
        services.AddHostedService<RubriekTrainer>();
        services.AddCommando("classifier-eval", ClassifierEval.CommandoAsync);
        return services;
    }
}
