using Npgsql;

namespace Wijkmeldingen.Web.Data;

public static class Database
{
    public const string ConnectionStringName = "Wijkmeldingen";

    /// <summary>Optional connection string of a streaming read replica for reads that may lag.</summary>
    public const string LeesConnectionStringName = "Lezen";

    /// <summary>Optional connection string of the owner role that runs the migrations and the commands
    /// that change schema or reference data; unset, <see cref="ConnectionStringName"/> does that too.</summary>
    public const string EigenaarConnectionStringName = "WijkmeldingenEigenaar";

    /// <summary>
    /// One <see cref="NpgsqlDataSource"/> for the process, with NetTopologySuite so PostGIS geometries
    /// arrive as NTS types; Dapper runs over connections opened from it, one per operation.
    /// </summary>
    public static IServiceCollection AddDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        GeometryTypeHandlers.Register();
        Dapper.DefaultTypeMap.MatchNamesWithUnderscores = true;

        services.AddSingleton(sp =>
        {
            var connectionString = configuration.GetConnectionString(ConnectionStringName);
            return string.IsNullOrWhiteSpace(connectionString)
                ? throw new InvalidOperationException(
                    $"ConnectionStrings:{ConnectionStringName} is not set "
                        + $"(environment variable ConnectionStrings__{ConnectionStringName}); infra/wijk run sets it for you."
                )
                : CreateDataSource(connectionString, sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<DatabaseOptions>>().Value);
        });
        // Reads that may lag go to the replica when ConnectionStrings:Lezen is set, else to the primary.
        services.AddSingleton(sp =>
        {
            var lezen = configuration.GetConnectionString(LeesConnectionStringName);
            return string.IsNullOrWhiteSpace(lezen)
                ? new LeesDatabase(sp.GetRequiredService<NpgsqlDataSource>(), isReplica: false)
                : new LeesDatabase(
                    CreateDataSource(lezen, sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<DatabaseOptions>>().Value),
                    isReplica: true
                );
        });
        // Migrations and the commands that change schema or reference data run as the owner role when
        // ConnectionStrings:WijkmeldingenEigenaar is set; requests always use the app role above.
        services.AddSingleton(sp =>
        {
            var eigenaar = configuration.GetConnectionString(EigenaarConnectionStringName);
            return string.IsNullOrWhiteSpace(eigenaar)
                ? new EigenaarDatabase(sp.GetRequiredService<NpgsqlDataSource>(), isApart: false)
                : new EigenaarDatabase(
                    CreateDataSource(eigenaar, sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<DatabaseOptions>>().Value),
                    isApart: true
                );
        });
        services.AddHostedService<Opschonen>();
        // The reports' change bus: one LISTEN connection per node, fanned out to the live triage list
        // and counted as the public map's change counter.
        services.AddSingleton<MeldingLive>();
        services.AddHostedService(sp => sp.GetRequiredService<MeldingLive>());
        services.AddDatabaseResilience();
        services.AddSingleton<DatabaseMigrator>();
        // The portal's own metrics (Meter "Wijkmeldingen"); every part counts its events through it.
        services.AddWijkMetrics();
        // Demo data for development; the features add their steps with AddDemoStap.
        // As the owner: the demo script switches a trigger off while it inserts (ALTER TABLE) and
        // ANALYZEs the tables afterwards.
        services.AddSingleton(sp => new DemoSeeder(
            sp.GetRequiredService<EigenaarDatabase>().Bron,
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<DatabaseOptions>>(),
            sp.GetRequiredService<ILogger<DemoSeeder>>(),
            sp.GetServices<DemoStap>(),
            sp.GetRequiredService<IHostEnvironment>()
        ));
        return services;
    }

    public static NpgsqlDataSource CreateDataSource(string connectionString, DatabaseOptions? options = null)
    {
        options ??= new DatabaseOptions();
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.UseNetTopologySuite();
        // Map queries are small: parallel workers cost more to start than they save (PERFORMANCE.md),
        // and JIT compilation cost 190 ms on a 45 ms viewport query at 1,000,000 reports (measured).
        // The retention period is read by the trigger that starts the clock when a report closes.
        builder.ConnectionStringBuilder.Options = AppendOption(
            builder.ConnectionStringBuilder.Options,
            "-c max_parallel_workers_per_gather=0 -c jit=off "
                + $"-c wijk.bewaar_contact_dagen={options.BewaarContactDagen.ToString(System.Globalization.CultureInfo.InvariantCulture)}"
                + $" -c wijk.bewaar_foto_dagen={options.BewaarFotoDagen.ToString(System.Globalization.CultureInfo.InvariantCulture)}"
        );
        // The tenant: new rows get it as their gemeente_code and the row-level security policies let the
        // app role see only its rows (V81). Without it the app role reads no tenant data at all.
        if (!string.IsNullOrWhiteSpace(options.Gemeente))
        {
            if (!System.Text.RegularExpressions.Regex.IsMatch(options.Gemeente, "^GM[0-9]{4}$"))
            {
                throw new ArgumentException($"Not a CBS municipality code: {options.Gemeente}", nameof(options));
            }
            builder.ConnectionStringBuilder.Options = AppendOption(
                builder.ConnectionStringBuilder.Options,
                $"-c wijk.gemeente={options.Gemeente}"
            );
        }
        builder.ConnectionStringBuilder.ApplicationName ??= "wijkmeldingen";
        // A pooled connection is not reset with DISCARD ALL when it is handed out again (unless the
        // connection string says otherwise): the reset also dropped the session's cached plans, the
        // triggers' PL/pgSQL plans included, so every filing planned them anew. Measured over 300
        // Open311 filings at 1,000,000 reports: 6.1 and 7.7 ms of PostgreSQL CPU per filing with the
        // reset, 4.2 and 4.1 ms without. Nothing here leaves session state behind: settings are
        // SET LOCAL / set_config(..., true), temporary tables are ON COMMIT DROP, advisory locks are
        // transaction locks, and the change bus's LISTEN connection unlistens before it is returned.
        if (!connectionString.Contains("Reset On Close", StringComparison.OrdinalIgnoreCase))
        {
            builder.ConnectionStringBuilder.NoResetOnClose = true;
        }
        return builder.Build();
    }

    private static string AppendOption(string? existing, string option) =>
        string.IsNullOrWhiteSpace(existing) ? option : $"{existing} {option}";
}
