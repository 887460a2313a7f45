using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Wijkbeeld;

/// <summary>
/// Keeps the per-month rollups (wijkbeeld_maand, hotspot_maand) up to date: reports mark their month
/// dirty through triggers, and every <see cref="WijkbeeldOptions.VerversSeconden"/> this recomputes
/// the dirty months in the database (wijkbeeld_ververs, V20). Safe with several processes.
/// </summary>
public sealed class WijkbeeldVerversen(
    NpgsqlDataSource dataSource,
    IOptions<WijkbeeldOptions> options,
    IOptions<HotspotOptions> engine,
    ILogger<WijkbeeldVerversen> logger
) : BackgroundService
{
    /// <summary>Brings the rollups up to date now; returns the number of months recomputed.</summary>
    public async Task<int> VerversAsync(CancellationToken cancellationToken = default)
    {
        var groottes = engine.Value.Celgroottes.Append(options.Value.PubliekeCelgrootte).Distinct().Order().ToArray();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>(
            new CommandDefinition(
                "SELECT wijkbeeld_ververs(@groottes)",
                new { groottes },
                commandTimeout: 0,
                cancellationToken: cancellationToken
            )
        );
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(1, options.Value.VerversSeconden)));
        do
        {
            try
            {
                var maanden = await VerversAsync(stoppingToken);
                if (maanden > 0)
                {
                    logger.LogInformation("Wijkbeeld: rolled up {Maanden} month(s)", maanden);
                }
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                logger.LogWarning(e, "Wijkbeeld rollup failed; trying again next round");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
