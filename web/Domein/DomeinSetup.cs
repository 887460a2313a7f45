using Wijkmeldingen.Web.Data;

namespace Wijkmeldingen.Web.Domein;

/// <summary>The ground floor's services: the clock, the report input rules, the publicity rules and
/// the mails of a report's life cycle, the hotspot engine. Every feature may use them.</summary>
public static class DomeinSetup
{
    public static IServiceCollection AddDomein(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<MeldenOptions>().BindConfiguration(MeldenOptions.Section);
        services.AddOptions<PubliekOptions>().BindConfiguration(PubliekOptions.Section);
        services.AddOptions<TevredenheidOptions>().BindConfiguration(TevredenheidOptions.Section);
        services.AddSingleton<MeldingMails>();
        // Retention of a report's personal data (Data.Opschonen runs the rules).
        foreach (var regel in Bewaartermijnen.Alle)
        {
            services.AddOpschoonRegel(regel);
        }
        // The hotspot engine (Gi*, DBSCAN) of the safety picture and the walk planning map; it may lag
        // a little, so it reads from the replica when one is configured.
        services.AddOptions<HotspotOptions>().BindConfiguration(HotspotOptions.Section);
        services.AddSingleton(sp => new HotspotEngine(
            sp.GetRequiredService<Data.LeesDatabase>().Bron,
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<HotspotOptions>>()
        ));
        return services;
    }
}
