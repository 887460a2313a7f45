using Dapper;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Npgsql;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Mail;

namespace Wijkmeldingen.Web.Features.Meldingen.Acties;

/// <summary>Moves the report along its life cycle (or keeps the status) with an optional message
/// for the melder: stored in melding_historie (the tracking page shows it) and e-mailed to the
/// melder and the followers.</summary>
public sealed class StatusActie(
    NpgsqlDataSource dataSource,
    IOptions<MailOptions> mail,
    IStringLocalizer<Wijkmeldingen.Web.BeheerTekst> b,
    IOptions<TevredenheidOptions> opties
)
{
    /// <summary>What the form gives: the status the page showed (<c>Verwacht</c>, so a
    /// stale page is refused), the new status, an optional message and the partner for 'doorgezet'.</summary>
    public sealed record Invoer(long Id, string Verwacht, string Naar, string? Bericht, string? Partner);

    public async Task UitvoerenAsync(Invoer invoer, Actor door, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invoer);
        var (id, verwacht, naar, bericht, partner) = invoer;
        ArgumentNullException.ThrowIfNull(door);
        bericht = string.IsNullOrWhiteSpace(bericht) ? null : bericht.Trim();
        if (bericht is { Length: > 2000 })
        {
            throw new GeweigerdException(b["actie.fout.berichtlang"]);
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var rij = await Actie.VergrendelAsync(connection, transaction, id, cancellationToken);
        if (rij.Status != verwacht)
        {
            throw new GeweigerdException(b["actie.fout.verouderd"]);
        }
        if (!Levenscyclus.Mag(rij.Status, naar))
        {
            throw new GeweigerdException(b["actie.fout.overgang"]);
        }
        if (naar == rij.Status && bericht is null)
        {
            throw new GeweigerdException(b["actie.fout.niets"]);
        }
        if (naar == "doorgezet" && !Levenscyclus.Partners.Contains(partner))
        {
            throw new GeweigerdException(b["actie.fout.partner"]);
        }
        await WijzigenAsync(connection, transaction, rij, naar, bericht, partner, door, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The status change itself, in the caller's transaction on a locked, checked row. A move
    /// to 'afgehandeld' opens a satisfaction episode: the melder's mail carries the one-click links.</summary>
    internal async Task WijzigenAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        Actie.Rij rij,
        string naar,
        string? bericht,
        string? partner,
        Actor door,
        CancellationToken cancellationToken,
        string? reden = null
    )
    {
        var id = rij.Id;
        var nieuwePartner = naar == "doorgezet" ? partner : rij.Partner;
        await connection.ExecuteAsync(
            new CommandDefinition(
                "UPDATE melding SET status = @naar, partner = @nieuwePartner, gewijzigd_op = now() WHERE id = @id",
                new
                {
                    id,
                    naar,
                    nieuwePartner,
                },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        var historieId = await connection.QuerySingleAsync<long>(
            new CommandDefinition(
                """
                INSERT INTO melding_historie (melding_id, van_status, naar_status, door, bericht)
                VALUES (@id, @van, @naar, @door, @bericht)
                RETURNING id
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
        Func<string>? tevredenheid = null;
        if (naar == "afgehandeld" && rij.Status != "afgehandeld")
        {
            var sleutel = Sleutels.Nieuw();
            var dagen = Math.Max(1, opties.Value.TevredenheidDagen);
            await connection.ExecuteAsync(
                new CommandDefinition(
                    """
                    INSERT INTO melding_beoordeling (melding_id, historie_id, sleutel_hash, geldig_tot)
                    VALUES (@id, @historieId, @hash, now() + make_interval(days => @dagen))
                    """,
                    new
                    {
                        id,
                        historieId,
                        hash = Sleutels.Hash(sleutel),
                        dagen,
                    },
                    transaction,
                    cancellationToken: cancellationToken
                )
            );
            string Link(string keuze) => mail.Value.Link($"melding/{rij.Volgcode}/beoordelen?t={sleutel}&keuze={keuze}");
            // Written later, in the melder's language.
            tevredenheid = () => b["mail.tevredenheid", Link("tevreden"), Link("niet-tevreden"), dagen];
        }
        if (bericht is not null || tevredenheid is not null)
        {
            await BerichtMailsAsync(connection, transaction, rij, historieId, naar, bericht, tevredenheid, cancellationToken);
        }
        await Audit.SchrijfAsync(
            connection,
            transaction,
            door,
            "status",
            id,
            new { status = rij.Status, partner = rij.Partner },
            reden is null
                ? new
                {
                    status = naar,
                    partner = nieuwePartner,
                    bericht,
                }
                : new
                {
                    status = naar,
                    partner = nieuwePartner,
                    bericht,
                    reden,
                    bulk = true,
                },
            cancellationToken
        );
    }

    /// <summary>Mail about a status change: the message to the melder and the followers; when the
    /// report was just handled, the melder's mail also holds the satisfaction links
    /// (<paramref name="tevredenheid"/>) and is sent even without a message.</summary>
    private async Task BerichtMailsAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        Actie.Rij rij,
        long historieId,
        string status,
        string? bericht,
        Func<string>? tevredenheid,
        CancellationToken cancellationToken
    )
    {
        // The melder gets the mail in the language of the filing (melding.taal); followers in Dutch.
        var namen = await connection.QuerySingleAsync<(string Taal, string Status, string StatusMelder, string RubriekMelder)>(
            new CommandDefinition(
                """
                SELECT m.taal, s.naam AS status, in_taal(s.naam, s.naam_en, m.taal) AS statusmelder,
                       in_taal(r.naam, r.naam_en, m.taal) AS rubriekmelder
                FROM melding m JOIN rubriek r ON r.id = m.rubriek_id JOIN meldingstatus s ON s.code = @status
                WHERE m.id = @Id
                """,
                new { status, rij.Id },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        var ontvangers = await connection.QueryAsync<(string Sleutel, string Email)>(
            new CommandDefinition(
                """
                SELECT 'melder' AS sleutel, email FROM melder_contact WHERE melding_id = @Id AND email IS NOT NULL
                UNION ALL
                SELECT 'volger:' || id, email FROM melding_volger WHERE melding_id = @Id
                """,
                new { rij.Id },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        var link = mail.Value.Link($"melding/{rij.Volgcode}");
        foreach (var (sleutel, email) in ontvangers.OrderBy(o => o.Sleutel == "melder" ? 0 : 1).DistinctBy(o => o.Email.ToUpperInvariant()))
        {
            var melder = sleutel == "melder";
            using var taal = Taal.In(melder ? namen.Taal : Taal.Nederlands);
            var rubriek = melder ? namen.RubriekMelder : rij.Rubriek;
            string tekst;
            if (melder && tevredenheid is not null)
            {
                tekst = b["mail.afgehandeld.tekst", rubriek, rij.Volgcode, bericht is null ? "" : bericht + "\n\n", tevredenheid(), link];
            }
            else if (bericht is not null)
            {
                tekst = b["mail.bericht.tekst", rubriek, rij.Volgcode, melder ? namen.StatusMelder : namen.Status, bericht, link];
            }
            else
            {
                continue;
            }
            await Outbox.EnqueueAsync(
                connection,
                transaction,
                new OutboxBericht(
                    Sleutel: $"melding-bericht:{historieId}:{sleutel}",
                    Aan: email,
                    Onderwerp: b["mail.bericht.onderwerp", rij.Volgcode],
                    Tekst: tekst,
                    MeldingId: rij.Id
                ),
                cancellationToken
            );
        }
    }
}
