using Dapper;
using Microsoft.Extensions.Localization;
using Npgsql;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Meldingen.Acties;

/// <summary>Marks the report as a duplicate of the main report with tracking code <c>HoofdCode</c>:
/// the duplicate's melder and followers follow the main report from now on (each gets the usual
/// follow mail with an unsubscribe link), and the duplicate is closed with a message saying so.</summary>
public sealed class DubbelActie(NpgsqlDataSource dataSource, MeldingMails meldingMails, IStringLocalizer<Wijkmeldingen.Web.BeheerTekst> b)
{
    /// <summary>What the form gives.</summary>
    public sealed record Invoer(long Id, string? HoofdCode);

    public async Task UitvoerenAsync(Invoer invoer, Actor door, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invoer);
        var (id, hoofdCode) = invoer;
        ArgumentNullException.ThrowIfNull(door);
        var code = Volgcode.Normaliseer(hoofdCode);
        if (code is null)
        {
            throw new GeweigerdException(b["actie.fout.hoofd"]);
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var rij = await Actie.VergrendelAsync(connection, transaction, id, cancellationToken);
        // Point at the root: a main report that is itself a duplicate hands over to its own main report.
        var hoofd = await connection.QuerySingleOrDefaultAsync<(long Id, string Volgcode, string Rubriek)?>(
            new CommandDefinition(
                """
                WITH RECURSIVE keten AS (
                    SELECT id, hoofdmelding_id, 1 AS diepte FROM melding WHERE volgcode = @code
                    UNION ALL
                    SELECT m.id, m.hoofdmelding_id, k.diepte + 1 FROM melding m JOIN keten k ON m.id = k.hoofdmelding_id WHERE k.diepte < 20
                )
                SELECT m.id, m.volgcode, r.naam FROM keten k JOIN melding m ON m.id = k.id JOIN rubriek r ON r.id = m.rubriek_id
                WHERE k.hoofdmelding_id IS NULL
                """,
                new { code },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        if (hoofd is not { } h || h.Id == id)
        {
            throw new GeweigerdException(b["actie.fout.hoofd"]);
        }
        if (rij.HoofdmeldingId is not null)
        {
            throw new GeweigerdException(b["actie.fout.aldubbel"]);
        }
        var volgers = await connection.QueryAsync<string>(
            new CommandDefinition(
                """
                SELECT email FROM melder_contact WHERE melding_id = @id AND email IS NOT NULL
                UNION
                SELECT email FROM melding_volger WHERE melding_id = @id
                """,
                new { id },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        var overgezet = new List<string>();
        foreach (var email in volgers)
        {
            var sleutel = Sleutels.Nieuw();
            var volgerId = await connection.QuerySingleOrDefaultAsync<long?>(
                new CommandDefinition(
                    """
                    INSERT INTO melding_volger (melding_id, email, sleutel_hash) VALUES (@hoofd, @email, @hash)
                    ON CONFLICT (gemeente_code, melding_id, email) DO NOTHING
                    RETURNING id
                    """,
                    new
                    {
                        hoofd = h.Id,
                        email,
                        hash = Sleutels.Hash(sleutel),
                    },
                    transaction,
                    cancellationToken: cancellationToken
                )
            );
            if (volgerId is { } nieuw)
            {
                await meldingMails.VolgenAsync(
                    connection,
                    transaction,
                    h.Id,
                    nieuw,
                    h.Volgcode,
                    h.Rubriek,
                    email,
                    sleutel,
                    cancellationToken
                );
                overgezet.Add(email);
            }
        }
        var bericht = b["actie.dubbel.bericht", h.Volgcode].Value;
        var naar = Levenscyclus.Mag(rij.Status, "afgehandeld") ? "afgehandeld" : rij.Status;
        await connection.ExecuteAsync(
            new CommandDefinition(
                "UPDATE melding SET hoofdmelding_id = @hoofd, status = @naar, gewijzigd_op = now() WHERE id = @id",
                new
                {
                    id,
                    hoofd = h.Id,
                    naar,
                },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        await connection.ExecuteAsync(
            new CommandDefinition(
                """
                INSERT INTO melding_historie (melding_id, van_status, naar_status, door, bericht)
                    VALUES (@id, @van, @naar, @door, @bericht)
                """,
                new
                {
                    id,
                    van = rij.Status,
                    naar,
                    door = door.Naam,
                    bericht,
                },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        await Audit.SchrijfAsync(
            connection,
            transaction,
            door,
            "dubbel",
            id,
            new { status = rij.Status, hoofdmelding = (long?)null },
            new
            {
                status = naar,
                hoofdmelding = h.Id,
                hoofdVolgcode = h.Volgcode,
                volgersOvergezet = overgezet.Count,
            },
            cancellationToken
        );
        await transaction.CommitAsync(cancellationToken);
    }
}
