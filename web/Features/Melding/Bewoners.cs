using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Dapper;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Npgsql;
using Wijkmeldingen.Web.Data;

namespace Wijkmeldingen.Web.Features.Melding;

/// <summary>Settings of what any resident may do on a public report ("Ik heb dit ook", "Nog niet
/// opgelost"): how many such actions one client address may take per window.</summary>
public sealed class BewonersOptions
{
    public const string Section = "Bewoners";

    [Range(1, 10_000)]
    public int RateLimietAantal { get; set; } = 10;

    [Range(1, 1440)]
    public int RateLimietVensterMinuten { get; set; } = 10;
}

/// <summary>
/// "Ik heb dit ook" and "Nog niet opgelost" need no account and store no personal data. One per
/// person is two walls: a signed cookie in the resident's own browser (which reports it already
/// supported or called not fixed), and a hash of (the random salt of the day, the client address,
/// the report) that the database allows once per report. The salt is deleted after a day and the
/// hashes after two, so nothing that stays leads back to an address. A rate limit per client address
/// (checked in the handler, so a refusal is a Dutch message on the page) stops scripted counting.
/// </summary>
public sealed class Bewoners(IOptions<BewonersOptions> options, IDataProtectionProvider dataProtection, TimeProvider klok) : IDisposable
{
    public const string CookieNaam = "wm_bewoner";

    /// <summary>What the cookie remembers; the oldest entries drop off beyond this many.</summary>
    private const int MaxInCookie = 200;

    private readonly IDataProtector protector = dataProtection.CreateProtector("Wijkmeldingen.Bewoners.v1");

    private readonly PartitionedRateLimiter<string> limiter = PartitionedRateLimiter.Create<string, string>(client =>
        RateLimitPartition.GetFixedWindowLimiter(client, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.RateLimietAantal,
            Window = TimeSpan.FromMinutes(options.Value.RateLimietVensterMinuten),
            QueueLimit = 0,
        })
    );

    /// <summary>The two things a resident can say about a report.</summary>
    public enum Soort
    {
        Steun,
        NietOpgelost,
    }

    private static string Client(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "onbekend";

    public bool Toegestaan(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var lease = limiter.AttemptAcquire(Client(context));
        return lease.IsAcquired;
    }

    private static string Teken(Soort soort, long meldingId) =>
        (soort == Soort.Steun ? "s" : "h") + meldingId.ToString(CultureInfo.InvariantCulture);

    private List<string> Gelezen(HttpContext context)
    {
        if (!context.Request.Cookies.TryGetValue(CookieNaam, out var waarde) || string.IsNullOrEmpty(waarde))
        {
            return [];
        }
        try
        {
            return [.. protector.Unprotect(waarde).Split(' ', StringSplitOptions.RemoveEmptyEntries)];
        }
        catch (CryptographicException)
        {
            // Tampered with or from an old key ring: as if there were none (the database wall stays).
            return [];
        }
    }

    /// <summary>Did this browser already say this about the report?</summary>
    public bool AlGedaan(HttpContext context, Soort soort, long meldingId)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Gelezen(context).Contains(Teken(soort, meldingId));
    }

    /// <summary>Remembers in the resident's browser that it said this about the report.</summary>
    public void Onthoud(HttpContext context, Soort soort, long meldingId)
    {
        ArgumentNullException.ThrowIfNull(context);
        var tekens = Gelezen(context);
        var teken = Teken(soort, meldingId);
        if (!tekens.Contains(teken))
        {
            tekens.Add(teken);
        }
        var waarde = protector.Protect(string.Join(' ', tekens.TakeLast(MaxInCookie)));
        context.Response.Cookies.Append(
            CookieNaam,
            waarde,
            new CookieOptions
            {
                Path = "/melding",
                HttpOnly = true,
                SameSite = SameSiteMode.Lax,
                Secure = context.Request.IsHttps,
                IsEssential = true,
                MaxAge = TimeSpan.FromDays(365),
            }
        );
    }

    /// <summary>The hash that lets the database refuse a second time from the same address today.</summary>
    public async Task<byte[]> IpDagHashAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        HttpContext context,
        long meldingId,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(context);
        var amsterdam = TimeZoneInfo.ConvertTime(klok.GetUtcNow(), Domein.Tijd.Amsterdam);
        var dag = amsterdam.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var zout = await connection.QuerySingleAsync<byte[]>(
            new CommandDefinition(
                """
                INSERT INTO bewoner_zout (dag, zout) VALUES (@dag::date, @nieuw) ON CONFLICT (dag) DO NOTHING;
                SELECT zout FROM bewoner_zout WHERE dag = @dag::date;
                """,
                new { dag, nieuw = RandomNumberGenerator.GetBytes(32) },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        var invoer = Encoding.UTF8.GetBytes($"{Client(context)}|{meldingId.ToString(CultureInfo.InvariantCulture)}");
        return HMACSHA256.HashData(zout, invoer);
    }

    /// <summary>Retention: the salt of a past day goes after a day, the address hashes after two.</summary>
    public static readonly OpschoonRegel ZoutOpschonen = new(
        "bewoner-zout",
        async (connection, cancellationToken) =>
            await connection.ExecuteAsync(
                new CommandDefinition(
                    """
                    DELETE FROM bewoner_zout WHERE dag < (now() AT TIME ZONE 'Europe/Amsterdam')::date - 1;
                    UPDATE melding_steun SET ip_dag_hash = NULL
                        WHERE ip_dag_hash IS NOT NULL AND gegeven_op < now() - interval '2 days';
                    UPDATE melding_heropenverzoek SET ip_dag_hash = NULL
                        WHERE ip_dag_hash IS NOT NULL AND gegeven_op < now() - interval '2 days';
                    """,
                    cancellationToken: cancellationToken
                )
            ),
        new Bewaartermijn("bewoner-ip-hash", 2)
    );

    /// <summary>Retention: what a resident wrote with "Nog niet opgelost" goes a year after staff decided.</summary>
    public static readonly OpschoonRegel HeropenToelichtingOpschonen = new(
        "bewoner-heropenverzoek",
        async (connection, cancellationToken) =>
            await connection.ExecuteAsync(
                new CommandDefinition(
                    """
                    UPDATE melding_heropenverzoek SET toelichting = NULL
                        WHERE toelichting IS NOT NULL AND status <> 'open' AND behandeld_op < now() - interval '365 days'
                    """,
                    cancellationToken: cancellationToken
                )
            ),
        new Bewaartermijn("bewoner-heropenverzoek", 365)
    );

    /// <summary>Retention: staff questions and the melder's answers go when the report's own texts go
    /// (anonymised after Database:AnonimiseerNaJaren; a deleted report takes them along by cascade).</summary>
    public static readonly OpschoonRegel VragenOpschonen = new(
        "melder-vraag",
        async (connection, cancellationToken) =>
            await connection.ExecuteAsync(
                new CommandDefinition(
                    """
                    DELETE FROM melding_vraag v USING melding m WHERE m.id = v.melding_id AND m.geanonimiseerd_op IS NOT NULL
                    """,
                    cancellationToken: cancellationToken
                )
            ),
        new Bewaartermijn("melder-vraag", 0)
    );

    public void Dispose() => limiter.Dispose();
}
