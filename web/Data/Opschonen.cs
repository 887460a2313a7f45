using Npgsql;

namespace Wijkmeldingen.Web.Data;

/// <summary>One retention rule: deletes personal data whose time has passed and says how many rows
/// went. The part that owns the data registers its rules (<c>services.AddOpschoonRegel</c>):
/// the ground floor those of reports (contact details, followers, photos, stale uploads), the walks
/// their participants, the map its unconfirmed subscriptions. Each rule must be idempotent.
/// <see cref="Termijn"/> says what the rule removes after how long, for the privacy statement (/privacy):
/// the statement lists the registered rules themselves, so its text cannot drift from what runs.</summary>
public sealed record OpschoonRegel(
    string Naam,
    Func<NpgsqlConnection, CancellationToken, Task<int>> UitvoerenAsync,
    Bewaartermijn? Termijn = null
);

/// <summary>A rule's term as the privacy statement shows it: <see cref="Gegevens"/> names the data (the
/// resource <c>privacy.bewaren.&lt;Gegevens&gt;</c> holds the sentence, with the number as {0}),
/// <see cref="Aantal"/> is the configured number of <see cref="Eenheid"/> (0: no term of its own).</summary>
public sealed record Bewaartermijn(string Gegevens, int Aantal, TermijnEenheid Eenheid = TermijnEenheid.Dagen);

public enum TermijnEenheid
{
    Dagen,
    Jaren,
    Maanden,
    Uren,
}

public static class OpschonenSetup
{
    public static IServiceCollection AddOpschoonRegel(this IServiceCollection services, OpschoonRegel regel) =>
        services.AddSingleton(regel);

    public static IServiceCollection AddOpschoonRegel(this IServiceCollection services, Func<IServiceProvider, OpschoonRegel> regel) =>
        services.AddSingleton(regel);
}

/// <summary>
/// Deletes personal data on schedule by running every registered <see cref="OpschoonRegel"/> every
/// few minutes; safe with several web processes (the deletes are idempotent). One rule's failure does
/// not stop the others.
/// </summary>
public sealed class Opschonen(NpgsqlDataSource dataSource, IEnumerable<OpschoonRegel> regels, ILogger<Opschonen> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);

    /// <summary>One round of every rule: the rows each removed, by the rule's name.</summary>
    public async Task<IReadOnlyDictionary<string, int>> EenRondeAsync(CancellationToken cancellationToken)
    {
        var verwijderd = new Dictionary<string, int>(StringComparer.Ordinal);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        foreach (var regel in regels)
        {
            verwijderd[regel.Naam] = await regel.UitvoerenAsync(connection, cancellationToken);
        }
        return verwijderd;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                var verwijderd = await EenRondeAsync(stoppingToken);
                if (verwijderd.Values.Any(n => n > 0))
                {
                    logger.LogInformation(
                        "Retention: removed {Verwijderd}",
                        string.Join(", ", verwijderd.Where(v => v.Value > 0).Select(v => $"{v.Value} {v.Key}"))
                    );
                }
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                logger.LogWarning(e, "Retention clean-up failed; trying again next round");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
