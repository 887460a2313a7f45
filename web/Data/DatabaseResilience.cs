using Npgsql;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace Wijkmeldingen.Web.Data;

/// <summary>
/// The one place where database fault handling is configured. Every database call that must
/// survive a restart of PostgreSQL runs through the <see cref="PipelineName"/> pipeline: transient
/// Npgsql errors are retried with exponential backoff and jitter, and a circuit breaker stops
/// hammering a database that is down so callers can answer 503 quickly (<see cref="IsUnavailable"/>).
/// Proven by DatabaseHerstartTests: PostgreSQL stopped and started under load, nothing accepted is
/// lost, everything else is a 503, and the portal recovers without a restart.
/// </summary>
public static class DatabaseResilience
{
    public const string PipelineName = "database";

    /// <summary>Errors worth another try: the connection broke, the server is starting or shutting down.</summary>
    public static bool IsTransient(Exception exception) =>
        exception switch
        {
            PostgresException pg => pg.IsTransient || pg.SqlState is "57P01" or "57P02" or "57P03",
            NpgsqlException npgsql => npgsql.IsTransient,
            TimeoutException => true,
            _ => false,
        };

    /// <summary>
    /// What the pipeline gives up on, answered with 503 (never 500) by the web form, the API and the
    /// error page: an open circuit, a timeout, or an Npgsql error that is transient or no server
    /// error at all (connection refused or broken). A <see cref="PostgresException"/> that is not
    /// transient is a real error in a query and stays a 500.
    /// </summary>
    public static bool IsUnavailable(Exception exception) =>
        exception is BrokenCircuitException or TimeoutException
        || (exception is NpgsqlException npgsql && (npgsql.IsTransient || npgsql is not PostgresException));

    public static IServiceCollection AddDatabaseResilience(this IServiceCollection services)
    {
        services.AddResiliencePipeline(PipelineName, builder => builder
                .AddRetry(
                    new RetryStrategyOptions
                    {
                        ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
                        MaxRetryAttempts = 4,
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        Delay = TimeSpan.FromMilliseconds(100),
                    }
                )
                .AddCircuitBreaker(
                    new CircuitBreakerStrategyOptions
                    {
                        ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
                        FailureRatio = 0.8,
                        MinimumThroughput = 10,
                        SamplingDuration = TimeSpan.FromSeconds(10),
                        BreakDuration = TimeSpan.FromSeconds(3),
                    }
                ));
        return services;
    }

    /// <summary>Waits for a database that is still starting (start-up migrations, seeding).</summary>
    public static ResiliencePipeline StartupPipeline { get; } =
        new ResiliencePipelineBuilder()
            .AddRetry(
                new RetryStrategyOptions
                {
                    ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
                    MaxRetryAttempts = 10,
                    BackoffType = DelayBackoffType.Exponential,
                    MaxDelay = TimeSpan.FromSeconds(5),
                    Delay = TimeSpan.FromMilliseconds(250),
                }
            )
            .Build();
}
