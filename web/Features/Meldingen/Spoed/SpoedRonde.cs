using Dapper;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Npgsql;
using Wijkmeldingen.Web.Data;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Mail;

namespace Wijkmeldingen.Web.Features.Meldingen.Spoed;

/// <summary>
/// Urgent reports reach a person, and overdue ones are not forgotten. A round runs as soon as the
/// live bus (<see cref="MeldingLive"/>) says reports were filed, and every <see cref="Interval"/>
/// otherwise: every report in a category marked <c>spoed</c> that was not announced yet is mailed
/// to the team it was routed to (its mailbox, else its active members, else the beheerders); after
/// <see cref="DigestUur"/> (Amsterdam time) each team with open reports past their target gets one
/// digest a day. Everything goes through the outbox in one transaction with the record of what was
/// announced; an advisory lock keeps two nodes from running a round at once, and the outbox keys
/// make a repeat harmless. Demo reports are never announced and demo staff never mailed (their
/// addresses are <c>@example.invalid</c>).
/// </summary>
public sealed class SpoedRonde(
    NpgsqlDataSource dataSource,
    MeldingLive live,
    IOptions<MailOptions> mail,
    IStringLocalizer<BeheerTekst> b,
    TimeProvider klok,
    ILogger<SpoedRonde> logger
) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    /// <summary>How long a round from the bus waits for more filings before it reads them.</summary>
    public static readonly TimeSpan Bundel = TimeSpan.FromMilliseconds(250);

    /// <summary>From this hour on (Europe/Amsterdam) the day's overdue digest goes out.</summary>
    public const int DigestUur = 7;

    /// <summary>Urgent reports older than this are not announced any more (a restored backup, an import).</summary>
    public static readonly TimeSpan SpoedVenster = TimeSpan.FromDays(2);

    private const long SlotSleutel = 397_019;

    public sealed record Uitkomst(int SpoedMails, int DigestMails);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Room for the filings of a few seconds at full speed: a dropped message would leave its
        // urgent report to the next full round.
        var (berichten, afmelden) = live.Aanmelden(capaciteit: 10_000);
        using (afmelden)
        {
            // Null: a full round (urgent reports of the last days, and the digest when due); otherwise
            // only the reports the bus named as filed since the last round.
            HashSet<long>? alleen = null;
            var volgendeVolle = TimeSpan.Zero;
            var klokje = System.Diagnostics.Stopwatch.StartNew();
            while (!stoppingToken.IsCancellationRequested)
            {
                // A full round every Interval even while filings keep coming, and after a reconnect.
                var vol = alleen is null || klokje.Elapsed >= volgendeVolle;
                if (vol || alleen is { Count: > 0 })
                {
                    try
                    {
                        await RondeAsync(stoppingToken, alleenMeldingen: vol ? null : alleen);
                    }
                    catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
                    {
                        logger.LogWarning("Urgent/overdue round failed ({Error}); trying again later", e.Message);
                    }
                    if (vol)
                    {
                        volgendeVolle = klokje.Elapsed + Interval;
                    }
                }
                alleen = [];
                using var wacht = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                var rest = volgendeVolle - klokje.Elapsed;
                wacht.CancelAfter(rest > TimeSpan.Zero ? rest : TimeSpan.Zero);
                try
                {
                    await berichten.WaitToReadAsync(wacht.Token);
                    // A moment for more filings to arrive: under a stream of filings one round takes many.
                    await Task.Delay(Bundel, stoppingToken);
                    while (berichten.TryRead(out var bericht))
                    {
                        alleen = Voeg(alleen, bericht);
                    }
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested) { }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    /// <summary>
    /// What a message of the bus adds to the next round: the ids of a filing, nothing for a change
    /// (a change of category is found by the next full round), and a full round for a bulk insert
    /// that named only part of its ids or for a reconnect (messages may have been missed). Under a
    /// stream of filings the round reads only the new reports, not the last two days every time.
    /// </summary>
    public static HashSet<long>? Voeg(HashSet<long>? alleen, string bericht)
    {
        if (alleen is null)
        {
            return null;
        }
        try
        {
            var json = System.Text.Json.JsonDocument.Parse(bericht).RootElement;
            var soort = json.TryGetProperty("soort", out var s) ? s.GetString() : null;
            if (soort == "update")
            {
                return alleen;
            }
            if (soort != "insert" || !json.TryGetProperty("ids", out var ids) || !json.TryGetProperty("aantal", out var aantal))
            {
                return null;
            }
            if (ids.GetArrayLength() != aantal.GetInt32())
            {
                return null;
            }
            foreach (var id in ids.EnumerateArray())
            {
                alleen.Add(id.GetInt64());
            }
            return alleen;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    /// <summary>The local day whose digest this node has done (each node at most one digest query a
    /// day; the outbox keys keep two nodes from mailing twice).</summary>
    private string? digestGedaan;

    /// <summary>One round: announce urgent reports, then the digest if it is time (at
    /// <paramref name="nu"/>, the clock's time when not given). With <paramref name="alleenMeldingen"/>
    /// only those reports are looked at, and no digest.</summary>
    public async Task<Uitkomst> RondeAsync(
        CancellationToken cancellationToken,
        DateTimeOffset? nu = null,
        IReadOnlyCollection<long>? alleenMeldingen = null
    )
    {
        // Staff mail is Dutch, whatever the culture of the thread the round runs on.
        System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.GetCultureInfo("nl-NL");
        System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.GetCultureInfo("nl-NL");
        var moment = nu ?? klok.GetUtcNow();
        var dag = Tijd.Lokaal(moment).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (!await connection.ExecuteScalarAsync<bool>("SELECT pg_try_advisory_xact_lock(@SlotSleutel)", new { SlotSleutel }, transaction))
        {
            return new Uitkomst(0, 0);
        }
        var spoed = await SpoedAsync(connection, transaction, alleenMeldingen, cancellationToken);
        var digestNu = alleenMeldingen is null && digestGedaan != dag;
        var digest = digestNu ? await DigestAsync(connection, transaction, moment, cancellationToken) : 0;
        await transaction.CommitAsync(cancellationToken);
        if (digestNu && Tijd.Lokaal(moment).Hour >= DigestUur)
        {
            digestGedaan = dag;
        }
        return new Uitkomst(spoed, digest);
    }

    private sealed record SpoedMelding(
        long Id,
        string Volgcode,
        string Rubriek,
        string? Buurt,
        short? TeamId,
        string? Team,
        string? TeamEmail
    );

    private sealed record Teamlid(short? TeamId, string Email);

    private async Task<int> SpoedAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        IReadOnlyCollection<long>? alleen,
        CancellationToken cancellationToken
    )
    {
        // Only the named reports (looked up by key) when the bus named them; else the last days.
        var alleenDeze = alleen is null ? "" : "AND m.id = ANY (@ids)";
        var meldingen = (
            await connection.QueryAsync<SpoedMelding>(
                new CommandDefinition(
                    $"""
                    SELECT m.id, m.volgcode, r.naam AS rubriek, b.naam AS buurt, t.id AS teamid, t.naam AS team, t.email AS teamemail
                    FROM melding m
                    JOIN rubriek r ON r.id = m.rubriek_id AND r.spoed
                    LEFT JOIN buurt b ON b.code = m.buurt_code
                    LEFT JOIN team t ON t.id = m.team_id
                    WHERE m.aangemaakt_op > now() - @venster AND NOT m.is_demo {alleenDeze}
                      AND NOT EXISTS (SELECT 1 FROM melding_spoed_gemeld g WHERE g.melding_id = m.id)
                    ORDER BY m.id
                    LIMIT 100
                    """,
                    new { venster = SpoedVenster, ids = alleen?.ToArray() ?? [] },
                    transaction,
                    cancellationToken: cancellationToken
                )
            )
        ).ToList();
        if (meldingen.Count == 0)
        {
            return 0;
        }
        var ontvangers = await OntvangersAsync(connection, transaction, cancellationToken);
        var opties = mail.Value;
        var aantal = 0;
        foreach (var m in meldingen)
        {
            var aan = Voor(m.TeamId, m.TeamEmail, ontvangers);
            foreach (var email in aan)
            {
                var bericht = new OutboxBericht(
                    Sleutel: $"spoed:{m.Id}:{email}",
                    Aan: email,
                    Onderwerp: b["mail.spoed.onderwerp", m.Rubriek, m.Volgcode],
                    Tekst: b["mail.spoed.tekst", m.Rubriek, m.Buurt ?? "–", m.Team ?? "–", opties.Link($"beheer/meldingen/{m.Id}")],
                    MeldingId: m.Id
                );
                if (await Outbox.EnqueueAsync(connection, transaction, bericht, cancellationToken))
                {
                    aantal++;
                }
            }
            await connection.ExecuteAsync(
                new CommandDefinition(
                    "INSERT INTO melding_spoed_gemeld (melding_id, aan) VALUES (@Id, @aan) ON CONFLICT DO NOTHING",
                    new { m.Id, aan = aan.Count },
                    transaction,
                    cancellationToken: cancellationToken
                )
            );
            if (aan.Count == 0)
            {
                logger.LogWarning("Urgent report {Id} reached nobody: no team mailbox, members or beheerders", m.Id);
            }
        }
        return aantal;
    }

    private sealed record Achterstand(short TeamId, string TeamCode, string Team, string? TeamEmail, int Aantal, string Lijst);

    private async Task<int> DigestAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        DateTimeOffset moment,
        CancellationToken cancellationToken
    )
    {
        var nu = Tijd.Lokaal(moment);
        if (nu.Hour < DigestUur)
        {
            return 0;
        }
        var dag = nu.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var teams = (
            await connection.QueryAsync<Achterstand>(
                new CommandDefinition(
                    """
                    SELECT t.id AS teamid, t.code AS teamcode, t.naam AS team, t.email AS teamemail, count(*)::int AS aantal,
                           string_agg('- ' || m.volgcode || ' ' || r.naam
                                      || ' (' || to_char(m.streefdatum AT TIME ZONE 'Europe/Amsterdam', 'DD-MM-YYYY') || '): '
                                      || @basis || m.id, E'\n' ORDER BY m.streefdatum) AS lijst
                    FROM melding m
                    JOIN team t ON t.id = m.team_id
                    JOIN rubriek r ON r.id = m.rubriek_id
                    WHERE m.status IN ('gemeld', 'in-behandeling', 'doorgezet', 'heropend') AND m.streefdatum < now() AND NOT m.is_demo
                    GROUP BY t.id, t.code, t.naam, t.email
                    ORDER BY t.code
                    """,
                    new { basis = mail.Value.Link("beheer/meldingen/") },
                    transaction,
                    cancellationToken: cancellationToken
                )
            )
        ).ToList();
        if (teams.Count == 0)
        {
            return 0;
        }
        var ontvangers = await OntvangersAsync(connection, transaction, cancellationToken);
        var aantal = 0;
        foreach (var team in teams)
        {
            foreach (var email in Voor(team.TeamId, team.TeamEmail, ontvangers))
            {
                var bericht = new OutboxBericht(
                    Sleutel: $"termijn-digest:{team.TeamCode}:{dag}:{email}",
                    Aan: email,
                    Onderwerp: b["mail.digest.onderwerp", team.Team, team.Aantal],
                    Tekst: b["mail.digest.tekst", team.Team, team.Aantal, team.Lijst, mail.Value.Link("beheer/signalering")]
                );
                if (await Outbox.EnqueueAsync(connection, transaction, bericht, cancellationToken))
                {
                    aantal++;
                }
            }
        }
        return aantal;
    }

    /// <summary>Active staff with a team, and the active beheerders (team null) as the last resort.</summary>
    private static async Task<List<Teamlid>> OntvangersAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        CancellationToken cancellationToken
    ) =>
        (
            await connection.QueryAsync<Teamlid>(
                new CommandDefinition(
                    """
                    SELECT m.team_id AS teamid, m.email FROM medewerker m WHERE m.actief AND NOT m.is_demo AND m.team_id IS NOT NULL
                    UNION
                    SELECT NULL, m.email FROM medewerker m
                    JOIN medewerker_rol mr ON mr.medewerker_id = m.id
                    WHERE m.actief AND NOT m.is_demo AND mr.rol = @beheerder
                    """,
                    new { beheerder = Rollen.Beheerder },
                    transaction,
                    cancellationToken: cancellationToken
                )
            )
        ).ToList();

    private static List<string> Voor(short? teamId, string? teamEmail, List<Teamlid> ontvangers)
    {
        if (!string.IsNullOrWhiteSpace(teamEmail))
        {
            return [teamEmail];
        }
        var leden = ontvangers.Where(o => teamId is not null && o.TeamId == teamId).Select(o => o.Email).Distinct().ToList();
        return leden.Count > 0 ? leden : ontvangers.Where(o => o.TeamId is null).Select(o => o.Email).Distinct().ToList();
    }
}
