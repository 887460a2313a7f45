using Dapper;
using Npgsql;
using Wijkmeldingen.Web.Data;

namespace Wijkmeldingen.Web.Domein;

/// <summary>
/// Stores a new report with its history row, contact details (apart), photos and confirmation
/// e-mail in one transaction: a report the portal accepted is in the database, with its mail queued.
/// The idempotency key makes a double tap, a refresh or a resent offline draft find the first report.
/// </summary>
public static class MeldingOpslaan
{
    public sealed record Foto(byte[] Jpeg, int Breedte, int Hoogte);

    /// <summary>A report to file. <c>Taal</c> is the melder's language ("en", or Dutch when null), kept
    /// as <c>melding.taal</c> for the mails sent to the melder later.</summary>
    public sealed record Opdracht(
        Guid IdempotentieSleutel,
        string Rubriek,
        string Omschrijving,
        double Lat,
        double Lon,
        DateTimeOffset? VoorgevallenOp,
        string? MelderType,
        string? Bedrijfsnaam,
        string? Email,
        IReadOnlyList<Foto> NieuweFotos,
        IReadOnlyList<Guid> BewaardeFotos,
        string Bron = "web",
        string? Naam = null,
        string? Telefoon = null,
        long? ApiSleutelId = null,
        IReadOnlyList<RubriekVragen.Antwoord>? Antwoorden = null,
        string? Taal = null
    );

    /// <summary><paramref name="MelderSleutel"/> is the private-link token, only for a new report
    /// (the database keeps its hash); a repeated submit gets null and the existing code.</summary>
    public sealed record Resultaat(long Id, string Volgcode, string? MelderSleutel, bool Bestond);

    public delegate Task NaOpslaan(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        long id,
        string volgcode,
        string melderSleutel
    );

    /// <summary>Without counting (tests and tools that fill a database).</summary>
    public static Task<Resultaat> UitvoerenAsync(
        NpgsqlDataSource dataSource,
        Opdracht opdracht,
        NaOpslaan? naOpslaan,
        CancellationToken cancellationToken
    ) => UitvoerenAsync(dataSource, opdracht, naOpslaan, metrics: null, cancellationToken);

    /// <summary>Stores the report; a new one (not a repeated submit) is counted in
    /// <see cref="WijkMetrics.MeldingenGemeld"/> per category and entrance once committed.</summary>
    public static async Task<Resultaat> UitvoerenAsync(
        NpgsqlDataSource dataSource,
        Opdracht opdracht,
        NaOpslaan? naOpslaan,
        WijkMetrics? metrics,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(opdracht);
        var sleutel = Sleutels.Nieuw();

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // The report and its first history row in one statement (one round trip less per filing).
        var nieuw = await connection.QuerySingleOrDefaultAsync<(long Id, string Volgcode)?>(
            new CommandDefinition(
                """
                WITH nieuw AS (
                    INSERT INTO melding (rubriek_id, omschrijving, locatie, voorgevallen_op, melder_type, bedrijfsnaam,
                                         bron, idempotentie_sleutel, melder_sleutel_hash, api_sleutel_id, taal)
                    SELECT r.id, @omschrijving, ST_Transform(ST_SetSRID(ST_MakePoint(@lon, @lat), 4326), 28992), @VoorgevallenOp,
                           @melderType, @bedrijfsnaam, @bron, @idempotentieSleutel, @hash, @apiSleutelId, @taal
                    FROM rubriek r
                    -- This transaction notifies the live list itself, after its commit (V78).
                    CROSS JOIN (SELECT set_config('wijk.live_na_commit', 'aan', true)) AS na_commit
                    WHERE r.code = @rubriek AND r.actief
                    ON CONFLICT (gemeente_code, idempotentie_sleutel) DO NOTHING
                    RETURNING id, volgcode
                ), historie AS (
                    INSERT INTO melding_historie (melding_id, van_status, naar_status, door)
                    SELECT id, NULL, 'gemeld', 'melder' FROM nieuw
                )
                SELECT id, volgcode FROM nieuw
                """,
                new
                {
                    opdracht.Omschrijving,
                    opdracht.Lon,
                    opdracht.Lat,
                    // Npgsql writes timestamptz from UTC values only.
                    VoorgevallenOp = opdracht.VoorgevallenOp?.ToUniversalTime(),
                    opdracht.MelderType,
                    opdracht.Bedrijfsnaam,
                    opdracht.Bron,
                    opdracht.IdempotentieSleutel,
                    opdracht.Rubriek,
                    hash = Sleutels.Hash(sleutel),
                    opdracht.ApiSleutelId,
                    // The melder's language for later mails (the UI culture of /melden, Open311's locale).
                    taal = opdracht.Taal == Domein.Taal.Engels ? Domein.Taal.Engels : Domein.Taal.Nederlands,
                },
                transaction,
                cancellationToken: cancellationToken
            )
        );

        if (nieuw is null)
        {
            var bestaand = await connection.QuerySingleOrDefaultAsync<(long Id, string Volgcode)?>(
                new CommandDefinition(
                    "SELECT id, volgcode FROM melding WHERE idempotentie_sleutel = @IdempotentieSleutel",
                    new { opdracht.IdempotentieSleutel },
                    transaction,
                    cancellationToken: cancellationToken
                )
            );
            if (bestaand is null)
            {
                throw new OnbekendeRubriekException(opdracht.Rubriek);
            }
            await transaction.RollbackAsync(cancellationToken);
            return new Resultaat(bestaand.Value.Id, bestaand.Value.Volgcode, null, Bestond: true);
        }

        var (id, volgcode) = nieuw.Value;

        if (!string.IsNullOrWhiteSpace(opdracht.Email) || !string.IsNullOrWhiteSpace(opdracht.Telefoon))
        {
            await connection.ExecuteAsync(
                new CommandDefinition(
                    "INSERT INTO melder_contact (melding_id, email, naam, telefoon) VALUES (@id, @email, @naam, @telefoon)",
                    new
                    {
                        id,
                        email = opdracht.Email?.Trim(),
                        naam = opdracht.Naam,
                        telefoon = opdracht.Telefoon,
                    },
                    transaction,
                    cancellationToken: cancellationToken
                )
            );
        }

        foreach (var foto in opdracht.NieuweFotos)
        {
            await connection.ExecuteAsync(
                new CommandDefinition(
                    "INSERT INTO melding_foto (melding_id, jpeg, breedte, hoogte) VALUES (@id, @Jpeg, @Breedte, @Hoogte)",
                    new
                    {
                        id,
                        foto.Jpeg,
                        foto.Breedte,
                        foto.Hoogte,
                    },
                    transaction,
                    cancellationToken: cancellationToken
                )
            );
        }
        if (opdracht.BewaardeFotos.Count > 0)
        {
            await connection.ExecuteAsync(
                new CommandDefinition(
                    """
                    WITH verplaatst AS (DELETE FROM foto_upload WHERE id = ANY(@ids) RETURNING jpeg, breedte, hoogte, aangemaakt_op)
                    INSERT INTO melding_foto (melding_id, jpeg, breedte, hoogte)
                    SELECT @id, jpeg, breedte, hoogte FROM verplaatst ORDER BY aangemaakt_op
                    """,
                    new { id, ids = opdracht.BewaardeFotos.ToArray() },
                    transaction,
                    cancellationToken: cancellationToken
                )
            );
        }

        if (opdracht.Antwoorden is { Count: > 0 } antwoorden)
        {
            await RubriekVragen.OpslaanAsync(connection, transaction, id, antwoorden, cancellationToken);
        }

        if (naOpslaan is not null)
        {
            await naOpslaan(connection, transaction, id, volgcode, sleutel);
        }
        await transaction.CommitAsync(cancellationToken);
        metrics?.Gemeld(opdracht.Rubriek, opdracht.Bron);
        await LiveMeldenAsync(connection, id);
        return new Resultaat(id, volgcode, sleutel, Bestond: false);
    }

    /// <summary>
    /// The live list's notification of a new report, sent after the commit in a transaction of its
    /// own (the INSERT trigger stays silent for this transaction, V78): a NOTIFY inside the filing
    /// transaction would hold PostgreSQL's notify lock across the commit's WAL flush, one filing after
    /// another. The report is stored whatever happens here; should the connection drop right after
    /// the commit, staff's live list hears of it on its next change or reconnect, and the map's kept
    /// answers expire within <c>Kaart:CacheSeconden</c>.
    /// </summary>
    private static async Task LiveMeldenAsync(NpgsqlConnection connection, long id)
    {
        try
        {
            await connection.ExecuteAsync(
                "SELECT pg_notify(@kanaal, json_build_object('soort', 'insert', 'ids', ARRAY[@id], 'aantal', 1)::text)",
                new { kanaal = MeldingLive.Kanaal, id }
            );
        }
        catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException)
        {
            // Not an error for the melder: the report is committed.
        }
    }
}

public sealed class OnbekendeRubriekException(string rubriek) : Exception($"Unknown or inactive category '{rubriek}'")
{
    public string Rubriek { get; } = rubriek;
}
