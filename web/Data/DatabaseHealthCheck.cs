using Dapper;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Wijkmeldingen.Web.Data;

/// <summary>
/// Ready means more than "a socket answers": PostGIS is there and the municipality's boundaries are
/// loaded, so a report can be checked and stored.
/// </summary>
public sealed class DatabaseHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var status = await connection.QuerySingleAsync<(string Postgis, long Buurten)>(
                """
                SELECT postgis_lib_version() AS postgis, (SELECT count(*) FROM buurt) AS buurten
                """
            );
            var data = new Dictionary<string, object> { ["postgis"] = status.Postgis, ["buurten"] = status.Buurten };
            return status.Buurten > 0
                ? HealthCheckResult.Healthy("Database bereikbaar, PostGIS " + status.Postgis, data)
                : HealthCheckResult.Unhealthy(
                    "Database bereikbaar maar de buurtgrenzen ontbreken; laad ze met het commando gemeente (docs/geodata.md)",
                    data: data
                );
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("Database niet bereikbaar", exception);
        }
    }
}
