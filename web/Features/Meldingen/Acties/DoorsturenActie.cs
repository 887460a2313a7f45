using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Npgsql;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Mail;

namespace Wijkmeldingen.Web.Features.Meldingen.Acties;

/// <summary>Forwards a report to an outside party (a housing corporation, a contractor, a neighbouring
/// municipality): a mail through the outbox with the report and a reply link. The link's token is
/// random and stored only hashed; the party answers at /doorgestuurd/{token} without an account
/// (<see cref="Extern.AntwoordModel"/>). The melder's contact details never go out.</summary>
public sealed class DoorsturenActie(
    NpgsqlDataSource dataSource,
    IOptions<MailOptions> mail,
    IStringLocalizer<Wijkmeldingen.Web.BeheerTekst> b
)
{
    /// <summary>How long a reply link works.</summary>
    public const int GeldigDagen = 30;

    public sealed record Invoer(long Id, string? Partij, string? Email, string? Bericht);

    public async Task UitvoerenAsync(Invoer invoer, Actor door, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invoer);
        ArgumentNullException.ThrowIfNull(door);
        var partij = invoer.Partij?.Trim() ?? "";
        var email = invoer.Email?.Trim() ?? "";
        var bericht = string.IsNullOrWhiteSpace(invoer.Bericht) ? null : invoer.Bericht.Trim();
        if (partij.Length is 0 or > 200)
        {
            throw new GeweigerdException(b["doorsturen.fout.partij"]);
        }
        if (!EmailAdres.IsGeldig(email))
        {
            throw new GeweigerdException(b["doorsturen.fout.email"]);
        }
        if (bericht?.Length > 5000)
        {
            throw new GeweigerdException(b["doorsturen.fout.bericht"]);
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var rij = await Actie.VergrendelAsync(connection, transaction, invoer.Id, cancellationToken);
        var melding = await connection.QuerySingleAsync<(string Omschrijving, string Buurt, DateTime AangemaaktOp)>(
            new CommandDefinition(
                """
                SELECT m.omschrijving, b.naam, m.aangemaakt_op FROM melding m JOIN buurt b ON b.code = m.buurt_code WHERE m.id = @Id
                """,
                new { rij.Id },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var geldigTot = DateTime.UtcNow.AddDays(GeldigDagen);
        var doorsturingId = await connection.ExecuteScalarAsync<long>(
            new CommandDefinition(
                """
                INSERT INTO melding_doorsturing (melding_id, partij, email, bericht, token_hash, medewerker_id, door, geldig_tot)
                VALUES (@Id, @partij, @email, @bericht, @hash, @medewerker, @naam, @geldigTot)
                RETURNING id
                """,
                new
                {
                    rij.Id,
                    partij,
                    email,
                    bericht,
                    hash = TokenHash(token),
                    medewerker = door.Id,
                    naam = door.Naam,
                    geldigTot,
                },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        var link = mail.Value.Link($"doorgestuurd/{token}");
        await Outbox.EnqueueAsync(
            connection,
            transaction,
            new OutboxBericht(
                Sleutel: $"melding-doorgestuurd:{rij.Id}:{doorsturingId}",
                Aan: email,
                Onderwerp: b["mail.doorsturen.onderwerp", rij.Volgcode, rij.Rubriek],
                Tekst: b[
                    "mail.doorsturen.tekst",
                    partij,
                    door.Naam,
                    rij.Volgcode,
                    rij.Rubriek,
                    melding.Buurt,
                    melding.Omschrijving,
                    bericht ?? "–",
                    link,
                    GeldigDagen
                ],
                MeldingId: rij.Id
            ),
            cancellationToken
        );
        await Audit.SchrijfAsync(
            connection,
            transaction,
            door,
            "doorgestuurd",
            rij.Id,
            null,
            new
            {
                doorsturing = doorsturingId,
                partij,
                email,
                bericht,
            },
            cancellationToken
        );
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>SHA-256 of a reply link's token: what the table keeps.</summary>
    public static byte[] TokenHash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token ?? ""));
}
