using Microsoft.Extensions.Localization;
using Npgsql;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Meldingen.Acties;

/// <summary>Accepts a melder's "niet tevreden" answer: the report is reopened through the usual
/// status flow (history, mail, audit) and the request is closed.</summary>
public sealed class HeropenAccepterenActie(
    NpgsqlDataSource dataSource,
    StatusActie status,
    IStringLocalizer<Wijkmeldingen.Web.BeheerTekst> b
)
{
    /// <summary>What the form gives.</summary>
    public sealed record Invoer(long Id, long BeoordelingId, string? Bericht);

    public async Task UitvoerenAsync(Invoer invoer, Actor door, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invoer);
        var (id, beoordelingId, bericht) = invoer;
        ArgumentNullException.ThrowIfNull(door);
        bericht = string.IsNullOrWhiteSpace(bericht) ? null : bericht.Trim();
        if (bericht is { Length: > 2000 })
        {
            throw new GeweigerdException(b["actie.fout.berichtlang"]);
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var rij = await Actie.VergrendelAsync(connection, transaction, id, cancellationToken);
        await Actie.HeropenVerzoekAfsluitenAsync(
            connection,
            transaction,
            id,
            beoordelingId,
            "geaccepteerd",
            null,
            door,
            b,
            cancellationToken
        );
        if (!Levenscyclus.Mag(rij.Status, "heropend") || rij.Status == "heropend")
        {
            throw new GeweigerdException(b["actie.fout.overgang"]);
        }
        await status.WijzigenAsync(connection, transaction, rij, "heropend", bericht, null, door, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
