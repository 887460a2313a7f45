using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Npgsql;

namespace Wijkmeldingen.Web.Hosting;

/// <summary>
/// Data Protection keys in PostgreSQL (table data_protection_sleutel) under one fixed application
/// name, so every web node behind a load balancer protects and unprotects with the same key ring:
/// a staff cookie or antiforgery token issued by one node is accepted by all. No sticky sessions.
/// </summary>
public static class GedeeldeSleutels
{
    /// <summary>The Data Protection application name (isolates this app's payloads from other apps
    /// that might share the key table; must be the same on every node).</summary>
    public const string ApplicationName = "Wijkmeldingen";

    public static IServiceCollection AddGedeeldeSleutels(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName(ApplicationName);
        services.AddSingleton<PostgresXmlRepository>();
        services
            .AddOptions<KeyManagementOptions>()
            .Configure<PostgresXmlRepository>((options, repository) => options.XmlRepository = repository);
        return services;
    }
}

/// <summary>An <see cref="IXmlRepository"/> over the primary database (never the read replica: a
/// freshly created key must be visible at once to the node that made it).</summary>
public sealed class PostgresXmlRepository(NpgsqlDataSource dataSource) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        // The framework's interface is synchronous; it is called once per key ring refresh (24 h) or
        // when a payload names a key this node has not seen yet.
        using var connection = dataSource.OpenConnection();
        return [.. connection.Query<string>("SELECT xml FROM data_protection_sleutel ORDER BY id").Select(XElement.Parse)];
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        using var connection = dataSource.OpenConnection();
        connection.Execute(
            "INSERT INTO data_protection_sleutel (naam, xml) VALUES (@naam, @xml) ON CONFLICT (naam) DO NOTHING",
            new
            {
                naam = string.IsNullOrEmpty(friendlyName) ? Guid.NewGuid().ToString("N") : friendlyName,
                xml = element.ToString(SaveOptions.DisableFormatting),
            }
        );
    }
}
