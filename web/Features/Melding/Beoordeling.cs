using System.Security.Cryptography;
using Dapper;
using Npgsql;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Melding;

/// <summary>The melder's satisfaction answer after a report was handled (db/migrations/V13): one
/// answer per closed episode, through the mail's one-click links (token) or the melder's private
/// follow-up page (its link's token), never with the public tracking code alone, while
/// the episode is the current one and its period runs. "Niet tevreden" becomes a reopen request.</summary>
public static class Beoordeling
{
    public enum Staat
    {
        /// <summary>An answer can be given.</summary>
        Open,

        /// <summary>This episode was answered already.</summary>
        Gegeven,

        /// <summary>The period ended, or the report was reopened since.</summary>
        Verlopen,
    }

    public sealed record Episode(long Id, long MeldingId, DateTime GeldigTot, bool? Tevreden, string? Antwoord, bool Huidig, string Status);

    public static Staat StaatVan(Episode episode, DateTime nu)
    {
        ArgumentNullException.ThrowIfNull(episode);
        if (episode.Tevreden is not null)
        {
            return Staat.Gegeven;
        }
        return episode.Huidig && episode.Status == "afgehandeld" && episode.GeldigTot > nu ? Staat.Open : Staat.Verlopen;
    }

    private const string Select = """
        SELECT b.id, b.melding_id AS meldingid, b.geldig_tot AS geldigtot, b.tevreden, b.antwoord,
               NOT EXISTS (SELECT 1 FROM melding_beoordeling n WHERE n.melding_id = b.melding_id AND n.id > b.id) AS huidig,
               m.status, b.sleutel_hash AS hash
        FROM melding_beoordeling b JOIN melding m ON m.id = b.melding_id
        """;

    private sealed record Rij(
        long Id,
        long MeldingId,
        DateTime GeldigTot,
        bool? Tevreden,
        string? Antwoord,
        bool Huidig,
        string Status,
        byte[] Hash
    )
    {
        public Episode AlsEpisode() => new(Id, MeldingId, GeldigTot, Tevreden, Antwoord, Huidig, Status);
    }

    /// <summary>The episode a mail link's token belongs to (compared in constant time), or null.</summary>
    public static async Task<Episode?> MetSleutelAsync(
        NpgsqlConnection connection,
        string code,
        string? sleutel,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (string.IsNullOrEmpty(sleutel) || sleutel.Length > 100)
        {
            return null;
        }
        var hash = Sleutels.Hash(sleutel);
        var rij = await connection.QuerySingleOrDefaultAsync<Rij>(
            new CommandDefinition(
                Select + " WHERE b.sleutel_hash = @hash AND m.volgcode = @code",
                new { hash, code },
                cancellationToken: cancellationToken
            )
        );
        return rij is not null && CryptographicOperations.FixedTimeEquals(rij.Hash, hash) ? rij.AlsEpisode() : null;
    }

    /// <summary>The report's latest episode (for the form on the private follow-up page), or null.</summary>
    public static async Task<Episode?> LaatsteAsync(NpgsqlConnection connection, long meldingId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var rij = await connection.QuerySingleOrDefaultAsync<Rij>(
            new CommandDefinition(
                Select + " WHERE b.melding_id = @meldingId ORDER BY b.id DESC LIMIT 1",
                new { meldingId },
                cancellationToken: cancellationToken
            )
        );
        return rij?.AlsEpisode();
    }

    /// <summary>Stores the answer once; false when it was given already (e.g. a second click).</summary>
    public static async Task<bool> GevenAsync(
        NpgsqlConnection connection,
        long id,
        bool tevreden,
        string? toelichting,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(connection);
        return await connection.ExecuteAsync(
                new CommandDefinition(
                    """
                    UPDATE melding_beoordeling
                    SET tevreden = @tevreden, toelichting = @toelichting, gegeven_op = now(),
                        verzoek_status = CASE WHEN @tevreden THEN NULL ELSE 'open' END
                    WHERE id = @id AND tevreden IS NULL AND geldig_tot > now()
                    """,
                    new
                    {
                        id,
                        tevreden,
                        toelichting,
                    },
                    cancellationToken: cancellationToken
                )
            ) == 1;
    }
}

/// <summary>The satisfaction form's model, on the melder's private follow-up page and on
/// /melding/{code}/beoordelen. <paramref name="Sleutel"/> is the mail's token, <paramref name="MelderSleutel"/>
/// the private follow-up link's; one of them must be there, the public code alone never answers.</summary>
public sealed record BeoordelenFormulier(
    string Volgcode,
    string? Sleutel,
    string? MelderSleutel,
    string? Keuze,
    string? Toelichting,
    IReadOnlyDictionary<string, string> Fouten
);
