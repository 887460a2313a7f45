using Dapper;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Wijkmeldingen.Web.Data;

/// <summary>
/// Every migration in db/migrations that this build ships has been applied (Evolve's table
/// <c>schema_migraties</c>, successful rows): a node whose code expects a newer schema than the
/// database has must not take traffic. Part of /health/ready.
/// </summary>
public sealed class MigratiesHealthCheck(NpgsqlDataSource dataSource, IOptions<DatabaseOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var map = Path.Combine(DatabaseMigrator.ScriptsRoot(options.Value), "migrations");
        if (!Directory.Exists(map))
        {
            return HealthCheckResult.Unhealthy("Migraties niet gevonden (Database:ScriptsPath)");
        }
        var verwacht = Directory.EnumerateFiles(map, "V*.sql").Select(Path.GetFileName).OfType<string>().ToHashSet(StringComparer.Ordinal);
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var toegepast = await connection.QueryAsync<string>(
                new CommandDefinition(
                    """
                    SELECT name FROM schema_migraties WHERE success
                    """,
                    cancellationToken: cancellationToken
                )
            );
            var ontbrekend = verwacht.Except(toegepast, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            var data = new Dictionary<string, object> { ["verwacht"] = verwacht.Count, ["ontbrekend"] = ontbrekend.Count };
            return ontbrekend.Count == 0
                ? HealthCheckResult.Healthy($"Alle {verwacht.Count} migraties toegepast", data)
                : HealthCheckResult.Unhealthy(
                    $"{ontbrekend.Count} migratie(s) niet toegepast: {string.Join(", ", ontbrekend.Take(5))}",
                    data: data
                );
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return HealthCheckResult.Unhealthy("Database zonder migraties");
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("Database niet bereikbaar", exception);
        }
    }
}
