using System.ComponentModel.DataAnnotations;
using System.Threading.RateLimiting;
using Dapper;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Npgsql;
using Wijkmeldingen.Web.Data;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Mail;

namespace Wijkmeldingen.Web.Features.Melding;

/// <summary>Settings of "Mijn meldingen" (section <c>MijnMeldingen</c>).</summary>
public sealed class MijnMeldingenOptions
{
    public const string Section = "MijnMeldingen";

    /// <summary>How long a link in the mail works, in hours.</summary>
    [Range(1, 168)]
    public int GeldigUren { get; set; } = 24;

    /// <summary>How many links one address gets per hour at most; requests beyond it send nothing.</summary>
    [Range(1, 100)]
    public int PerAdresPerUur { get; set; } = 3;

    /// <summary>How many requests one client address may make per window (answered with 429 beyond).</summary>
    [Range(1, 10_000)]
    public int RateLimietAantal { get; set; } = 5;

    [Range(1, 1440)]
    public int RateLimietVensterMinuten { get; set; } = 10;
}

/// <summary>
/// "Mijn meldingen" (issue 18): a melder types the e-mail address they filed with and, if reports of
/// the last 12 months carry that contact address, gets a link by mail (outbox) to a list of those
/// reports with their status. No password and no account. The page always answers the same, whether
/// reports exist or not, so it tells nobody which addresses filed reports. Only the hashes of the
/// link's token and of the address are stored (<c>mijn_meldingen_link</c>, V74); addresses are compared
/// with the SQL function <c>email_hash</c> (trimmed, lower case), which is indexed on melder_contact.
/// A link works for <see cref="MijnMeldingenOptions.GeldigUren"/> and only while it is the newest of its
/// address. Rate limited per client (429) and per address (silently: no more mails that hour).
/// </summary>
public sealed class MijnMeldingen(IOptions<MijnMeldingenOptions> options, IOptions<MailOptions> mail, IStringLocalizer<Tekst> t)
    : IDisposable
{
    public const string Gegevens = "mijn-meldingen";

    /// <summary>The reports the list shows: those filed in this many months before now.</summary>
    public const int Maanden = 12;

    private readonly PartitionedRateLimiter<string> limiter = PartitionedRateLimiter.Create<string, string>(client =>
        RateLimitPartition.GetFixedWindowLimiter(client, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.RateLimietAantal,
            Window = TimeSpan.FromMinutes(options.Value.RateLimietVensterMinuten),
            QueueLimit = 0,
        })
    );

    public int GeldigUren => options.Value.GeldigUren;

    public bool Toegestaan(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var lease = limiter.AttemptAcquire(context.Connection.RemoteIpAddress?.ToString() ?? "onbekend");
        return lease.IsAcquired;
    }

    /// <summary>Sends a link when the address has reports of the last 12 months and its hourly limit is
    /// not reached; otherwise does nothing. The caller answers the same in every case.</summary>
    /// <returns>Whether a mail was queued (for tests and logs only, never for the page).</returns>
    public async Task<bool> AanvragenAsync(NpgsqlDataSource dataSource, string email, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentException.ThrowIfNullOrWhiteSpace(email);
        var opties = options.Value;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // One request of an address at a time, so two at once cannot both slip under the hourly limit.
        await connection.ExecuteAsync(
            new CommandDefinition(
                "SELECT pg_advisory_xact_lock(hashtextextended(encode(email_hash(@email), 'hex'), 18))",
                new { email },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        var stand = await connection.QuerySingleAsync<(bool HeeftMeldingen, int Recent)>(
            new CommandDefinition(
                """
                SELECT EXISTS (
                           SELECT 1 FROM melder_contact c JOIN melding m ON m.id = c.melding_id
                           WHERE c.email IS NOT NULL AND email_hash(c.email) = email_hash(@email)
                             AND m.aangemaakt_op > now() - make_interval(months => @maanden)
                       ) AS heeftmeldingen,
                       (SELECT count(*)::int FROM mijn_meldingen_link
                        WHERE email_hash = email_hash(@email) AND aangevraagd_op > now() - interval '1 hour') AS recent
                """,
                new { email, maanden = Maanden },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        if (!stand.HeeftMeldingen || stand.Recent >= opties.PerAdresPerUur)
        {
            return false;
        }
        var sleutel = Sleutels.Nieuw();
        var id = await connection.QuerySingleAsync<long>(
            new CommandDefinition(
                """
                INSERT INTO mijn_meldingen_link (email_hash, sleutel_hash, verloopt_op)
                VALUES (email_hash(@email), @hash, now() + make_interval(hours => @uren))
                RETURNING id
                """,
                new
                {
                    email,
                    hash = Sleutels.Hash(sleutel),
                    uren = opties.GeldigUren,
                },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        await Outbox.EnqueueAsync(
            connection,
            transaction,
            new OutboxBericht(
                Sleutel: $"mijn-meldingen:{id}",
                Aan: email.Trim(),
                Onderwerp: t["mijn.mail.onderwerp"],
                Tekst: t["mijn.mail.tekst", mail.Value.Link($"mijn-meldingen/{sleutel}"), opties.GeldigUren, Maanden]
            ),
            cancellationToken
        );
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public enum Staat
    {
        Geldig,
        Verlopen,
        Onbekend,
    }

    /// <summary>One report in the list.</summary>
    public sealed record Regel(string Volgcode, string Rubriek, DateTime AangemaaktOp, string Status, bool Gesloten);

    /// <summary>The reports of the link's address, newest first; empty unless the link is
    /// <see cref="Staat.Geldig"/> (a replaced link counts as expired).</summary>
    public static async Task<(Staat Staat, IReadOnlyList<Regel> Meldingen)> LijstAsync(
        NpgsqlDataSource dataSource,
        string sleutel,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        if (string.IsNullOrEmpty(sleutel) || sleutel.Length > 100)
        {
            return (Staat.Onbekend, []);
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var link = await connection.QuerySingleOrDefaultAsync<(byte[] EmailHash, bool Geldig)?>(
            new CommandDefinition(
                """
                SELECT l.email_hash,
                       l.verloopt_op > now()
                       AND NOT EXISTS (SELECT 1 FROM mijn_meldingen_link n WHERE n.email_hash = l.email_hash AND n.id > l.id)
                FROM mijn_meldingen_link l WHERE l.sleutel_hash = @hash
                """,
                new { hash = Sleutels.Hash(sleutel) },
                cancellationToken: cancellationToken
            )
        );
        if (link is not { } gevonden)
        {
            return (Staat.Onbekend, []);
        }
        if (!gevonden.Geldig)
        {
            return (Staat.Verlopen, []);
        }
        var meldingen = await connection.QueryAsync<Regel>(
            new CommandDefinition(
                """
                SELECT m.volgcode, in_taal(r.naam, r.naam_en, @taal) AS rubriek, m.aangemaakt_op AS aangemaaktop,
                       in_taal(s.naam, s.naam_en, @taal) AS status, s.gesloten
                FROM melder_contact c
                JOIN melding m ON m.id = c.melding_id
                JOIN rubriek r ON r.id = m.rubriek_id
                JOIN meldingstatus s ON s.code = m.status
                WHERE c.email IS NOT NULL AND email_hash(c.email) = @emailHash
                  AND m.aangemaakt_op > now() - make_interval(months => @maanden)
                ORDER BY m.aangemaakt_op DESC, m.id DESC
                LIMIT 500
                """,
                new
                {
                    emailHash = gevonden.EmailHash,
                    maanden = Maanden,
                    taal = Taal.Code,
                },
                cancellationToken: cancellationToken
            )
        );
        return (Staat.Geldig, meldingen.AsList());
    }

    /// <summary>Retention: a link row (hashes only) goes an hour after it expired; the privacy statement
    /// shows the link's validity.</summary>
    public static OpschoonRegel Opschonen(IServiceProvider services) =>
        new(
            Gegevens,
            async (connection, cancellationToken) =>
                await connection.ExecuteAsync(
                    new CommandDefinition(
                        "DELETE FROM mijn_meldingen_link WHERE verloopt_op < now() - interval '1 hour'",
                        cancellationToken: cancellationToken
                    )
                ),
            new Bewaartermijn(Gegevens, services.GetRequiredService<IOptions<MijnMeldingenOptions>>().Value.GeldigUren, TermijnEenheid.Uren)
        );

    public void Dispose() => limiter.Dispose();
}
