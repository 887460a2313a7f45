using Dapper;
using Microsoft.Extensions.Localization;
using Npgsql;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Meldingen.Acties;

/// <summary>A refusal to show next to the form, in Dutch.</summary>
public sealed class GeweigerdException(string bericht) : Exception(bericht);

/// <summary>What the staff actions on a report share. Each action (one class per command in this
/// folder) is one transaction that locks the report row, checks it, changes it and writes its audit
/// row (who, when, what, before/after); mail to the melder and followers is queued in the same
/// transaction through the outbox.</summary>
internal static class Actie
{
    internal sealed record Rij(
        long Id,
        string Volgcode,
        string Status,
        short RubriekId,
        string Rubriek,
        short? TeamId,
        Guid? ToegewezenAan,
        string? Partner,
        long? HoofdmeldingId,
        string BuurtCode,
        string WijkCode,
        double Lat,
        double Lon
    );

    internal static async Task<Rij> VergrendelAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        long id,
        CancellationToken cancellationToken
    ) =>
        await connection.QuerySingleOrDefaultAsync<Rij>(
            new CommandDefinition(
                """
                SELECT m.id, m.volgcode, m.status, m.rubriek_id AS rubriekid, r.naam AS rubriek, m.team_id AS teamid,
                       m.toegewezen_aan AS toegewezenaan, m.partner, m.hoofdmelding_id AS hoofdmeldingid,
                       m.buurt_code AS buurtcode, m.wijk_code AS wijkcode,
                       ST_Y(ST_Transform(m.locatie, 4326)) AS lat, ST_X(ST_Transform(m.locatie, 4326)) AS lon
                FROM melding m JOIN rubriek r ON r.id = m.rubriek_id
                WHERE m.id = @id
                FOR UPDATE OF m
                """,
                new { id },
                transaction,
                cancellationToken: cancellationToken
            )
        ) ?? throw new KeyNotFoundException($"melding {id}");

    /// <summary>Closes a melder's open "niet tevreden" request (reopen accepted or answered).</summary>
    internal static async Task HeropenVerzoekAfsluitenAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        long id,
        long beoordelingId,
        string uitkomst,
        string? antwoord,
        Actor door,
        IStringLocalizer<Wijkmeldingen.Web.BeheerTekst> b,
        CancellationToken cancellationToken
    )
    {
        var gewijzigd = await connection.ExecuteAsync(
            new CommandDefinition(
                """
                UPDATE melding_beoordeling SET verzoek_status = @uitkomst, antwoord = @antwoord,
                    behandeld_door = @naam, behandeld_op = now()
                WHERE id = @beoordelingId AND melding_id = @id AND verzoek_status = 'open'
                """,
                new
                {
                    id,
                    beoordelingId,
                    uitkomst,
                    antwoord,
                    naam = door.Naam,
                },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        if (gewijzigd == 0)
        {
            throw new GeweigerdException(b["heropen.fout.verzoek"]);
        }
        await Audit.SchrijfAsync(
            connection,
            transaction,
            door,
            $"heropenverzoek-{uitkomst}",
            id,
            new { beoordeling = beoordelingId, verzoek = "open" },
            new
            {
                beoordeling = beoordelingId,
                verzoek = uitkomst,
                antwoord,
            },
            cancellationToken
        );
    }
}
