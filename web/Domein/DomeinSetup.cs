using Wijkmeldingen.Web.Data;

namespace Wijkmeldingen.Web.Domein;

/// <summary>The ground floor's services: the clock, the report input rules, the publicity rules and
/// the mails of a report's life cycle, the hotspot engine. Every feature may use them.</summary>
public static class DomeinSetup
{
    public static IServiceCollection AddDomein(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddGemeenteProfiel();
        services
            .AddOptions<MeldenOptions>()
            .BindConfiguration(MeldenOptions.Section)
            .ValidateDataAnnotations()
            .Validate(
                o => o.OmschrijvingMinLengte <= o.OmschrijvingMaxLengte,
                "Melden:OmschrijvingMinLengte must not be more than Melden:OmschrijvingMaxLengte."
            )
            .ValidateOnStart();
        services.AddOptions<PubliekOptions>().BindConfiguration(PubliekOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services
            .AddOptions<TevredenheidOptions>()
            .BindConfiguration(TevredenheidOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<MeldingMails>();
        services.AddSingleton<PersoonsgegevensWissen>();
        // Retention of a report's personal data (Data.Opschonen runs the rules; /privacy shows their terms).
        foreach (var maak in Bewaartermijnen.Makers)
        {
            services.AddOpschoonRegel(sp =>
                maak(
                    sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<Data.DatabaseOptions>>().Value,
                    sp.GetRequiredService<TimeProvider>()
                )
            );
        }
        // The hotspot engine (Gi*, DBSCAN) of the safety picture and the walk planning map; it may lag
        // a little, so it reads from the replica when one is configured.
        services
            .AddOptions<HotspotOptions>()
            .BindConfiguration(HotspotOptions.Section)
            .ValidateDataAnnotations()
            .Validate(
                o => o.Celgroottes.Length > 0 && o.Celgroottes.All(c => c is >= 10 and <= 5000),
                "Wijkbeeld:Celgroottes must list at least one hexagon edge length between 10 and 5000 metres."
            )
            .ValidateOnStart();
        services.AddSingleton(sp => new HotspotEngine(
            sp.GetRequiredService<Data.LeesDatabase>().Bron,
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<HotspotOptions>>()
        ));
        services.AddSingleton(sp => new OngewoonEngine(
            sp.GetRequiredService<Data.LeesDatabase>().Bron,
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<HotspotOptions>>()
        ));
        return services;
    }
}
