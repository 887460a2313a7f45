using Dapper;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Npgsql;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Mail;

namespace Wijkmeldingen.Web.Features.Meldingen.Acties;

/// <summary>Staff ask the melder a question from the report page. The melder gets a mail (outbox,
/// same transaction) with a link holding a fresh token (only its hash is stored) that opens
/// /melding/{code}/vraag/{token}: answered once, without signing in, before <c>VraagGeldigDagen</c>
/// days are over. Needs the melder's e-mail address; audited.</summary>
public sealed class VraagActie(
    NpgsqlDataSource dataSource,
    IOptions<MailOptions> mail,
    IStringLocalizer<Wijkmeldingen.Web.BeheerTekst> b,
    IConfiguration configuration
)
{
    /// <summary>What the form gives.</summary>
    public sealed record Invoer(long Id, string? Vraag);

    /// <summary>How long the link in the mail works (setting <c>Bewoners:VraagGeldigDagen</c>, default 14).</summary>
    private int Dagen => Math.Clamp(configuration.GetValue("Bewoners:VraagGeldigDagen", 14), 1, 365);

    public async Task UitvoerenAsync(Invoer invoer, Actor door, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invoer);
        ArgumentNullException.ThrowIfNull(door);
        var vraag = invoer.Vraag?.Trim();
        if (string.IsNullOrEmpty(vraag) || vraag.Length > 2000)
        {
            throw new GeweigerdException(b["vraag.fout.leeg"]);
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var rij = await Actie.VergrendelAsync(connection, transaction, invoer.Id, cancellationToken);
        var (email, taal) = await connection.QuerySingleOrDefaultAsync<(string? Email, string? Taal)>(
            new CommandDefinition(
                """
                SELECT c.email, m.taal FROM melder_contact c JOIN melding m ON m.id = c.melding_id
                WHERE c.melding_id = @Id AND c.email IS NOT NULL
                """,
                new { rij.Id },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        if (email is null)
        {
            throw new GeweigerdException(b["vraag.fout.geenemail"]);
        }
        var sleutel = Sleutels.Nieuw();
        var dagen = Dagen;
        var vraagId = await connection.QuerySingleAsync<long>(
            new CommandDefinition(
                """
                INSERT INTO melding_vraag (melding_id, vraag, gesteld_door, sleutel_hash, verloopt_op)
                VALUES (@Id, @vraag, @naam, @hash, now() + make_interval(days => @dagen))
                RETURNING id
                """,
                new
                {
                    rij.Id,
                    vraag,
                    naam = door.Naam,
                    hash = Sleutels.Hash(sleutel),
                    dagen,
                },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        // In the language the melder filed in.
        using var melderTaal = Taal.In(taal);
        await Outbox.EnqueueAsync(
            connection,
            transaction,
            new OutboxBericht(
                Sleutel: $"melding-vraag:{vraagId}",
                Aan: email,
                Onderwerp: b["mail.vraag.onderwerp", rij.Volgcode],
                Tekst: b["mail.vraag.tekst", rij.Volgcode, vraag, mail.Value.Link($"melding/{rij.Volgcode}/vraag/{sleutel}"), dagen],
                MeldingId: rij.Id
            ),
            cancellationToken
        );
        await Audit.SchrijfAsync(
            connection,
            transaction,
            door,
            "vraag-gesteld",
            rij.Id,
            null,
            new { vraag = vraagId, dagen },
            cancellationToken
        );
        await transaction.CommitAsync(cancellationToken);
    }
}
