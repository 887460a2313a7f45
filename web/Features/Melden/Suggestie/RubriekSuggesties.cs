using Dapper;
using Microsoft.Extensions.Options;
using Microsoft.ML;
using Npgsql;

namespace Wijkmeldingen.Web.Features.Melden;

/// <summary>
/// The category suggestion: the newest trained model (table <c>rubriek_model</c>) in memory, one
/// prediction engine behind a lock (a prediction takes well under a millisecond), and the training
/// round that builds a model from the municipality's own handled reports with their final category
/// (the one staff left them in). Without a model there is simply no suggestion.
/// </summary>
public sealed class RubriekSuggesties(NpgsqlDataSource dataSource, IOptions<SuggestieOptions> options, ILogger<RubriekSuggesties> logger)
{
    private readonly Lock slot = new();
    private PredictionEngine<RubriekModel.Rij, RubriekModel.Voorspelling>? engine;
    private int? modelId;

    public sealed record Suggestie(string Rubriek, float Kans);

    public bool HeeftModel => engine is not null;

    /// <summary>The likely category of a description, or null (no model, too short, or below the threshold).</summary>
    public Suggestie? Voorspel(string? tekst)
    {
        var opties = options.Value;
        if (!opties.Aan || string.IsNullOrWhiteSpace(tekst) || tekst.Trim().Length < opties.MinimumTekens)
        {
            return null;
        }
        (string Rubriek, float Kans) v;
        lock (slot)
        {
            if (engine is null)
            {
                return null;
            }
            v = RubriekModel.Voorspel(engine, tekst.Trim()[..Math.Min(tekst.Trim().Length, 2000)]);
        }
        return v.Kans >= opties.Drempel ? new Suggestie(v.Rubriek, v.Kans) : null;
    }

    /// <summary>Loads the newest stored model when it is not the one in memory.</summary>
    public async Task LaadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var nieuwste = await connection.QuerySingleOrDefaultAsync<int?>(
            new CommandDefinition("SELECT max(id) FROM rubriek_model", cancellationToken: cancellationToken)
        );
        if (nieuwste is null || nieuwste == modelId)
        {
            return;
        }
        var bytes = await connection.QuerySingleAsync<byte[]>(
            new CommandDefinition(
                "SELECT model FROM rubriek_model WHERE id = @nieuwste",
                new { nieuwste },
                cancellationToken: cancellationToken
            )
        );
        var (ml, model) = RubriekModel.UitBytes(bytes);
        var nieuw = ml.Model.CreatePredictionEngine<RubriekModel.Rij, RubriekModel.Voorspelling>(model);
        lock (slot)
        {
            engine?.Dispose();
            engine = nieuw;
            modelId = nieuwste;
        }
    }

    /// <summary>One training round: when reports were handled (or re-categorised) since the last model,
    /// train on the newest handled ones and store the model. Returns whether a model was trained.</summary>
    public async Task<bool> TrainRondeAsync(CancellationToken cancellationToken)
    {
        var opties = options.Value;
        if (!opties.Aan)
        {
            return false;
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // One trainer for the whole installation: every web node runs this round, and without the
        // lock each one would train the same model at the same moment (after a deploy, all at once).
        // A session lock, so it is held while training runs outside any transaction; it goes with the
        // connection if the process dies.
        if (!await connection.ExecuteScalarAsync<bool>(new CommandDefinition("SELECT pg_try_advisory_lock(@slot)", new { slot = Slot })))
        {
            await LaadAsync(cancellationToken);
            return false;
        }
        try
        {
            return await TrainOnderSlotAsync(connection, opties, cancellationToken);
        }
        finally
        {
            await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_unlock(@slot)", new { slot = Slot }));
        }
    }

    /// <summary>The advisory lock key of the training round (an arbitrary constant of this project).</summary>
    private const long Slot = 0x52_75_62_72_69_65_6B; // "Rubriek"

    private async Task<bool> TrainOnderSlotAsync(NpgsqlConnection connection, SuggestieOptions opties, CancellationToken cancellationToken)
    {
        // Due by the stored model, not by this process: a restart does not retrain a model younger
        // than the interval, so deploying (or starting a node) costs no training.
        var (laatste, tot, jong) = await connection.QuerySingleAsync<(DateTime? Laatste, DateTime? Tot, bool Jong)>(
            new CommandDefinition(
                """
                SELECT (SELECT max(m.gewijzigd_op) FROM melding m JOIN meldingstatus s ON s.code = m.status
                        WHERE s.gesloten AND m.status <> 'ingetrokken') AS laatste,
                       (SELECT tot FROM rubriek_model ORDER BY id DESC LIMIT 1) AS tot,
                       coalesce((SELECT getraind_op > now() - make_interval(mins => @interval)
                                 FROM rubriek_model ORDER BY id DESC LIMIT 1), false) AS jong
                """,
                new { interval = opties.IntervalMinuten - 1 },
                cancellationToken: cancellationToken
            )
        );
        if (laatste is null || (tot is not null && laatste <= tot) || jong)
        {
            await LaadAsync(cancellationToken);
            return false;
        }
        // Handled reports with their final category; withdrawn and anonymised ones say nothing.
        var rijen = (
            await connection.QueryAsync<RubriekModel.Rij>(
                new CommandDefinition(
                    """
                    SELECT m.omschrijving AS tekst, r.code AS rubriek
                    FROM melding m
                    JOIN meldingstatus s ON s.code = m.status
                    JOIN rubriek r ON r.id = m.rubriek_id
                    WHERE s.gesloten AND m.status NOT IN ('ingetrokken', 'afgewezen') AND r.actief AND m.omschrijving <> ''
                    ORDER BY m.gewijzigd_op DESC
                    LIMIT @max
                    """,
                    new { max = opties.MaxMeldingen },
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();
        if (rijen.Count < opties.MinimumMeldingen || rijen.Select(r => r.Rubriek).Distinct().Count() < 2)
        {
            logger.LogInformation("Category suggestion: {Aantal} handled reports, not enough to train", rijen.Count);
            return false;
        }
        var bytes = await Task.Run(
            () =>
            {
                var (ml, model, schema) = RubriekModel.Train(rijen);
                return RubriekModel.NaarBytes(ml, model, schema);
            },
            cancellationToken
        );
        // Training allocates a few hundred MB for a moment (n-gram tables of up to MaxMeldingen texts);
        // give that back to the machine instead of keeping it as the process's working set.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        await connection.ExecuteAsync(
            new CommandDefinition(
                """
                INSERT INTO rubriek_model (aantal, rubrieken, tot, model) VALUES (@aantal, @rubrieken, @laatste, @bytes);
                DELETE FROM rubriek_model WHERE id NOT IN (SELECT id FROM rubriek_model ORDER BY id DESC LIMIT 2);
                """,
                new
                {
                    aantal = rijen.Count,
                    rubrieken = rijen.Select(r => r.Rubriek).Distinct().Count(),
                    laatste,
                    bytes,
                },
                cancellationToken: cancellationToken
            )
        );
        logger.LogInformation("Category suggestion: trained on {Aantal} handled reports ({Bytes} bytes)", rijen.Count, bytes.Length);
        await LaadAsync(cancellationToken);
        return true;
    }
}

/// <summary>The background round: at start and every <see cref="SuggestieOptions.IntervalMinuten"/>.</summary>
public sealed class RubriekTrainer(RubriekSuggesties suggesties, IOptions<SuggestieOptions> options, ILogger<RubriekTrainer> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Aan)
        {
            return;
        }
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(options.Value.IntervalMinuten));
        do
        {
            try
            {
                await suggesties.TrainRondeAsync(stoppingToken);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                logger.LogWarning(e, "Category suggestion round failed; trying again next round");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
