using MailKit.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Mail;

namespace Wijkmeldingen.Tests.Mail;

/// <summary>Configuration and the retry schedule; no database or SMTP server needed.</summary>
public sealed class MailSetupTests
{
    [Theory]
    [InlineData(null, true)]
    [InlineData("true", true)]
    [InlineData("false", false)]
    public void Hosts_the_sender_only_when_sending_is_switched_on(string? verzenden, bool hosted)
    {
        var services = Services(new() { ["Mail:Verzenden"] = verzenden });

        Assert.Equal(hosted, services.Any(d => d.ServiceType == typeof(IHostedService)));
        Assert.Contains(services, d => d.ServiceType == typeof(OutboxSender));
    }

    [Fact]
    public void Binds_the_mail_settings_and_keeps_the_defaults_for_the_rest()
    {
        using var provider = Services(
                new()
                {
                    ["Mail:SmtpHost"] = "smtp.heemstede.nl",
                    ["Mail:SmtpPort"] = "587",
                    ["Mail:Beveiliging"] = "StartTls",
                    ["Mail:PortaalUrl"] = "https://wijkmeldingen.heemstede.nl/",
                }
            )
            .BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<MailOptions>>().Value;

        Assert.Equal(("smtp.heemstede.nl", 587, SecureSocketOptions.StartTls), (options.SmtpHost, options.SmtpPort, options.Beveiliging));
        Assert.Equal("Wijkmeldingen Heemstede <noreply@heemstede.nl>", options.Afzender);
        Assert.Equal(
            (5, 20, 10, 30),
            (options.PollIntervalSeconden, options.BatchGrootte, options.MaxPogingen, options.BewaarVerzondenDagen)
        );
        Assert.Null(options.Gebruikersnaam);
        Assert.Equal("https://wijkmeldingen.heemstede.nl/volgen/ABCD-EFGH-JKMN-PQRS", options.Link("/volgen/ABCD-EFGH-JKMN-PQRS"));
    }

    [Theory]
    [InlineData("Mail:Afzender", "Wijkmeldingen <noreply>")]
    [InlineData("Mail:SmtpPort", "0")]
    [InlineData("Mail:MaxPogingen", "0")]
    [InlineData("Mail:PortaalUrl", "wijkmeldingen.heemstede.nl")]
    public void Refuses_settings_the_sender_cannot_work_with(string key, string value)
    {
        using var provider = Services(new() { [key] = value }).BuildServiceProvider();

        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<MailOptions>>().Value);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(6, 32)]
    [InlineData(7, 60)]
    [InlineData(10, 60)]
    [InlineData(1000, 60)]
    public void Retry_backoff_doubles_from_a_minute_up_to_an_hour(int pogingen, int minuten)
    {
        Assert.Equal(TimeSpan.FromMinutes(minuten), OutboxSender.Wachttijd(pogingen));
    }

    private static ServiceCollection Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddMail(configuration);
        // Mail:Afzender unset: the sender comes from the municipality profile (the demo profile here).
        services.AddGemeenteProfiel();
        return services;
    }
}
