using Dapper;
using Npgsql;

namespace Wijkmeldingen.Web.Data;

/// <summary>
/// Deletes personal data on schedule: contact details and followers of closed reports once their
/// retention period has passed, photos of closed reports after wijk.bewaar_foto_dagen (0 keeps
/// them), photos of failed submits after a day, walk participants after the walk and unconfirmed
/// buurt subscriptions after a week. Runs every few minutes;
/// safe with several web processes (the deletes are idempotent).
/// </summary>
public sealed class Opschonen(NpgsqlDataSource dataSource, Microsoft.Extensions.Options.IOptions<Features.Wandelingen.WandelingenOptions> wandelingen, ILogger<Opschonen> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);

    public async Task<(int Contacten, int Volgers, int Uploads)> EenRondeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var contacten = await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM melder_contact WHERE verwijderen_na < now()", cancellationToken: cancellationToken));
        var volgers = await connection.ExecuteAsync(new CommandDefinition(
            """
            DELETE FROM melding_volger v
            USING melding m JOIN meldingstatus s ON s.code = m.status
            WHERE v.melding_id = m.id AND s.gesloten
              AND m.gewijzigd_op < now() - make_interval(days => coalesce(nullif(current_setting('wijk.bewaar_contact_dagen', true), '')::int, 90))
            """, cancellationToken: cancellationToken));
        var uploads = await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM foto_upload WHERE aangemaakt_op < now() - interval '1 day'", cancellationToken: cancellationToken));
        // Walk participants: names and addresses go a configurable time after the walk.
        volgers += await connection.ExecuteAsync(new CommandDefinition(
            """
            DELETE FROM wandeling_aanmelding a USING wandeling w
            WHERE a.wandeling_id = w.id
              AND w.begint_op + make_interval(mins => w.duur_minuten) < now() - make_interval(days => @dagen)
            """, new { dagen = wandelingen.Value.BewaarDeelnemersDagen }, cancellationToken: cancellationToken));
        // Subscriptions nobody confirmed within a week: the address was never the owner's choice.
        volgers += await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM abonnement WHERE bevestigd_op IS NULL AND aangemaakt_op < now() - interval '7 days'", cancellationToken: cancellationToken));
        return (contacten, volgers, uploads);
    }

    /// <summary>Photos of reports closed longer than Database:BewaarFotoDagen ago (the last change of a
    /// closed report is its closing moment, as for followers).</summary>
    public async Task<int> FotosAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            DELETE FROM melding_foto f
            USING melding m JOIN meldingstatus s ON s.code = m.status
            WHERE f.melding_id = m.id AND s.gesloten
              AND coalesce(nullif(current_setting('wijk.bewaar_foto_dagen', true), '')::int, 365) > 0
              AND m.gewijzigd_op < now() - make_interval(days => coalesce(nullif(current_setting('wijk.bewaar_foto_dagen', true), '')::int, 365))
            """, cancellationToken: cancellationToken));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                var (contacten, volgers, uploads) = await EenRondeAsync(stoppingToken);
                var fotos = await FotosAsync(stoppingToken);
                if (contacten + volgers + uploads + fotos > 0)
                {
                    logger.LogInformation("Retention: removed {Contacten} contact details, {Volgers} followers, {Uploads} stale uploads, {Fotos} photos of closed reports",
                        contacten, volgers, uploads, fotos);
                }
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                logger.LogWarning(e, "Retention clean-up failed; trying again next round");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
