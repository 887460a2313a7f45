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

    /// <summary>From this hour on (Europe/Amsterdam) the day's overdue digest goes out.</summary>
    public const int DigestUur = 7;

    /// <summary>Urgent reports older than this are not announced any more (a restored backup, an import).</summary>
    public static readonly TimeSpan SpoedVenster = TimeSpan.FromDays(2);

    private const long SlotSleutel = 397_019;

    public sealed record Uitkomst(int SpoedMails, int DigestMails);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var (berichten, afmelden) = live.Aanmelden();
        using (afmelden)
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await RondeAsync(stoppingToken);
                }
                catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
                {
                    logger.LogWarning("Urgent/overdue round failed ({Error}); trying again later", e.Message);
                }
                using var wacht = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                wacht.CancelAfter(Interval);
                try
                {
                    await berichten.WaitToReadAsync(wacht.Token);
                    while (berichten.TryRead(out _)) { }
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested) { }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    /// <summary>One round: announce urgent reports, then the digest if it is time (at
    /// <paramref name="nu"/>, the clock's time when not given).</summary>
    public async Task<Uitkomst> RondeAsync(CancellationToken cancellationToken, DateTimeOffset? nu = null)
    {
        // Staff mail is Dutch, whatever the culture of the thread the round runs on.
        System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.GetCultureInfo("nl-NL");
        System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.GetCultureInfo("nl-NL");
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (!await connection.ExecuteScalarAsync<bool>("SELECT pg_try_advisory_xact_lock(@SlotSleutel)", new { SlotSleutel }, transaction))
        {
            return new Uitkomst(0, 0);
        }
        var spoed = await SpoedAsync(connection, transaction, cancellationToken);
        var digest = await DigestAsync(connection, transaction, nu ?? klok.GetUtcNow(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
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

    private async Task<int> SpoedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var meldingen = (
            await connection.QueryAsync<SpoedMelding>(
                new CommandDefinition(
                    """
                    SELECT m.id, m.volgcode, r.naam AS rubriek, b.naam AS buurt, t.id AS teamid, t.naam AS team, t.email AS teamemail
                    FROM melding m
                    JOIN rubriek r ON r.id = m.rubriek_id AND r.spoed
                    LEFT JOIN buurt b ON b.code = m.buurt_code
                    LEFT JOIN team t ON t.id = m.team_id
                    WHERE m.aangemaakt_op > now() - @venster AND NOT m.is_demo
                      AND NOT EXISTS (SELECT 1 FROM melding_spoed_gemeld g WHERE g.melding_id = m.id)
                    ORDER BY m.id
                    LIMIT 100
                    """,
                    new { venster = SpoedVenster },
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
