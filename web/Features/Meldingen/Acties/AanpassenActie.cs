using Dapper;
using Microsoft.Extensions.Localization;
using Npgsql;
using Wijkmeldingen.Web.Data;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Meldingen.Acties;

/// <summary>Changes the category and/or the place. The database recomputes buurt and wijk and
/// refuses a point outside the municipality (WK001), which becomes a Dutch message.</summary>
public sealed class AanpassenActie(NpgsqlDataSource dataSource, IStringLocalizer<Wijkmeldingen.Web.BeheerTekst> b)
{
    /// <summary>What the form gives.</summary>
    public sealed record Invoer(long Id, string? RubriekCode, double? Lat, double? Lon);

    public async Task UitvoerenAsync(Invoer invoer, Actor door, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invoer);
        var (id, rubriekCode, lat, lon) = invoer;
        ArgumentNullException.ThrowIfNull(door);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var rij = await Actie.VergrendelAsync(connection, transaction, id, cancellationToken);
        var rubriekId = await connection.QuerySingleOrDefaultAsync<short?>(
            new CommandDefinition(
                "SELECT id FROM rubriek WHERE code = @rubriekCode",
                new { rubriekCode },
                transaction,
                cancellationToken: cancellationToken
            )
        ) ?? throw new GeweigerdException(b["actie.fout.rubriek"]);
        var plekGewijzigd =
            lat is not null && lon is not null && (Math.Abs(lat.Value - rij.Lat) > 1e-7 || Math.Abs(lon.Value - rij.Lon) > 1e-7);
        if (rubriekId == rij.RubriekId && !plekGewijzigd)
        {
            throw new GeweigerdException(b["actie.fout.niets"]);
        }
        (string Buurt, string Wijk) nieuw;
        try
        {
            nieuw = await connection.QuerySingleAsync<(string, string)>(
                new CommandDefinition(
                    plekGewijzigd
                        ? """
                        UPDATE melding SET rubriek_id = @rubriekId, gewijzigd_op = now(),
                               locatie = ST_Transform(ST_SetSRID(ST_MakePoint(@lon, @lat), 4326), 28992)
                        WHERE id = @id RETURNING buurt_code, wijk_code
                        """
                        : "UPDATE melding SET rubriek_id = @rubriekId, gewijzigd_op = now() WHERE id = @id RETURNING buurt_code, wijk_code",
                    new
                    {
                        id,
                        rubriekId,
                        lat,
                        lon,
                    },
                    transaction,
                    cancellationToken: cancellationToken
                )
            );
        }
        catch (PostgresException e) when (e.IsBuitenGemeente())
        {
            throw new GeweigerdException(b["actie.fout.buiten"]);
        }
        await Audit.SchrijfAsync(
            connection,
            transaction,
            door,
            "aanpassen",
            id,
            new
            {
                rubriek = rij.RubriekId,
                lat = rij.Lat,
                lon = rij.Lon,
                buurt = rij.BuurtCode,
                wijk = rij.WijkCode,
            },
            new
            {
                rubriek = rubriekId,
                lat = plekGewijzigd ? lat : rij.Lat,
                lon = plekGewijzigd ? lon : rij.Lon,
                buurt = nieuw.Buurt,
                wijk = nieuw.Wijk,
            },
            cancellationToken
        );
        await transaction.CommitAsync(cancellationToken);
    }
}
