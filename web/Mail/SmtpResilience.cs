using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using Polly;
using Polly.Retry;

namespace Wijkmeldingen.Web.Mail;

/// <summary>
/// Fault handling for one SMTP send: a dropped connection, a refused connect, a timeout or a 4xx
/// ("try again later") reply is retried a couple of times with a short backoff. Anything longer
/// is the outbox's job: the row is rescheduled with its own, much longer backoff.
/// </summary>
public static class SmtpResilience
{
    public const string PipelineName = "smtp";

    public static bool IsTransient(Exception exception) =>
        exception switch
        {
            SmtpCommandException command => (int)command.StatusCode is >= 400 and < 500,
            SmtpProtocolException or ServiceNotConnectedException => true,
            SocketException or IOException or TimeoutException => true,
            _ => false,
        };

    public static IServiceCollection AddSmtpResilience(this IServiceCollection services)
    {
        services.AddResiliencePipeline(PipelineName, builder => builder.AddRetry(
                new RetryStrategyOptions
                {
                    ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
                    MaxRetryAttempts = 2,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = TimeSpan.FromMilliseconds(250),
                }
            ));
        return services;
    }
}
