using System.Diagnostics.Metrics;
using Dapper;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace Wijkmeldingen.Web.Data;

/// <summary>
/// The portal's own metrics, on the Meter <see cref="MeterName"/> (docs/operations.md lists them).
/// It lives in Data, the lowest technical part, so that every part can count its events without an
/// import upwards: the report write path (Domein), the outbox sender (Mail), the geocoder (Geo).
/// Hosting.Telemetrie only wires the Meter into OpenTelemetry.
/// </summary>
/// <remarks>The gauges read the database when a reader collects (not per request): one small query
/// each for the outbox and the rollup state, answered from the partial index on unsent mail and the
/// one-row <c>wijkbeeld_stand</c>, and cached for <see cref="Bewaartijd"/> so several readers do not
/// multiply the load. A database that does not answer within <see cref="QueryTimeout"/> gives no
/// value rather than blocking the collection.</remarks>
public sealed class WijkMetrics
{
    public const string MeterName = "Wijkmeldingen";

    public const string MeldingenGemeld = "wijkmeldingen.meldingen.gemeld";
    public const string OutboxLengte = "wijkmeldingen.mail.outbox.lengte";
    public const string OutboxOudsteLeeftijd = "wijkmeldingen.mail.outbox.oudste_leeftijd";
    public const string MailMislukt = "wijkmeldingen.mail.mislukt";
    public const string GeocoderTerugval = "wijkmeldingen.geocoder.terugval";
    public const string RollupAchterstand = "wijkmeldingen.wijkbeeld.rollup_achterstand";

    private static readonly TimeSpan Bewaartijd = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(3);

    private readonly NpgsqlDataSource dataSource;
    private readonly Counter<long> gemeld;
    private readonly Counter<long> mailMislukt;
    private readonly Counter<long> geocoderTerugval;
    private readonly Lock slot = new();
    private (long Gelezen, Stand? Stand)? laatste;

    public WijkMetrics(IMeterFactory meterFactory, NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        this.dataSource = dataSource;
        var meter = meterFactory.Create(MeterName);
        gemeld = meter.CreateCounter<long>(
            MeldingenGemeld,
            "{melding}",
            "New reports stored, per category (rubriek) and entrance (bron: web, api, wandeling)"
        );
        mailMislukt = meter.CreateCounter<long>(
            MailMislukt,
            "{mail}",
            "Failed attempts to send an outbox mail; opgegeven=true when the sender gave up on it"
        );
        geocoderTerugval = meter.CreateCounter<long>(
            GeocoderTerugval,
            "{zoekactie}",
            "Address searches answered by the local search instead of PDOK (reden: fout or leeg)"
        );
        meter.CreateObservableGauge<long>(
            OutboxLengte,
            () => Lees() is { } s ? [new Measurement<long>(s.Onverzonden)] : Array.Empty<Measurement<long>>(),
            "{mail}",
            "Mails in the outbox not sent yet (given-up ones included)"
        );
        meter.CreateObservableGauge<double>(
            OutboxOudsteLeeftijd,
            () => Lees() is { } s ? [new Measurement<double>(s.OudsteSeconden)] : Array.Empty<Measurement<double>>(),
            "s",
            "Age of the oldest unsent mail; 0 when the outbox is empty"
        );
        meter.CreateObservableGauge<double>(
            RollupAchterstand,
            () => Lees() is { RollupSeconden: { } r } ? [new Measurement<double>(r)] : Array.Empty<Measurement<double>>(),
            "s",
            "Time since the wijkbeeld rollups were last brought up to date; none before the first round"
        );
    }

    /// <summary>A new report was stored (not a repeated submit of one that already existed).</summary>
    public void Gemeld(string rubriek, string bron) =>
        gemeld.Add(1, new KeyValuePair<string, object?>("rubriek", rubriek), new KeyValuePair<string, object?>("bron", bron));

    /// <summary>An outbox mail could not be sent; <paramref name="opgegeven"/>: it will not be tried again.</summary>
    public void MailNietVerzonden(bool opgegeven) => mailMislukt.Add(1, new KeyValuePair<string, object?>("opgegeven", opgegeven));

    /// <summary>PDOK was asked but the local search answered: <c>fout</c> (PDOK failed, too slow or its
    /// circuit is open) or <c>leeg</c> (PDOK found nothing).</summary>
    public void GeocoderViaLokaal(string reden) => geocoderTerugval.Add(1, new KeyValuePair<string, object?>("reden", reden));

    private sealed record Stand(long Onverzonden, double OudsteSeconden, double? RollupSeconden);

    private Stand? Lees()
    {
        lock (slot)
        {
            // Real elapsed time, whatever clock the app runs on (tests may freeze theirs).
            var nu = Environment.TickCount64;
            if (laatste is { } vorige && nu - vorige.Gelezen < (long)Bewaartijd.TotalMilliseconds)
            {
                return vorige.Stand;
            }
            Stand? stand;
            try
            {
                using var timeout = new CancellationTokenSource(QueryTimeout);
                stand = LeesAsync(timeout.Token).GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or OperationCanceledException or InvalidOperationException)
            {
                // No database, no value: the health endpoints say why.
                stand = null;
            }
            laatste = (nu, stand);
            return stand;
        }
    }

    private async Task<Stand> LeesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleAsync<Stand>(
            new CommandDefinition(
                """
                SELECT o.onverzonden AS "Onverzonden",
                       coalesce(extract(epoch FROM now() - o.oudste), 0)::float8 AS "OudsteSeconden",
                       (SELECT extract(epoch FROM now() - bijgewerkt_op)::float8 FROM wijkbeeld_stand) AS "RollupSeconden"
                FROM (SELECT count(*) AS onverzonden, min(aangemaakt_op) AS oudste
                      FROM mail_outbox WHERE verzonden_op IS NULL) o
                """,
                commandTimeout: (int)QueryTimeout.TotalSeconds,
                cancellationToken: cancellationToken
            )
        );
    }
}

/// <summary>Registers <see cref="WijkMetrics"/> once, from every part that counts through it, so a part
/// set up on its own (the outbox sender in a tool or a test) has it too.</summary>
public static class WijkMetricsSetup
{
    public static IServiceCollection AddWijkMetrics(this IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton<WijkMetrics>();
        return services;
    }
}
