using MimeKit;
using Wijkmeldingen.Web.Data;

namespace Wijkmeldingen.Web.Mail;

public static class MailSetup
{
    /// <summary>
    /// Mail options, the SMTP resilience pipeline and <see cref="OutboxSender"/>. The sender is
    /// always resolvable (tests call <see cref="OutboxSender.VerzendOpenstaandeAsync"/> directly);
    /// it runs as a hosted service only when <c>Mail:Verzenden</c> is true. The sender checks the
    /// bound option again when it starts, for configuration added after this call (as
    /// WebApplicationFactory does).
    /// </summary>
    public static IServiceCollection AddMail(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        // The sender counts failed mail (wijkmeldingen.mail.mislukt).
        services.AddWijkMetrics();
        services
            .AddOptions<MailOptions>()
            .BindConfiguration(MailOptions.Section)
            .Validate(
                o => MailboxAddress.TryParse(o.Afzender, out var afzender) && !string.IsNullOrEmpty(afzender.Domain),
                "Mail:Afzender is not a valid e-mail address."
            )
            .Validate(
                o => !string.IsNullOrWhiteSpace(o.SmtpHost) && o.SmtpPort is > 0 and <= 65535,
                "Mail:SmtpHost and Mail:SmtpPort must name an SMTP server."
            )
            .Validate(
                o => o.PollIntervalSeconden > 0 && o.BatchGrootte > 0 && o.MaxPogingen > 0 && o.BewaarVerzondenDagen > 0,
                "Mail:PollIntervalSeconden, BatchGrootte, MaxPogingen and BewaarVerzondenDagen must be positive."
            )
            .Validate(o => Uri.TryCreate(o.PortaalUrl, UriKind.Absolute, out _), "Mail:PortaalUrl must be an absolute URL.")
            .ValidateOnStart();
        services.AddSmtpResilience();
        services.AddSingleton<OutboxSender>();
        if (configuration.GetSection(MailOptions.Section).GetValue(nameof(MailOptions.Verzenden), defaultValue: true))
        {
            services.AddHostedService(provider => provider.GetRequiredService<OutboxSender>());
        }
        return services;
    }
}
