using Dapper;
using Microsoft.Extensions.Localization;
using Npgsql;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Meldingen.Acties;

/// <summary>An internal note: staff only, never on the tracking page or in mail.</summary>
public sealed class NotitieActie(NpgsqlDataSource dataSource, IStringLocalizer<Wijkmeldingen.Web.BeheerTekst> b)
{
    /// <summary>What the form gives.</summary>
    public sealed record Invoer(long Id, string? Tekst);

    public async Task UitvoerenAsync(Invoer invoer, Actor door, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invoer);
        var (id, tekst) = invoer;
        ArgumentNullException.ThrowIfNull(door);
        if (string.IsNullOrWhiteSpace(tekst) || tekst.Length > 5000)
        {
            throw new GeweigerdException(b["actie.fout.notitie"]);
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await Actie.VergrendelAsync(connection, transaction, id, cancellationToken);
        await connection.ExecuteAsync(
            new CommandDefinition(
                "INSERT INTO melding_notitie (melding_id, medewerker_id, door, tekst) VALUES (@id, @medewerker, @naam, @tekst)",
                new
                {
                    id,
                    medewerker = door.Id,
                    naam = door.Naam,
                    tekst = tekst.Trim(),
                },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        await Audit.SchrijfAsync(connection, transaction, door, "notitie", id, null, new { tekst = tekst.Trim() }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
