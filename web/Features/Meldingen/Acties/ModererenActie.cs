using Dapper;
using Microsoft.Extensions.Localization;
using Npgsql;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Meldingen.Acties;

/// <summary>Moderation: hide or show the text publicly, redact a passage of the public text
/// (replaced by "[verwijderd]"; the original stays for staff) or undo the redactions, hide or show
/// a photo. A reason is required and goes, with before and after, to the audit trail only.</summary>
public sealed class ModererenActie(NpgsqlDataSource dataSource, IStringLocalizer<Wijkmeldingen.Web.BeheerTekst> b)
{
    /// <summary>What the form gives.</summary>
    public sealed record Invoer(long Id, string? Soort, string? Passage, long? FotoId, string? Reden);

    /// <summary>The moderation actions on /beheer/meldingen/{id}.</summary>
    public static readonly string[] Moderaties =
    [
        "tekst-verbergen",
        "tekst-tonen",
        "tekst-redigeren",
        "tekst-herstellen",
        "foto-verbergen",
        "foto-tonen",
    ];

    public const string Verwijderd = "[verwijderd]";

    public async Task UitvoerenAsync(Invoer invoer, Actor door, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invoer);
        var (id, soort, passage, fotoId, reden) = invoer;
        ArgumentNullException.ThrowIfNull(door);
        reden = reden?.Trim();
        if (!Moderaties.Contains(soort))
        {
            throw new GeweigerdException(b["moderatie.fout.soort"]);
        }
        if (string.IsNullOrEmpty(reden) || reden.Length > 1000)
        {
            throw new GeweigerdException(b["moderatie.fout.reden"]);
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await Actie.VergrendelAsync(connection, transaction, id, cancellationToken);
        var tekst = await connection.QuerySingleAsync<(string Omschrijving, string? Publiek, bool Verborgen)>(
            new CommandDefinition(
                "SELECT omschrijving, omschrijving_publiek AS publiek, omschrijving_verborgen AS verborgen FROM melding WHERE id = @id",
                new { id },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        object voor,
            na;
        switch (soort)
        {
            case "tekst-verbergen" or "tekst-tonen":
                var verbergen = soort == "tekst-verbergen";
                if (tekst.Verborgen == verbergen)
                {
                    throw new GeweigerdException(b["actie.fout.niets"]);
                }
                await connection.ExecuteAsync(
                    new CommandDefinition(
                        "UPDATE melding SET omschrijving_verborgen = @verbergen WHERE id = @id",
                        new { id, verbergen },
                        transaction,
                        cancellationToken: cancellationToken
                    )
                );
                (voor, na) = (new { verborgen = tekst.Verborgen }, new { verborgen = verbergen, reden });
                break;
            case "tekst-redigeren":
                var huidig = tekst.Publiek ?? tekst.Omschrijving;
                if (string.IsNullOrEmpty(passage) || passage == Verwijderd || !huidig.Contains(passage, StringComparison.Ordinal))
                {
                    throw new GeweigerdException(b["moderatie.fout.passage"]);
                }
                var nieuw = huidig.Replace(passage, Verwijderd, StringComparison.Ordinal);
                await connection.ExecuteAsync(
                    new CommandDefinition(
                        "UPDATE melding SET omschrijving_publiek = @nieuw WHERE id = @id",
                        new { id, nieuw },
                        transaction,
                        cancellationToken: cancellationToken
                    )
                );
                // The removed passage itself is not copied into the audit: it may be the personal data.
                (voor, na) = (
                    new { redactie = tekst.Publiek is not null },
                    new
                    {
                        redactie = true,
                        tekens = passage.Length,
                        reden,
                    }
                );
                break;
            case "tekst-herstellen":
                if (tekst.Publiek is null)
                {
                    throw new GeweigerdException(b["actie.fout.niets"]);
                }
                await connection.ExecuteAsync(
                    new CommandDefinition(
                        "UPDATE melding SET omschrijving_publiek = NULL WHERE id = @id",
                        new { id },
                        transaction,
                        cancellationToken: cancellationToken
                    )
                );
                (voor, na) = (new { redactie = true }, new { redactie = false, reden });
                break;
            default:
                var verbergFoto = soort == "foto-verbergen";
                var gewijzigd = await connection.ExecuteAsync(
                    new CommandDefinition(
                        """
                        UPDATE melding_foto SET verborgen = @verbergFoto
                            WHERE id = @fotoId AND melding_id = @id AND verborgen <> @verbergFoto
                        """,
                        new
                        {
                            id,
                            fotoId,
                            verbergFoto,
                        },
                        transaction,
                        cancellationToken: cancellationToken
                    )
                );
                if (gewijzigd == 0)
                {
                    throw new GeweigerdException(b["moderatie.fout.foto"]);
                }
                (voor, na) = (
                    new { foto = fotoId, verborgen = !verbergFoto },
                    new
                    {
                        foto = fotoId,
                        verborgen = verbergFoto,
                        reden,
                    }
                );
                break;
        }
        await Audit.SchrijfAsync(connection, transaction, door, $"moderatie-{soort}", id, voor, na, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
