using Dapper;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Npgsql;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Melding;

/// <summary>/melding/{code}: the public tracking page. Category, status, public history and a
/// coarsened place; never contact details, text or photos. A neighbour can follow the report by
/// e-mail instead of filing a duplicate. No satisfaction form: the code is public, only the melder
/// answers (mail link or private follow-up page).</summary>
public sealed class IndexModel(
    NpgsqlDataSource dataSource,
    MeldingMails mails,
    IStringLocalizer<Tekst> t,
    IOptions<PubliekOptions> kaart,
    Bewoners bewoners
) : PageModel
{
    /// <summary>This browser already said "Ik heb dit ook" about the report.</summary>
    public bool AlGesteund { get; private set; }

    /// <summary>This browser already said "Nog niet opgelost" about the report.</summary>
    public bool AlNietOpgelost { get; private set; }

    /// <summary>A closed report that staff may reopen: residents may say it is not fixed.</summary>
    public bool HeropenbaarVoorBewoners => Melding.Gesloten && Levenscyclus.Mag(Melding.Status, "heropend");

    /// <summary>A refusal of "Ik heb dit ook" or "Nog niet opgelost" (rate limit, closed, too long).</summary>
    public string? BewonerFout { get; private set; }

    [BindProperty]
    public string? NietOpgelostToelichting { get; set; }

    /// <summary>Staff's reason for rejecting the latest "Nog niet opgelost", while the report stays closed.</summary>
    public string? NietOpgelostAfgewezen { get; private set; }

    /// <summary>Staff's answer to the melder's "niet tevreden", if any (current episode).</summary>
    public string? BeoordelingAntwoord { get; private set; }

    public MeldingQueries.Publiek Melding { get; private set; } = null!;
    public IReadOnlyList<MeldingQueries.Stap> Historie { get; private set; } = [];

    /// <summary>The moderated public text, when Kaart:TekstOpenbaar is on (else null).</summary>
    public string? PubliekeTekst => kaart.Value.TekstOpenbaar ? Melding.PubliekeTekst : null;

    public IReadOnlyList<long> Fotos { get; private set; } = [];

    [BindProperty]
    public string? VolgEmail { get; set; }

    public string? VolgFout { get; private set; }

    [TempData]
    public string? Bevestiging { get; set; }

    public async Task<IActionResult> OnPostVolgenAsync(string code, CancellationToken cancellationToken)
    {
        if (Volgcode.Normaliseer(code) is not { } volgcode)
        {
            return NotFound();
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (
            await MeldingQueries.LaadPubliekAsync(connection, volgcode, cancellationToken, kaart.Value.PubliekRasterMeters)
            is not { } melding
        )
        {
            return NotFound();
        }
        var email = VolgEmail?.Trim() ?? "";
        if (!EmailAdres.IsGeldig(email))
        {
            VolgFout = t["fout.email"];
            Melding = melding;
            await VulAanAsync(connection, cancellationToken);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        var sleutel = Sleutels.Nieuw();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Following twice is harmless: the second time renews the unsubscribe token and resends the mail.
        var volgerId = await connection.QuerySingleAsync<long>(
            new CommandDefinition(
                """
                INSERT INTO melding_volger (melding_id, email, sleutel_hash) VALUES (@id, @email, @hash)
                ON CONFLICT (gemeente_code, melding_id, email) DO UPDATE SET sleutel_hash = EXCLUDED.sleutel_hash
                RETURNING id
                """,
                new
                {
                    id = melding.Id,
                    email,
                    hash = Sleutels.Hash(sleutel),
                },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        await connection.ExecuteAsync(
            new CommandDefinition(
                "DELETE FROM mail_outbox WHERE sleutel = @s AND verzonden_op IS NULL",
                new { s = $"melding-volgen:{volgerId}" },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        await mails.VolgenAsync(
            connection,
            transaction,
            melding.Id,
            volgerId,
            volgcode,
            melding.Rubriek,
            email,
            sleutel,
            cancellationToken
        );
        await transaction.CommitAsync(cancellationToken);
        Bevestiging = t["melding.volgen.ok"];
        return RedirectToPage(new { code = volgcode });
    }

    /// <summary>"Ik heb dit ook": one more resident has the same problem (no account, once per person).</summary>
    public async Task<IActionResult> OnPostSteunenAsync(string code, CancellationToken cancellationToken)
    {
        if (Volgcode.Normaliseer(code) is not { } volgcode)
        {
            return NotFound();
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (await LaadAsync(connection, volgcode, cancellationToken) is not { } melding)
        {
            return NotFound();
        }
        if (melding.Gesloten)
        {
            return await WeigerAsync(connection, t["bewoners.steun.gesloten"], StatusCodes.Status400BadRequest, cancellationToken);
        }
        if (bewoners.AlGedaan(HttpContext, Bewoners.Soort.Steun, melding.Id))
        {
            Bevestiging = t["bewoners.steun.al"];
            return RedirectToPage(new { code = volgcode });
        }
        if (!bewoners.Toegestaan(HttpContext))
        {
            return await WeigerAsync(connection, t["bewoners.te-vaak"], StatusCodes.Status429TooManyRequests, cancellationToken);
        }
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var hash = await bewoners.IpDagHashAsync(connection, transaction, HttpContext, melding.Id, cancellationToken);
        var nieuw = await connection.ExecuteAsync(
            new CommandDefinition(
                """
                WITH steun AS (
                    INSERT INTO melding_steun (melding_id, ip_dag_hash) VALUES (@id, @hash)
                    ON CONFLICT (gemeente_code, melding_id, ip_dag_hash) WHERE ip_dag_hash IS NOT NULL DO NOTHING
                    RETURNING melding_id
                )
                UPDATE melding SET steun_aantal = steun_aantal + 1 WHERE id IN (SELECT melding_id FROM steun)
                """,
                new { id = melding.Id, hash },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        await transaction.CommitAsync(cancellationToken);
        bewoners.Onthoud(HttpContext, Bewoners.Soort.Steun, melding.Id);
        Bevestiging = nieuw == 1 ? t["bewoners.steun.ok"] : t["bewoners.steun.al"];
        return RedirectToPage(new { code = volgcode });
    }

    /// <summary>"Nog niet opgelost": a request to reopen a closed report, for staff to decide on.</summary>
    public async Task<IActionResult> OnPostNietOpgelostAsync(string code, CancellationToken cancellationToken)
    {
        if (Volgcode.Normaliseer(code) is not { } volgcode)
        {
            return NotFound();
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (await LaadAsync(connection, volgcode, cancellationToken) is not { } melding)
        {
            return NotFound();
        }
        if (!HeropenbaarVoorBewoners)
        {
            return await WeigerAsync(connection, t["bewoners.heropen.niet-gesloten"], StatusCodes.Status400BadRequest, cancellationToken);
        }
        var toelichting = NietOpgelostToelichting?.Trim();
        if (toelichting is { Length: > 1000 })
        {
            return await WeigerAsync(connection, t["bewoners.heropen.lang"], StatusCodes.Status400BadRequest, cancellationToken);
        }
        if (bewoners.AlGedaan(HttpContext, Bewoners.Soort.NietOpgelost, melding.Id))
        {
            Bevestiging = t["bewoners.heropen.al"];
            return RedirectToPage(new { code = volgcode });
        }
        if (!bewoners.Toegestaan(HttpContext))
        {
            return await WeigerAsync(connection, t["bewoners.te-vaak"], StatusCodes.Status429TooManyRequests, cancellationToken);
        }
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var hash = await bewoners.IpDagHashAsync(connection, transaction, HttpContext, melding.Id, cancellationToken);
        var verzoekId = await connection.QuerySingleOrDefaultAsync<long?>(
            new CommandDefinition(
                """
                INSERT INTO melding_heropenverzoek (melding_id, toelichting, ip_dag_hash) VALUES (@id, @toelichting, @hash)
                ON CONFLICT (gemeente_code, melding_id, ip_dag_hash) WHERE ip_dag_hash IS NOT NULL DO NOTHING
                RETURNING id
                """,
                new
                {
                    id = melding.Id,
                    toelichting = string.IsNullOrEmpty(toelichting) ? null : toelichting,
                    hash,
                },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        if (verzoekId is { } nieuw)
        {
            // Staff see it as new on the report and in the triage list (melder_gewijzigd_op).
            await connection.ExecuteAsync(
                new CommandDefinition(
                    "UPDATE melding SET melder_gewijzigd_op = now() WHERE id = @id",
                    new { id = melding.Id },
                    transaction,
                    cancellationToken: cancellationToken
                )
            );
            await Audit.SchrijfVanBewonerAsync(
                connection,
                transaction,
                Audit.Bewoner,
                "heropenverzoek-bewoner",
                melding.Id,
                null,
                new { verzoek = nieuw, status = melding.Status },
                cancellationToken
            );
        }
        await transaction.CommitAsync(cancellationToken);
        bewoners.Onthoud(HttpContext, Bewoners.Soort.NietOpgelost, melding.Id);
        Bevestiging = verzoekId is null ? t["bewoners.heropen.al"] : t["bewoners.heropen.ok"];
        return RedirectToPage(new { code = volgcode });
    }

    private async Task<MeldingQueries.Publiek?> LaadAsync(NpgsqlConnection connection, string volgcode, CancellationToken cancellationToken)
    {
        if (
            await MeldingQueries.LaadPubliekAsync(connection, volgcode, cancellationToken, kaart.Value.PubliekRasterMeters)
            is not { } melding
        )
        {
            return null;
        }
        Melding = melding;
        return melding;
    }

    private async Task<IActionResult> WeigerAsync(NpgsqlConnection connection, string fout, int status, CancellationToken cancellationToken)
    {
        BewonerFout = fout;
        await VulAanAsync(connection, cancellationToken);
        Response.StatusCode = status;
        return Page();
    }

    private async Task VulAanAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        Historie = await MeldingQueries.LaadHistorieAsync(connection, Melding.Id, cancellationToken);
        if (await Beoordeling.LaatsteAsync(connection, Melding.Id, cancellationToken) is { } episode)
        {
            BeoordelingAntwoord = episode.Antwoord;
        }
        if (kaart.Value.TekstOpenbaar)
        {
            Fotos = await MeldingQueries.PubliekeFotosAsync(connection, Melding.Id, cancellationToken);
        }
        if (Melding.Gesloten)
        {
            NietOpgelostAfgewezen = await connection.QuerySingleOrDefaultAsync<string?>(
                new CommandDefinition(
                    """
                    SELECT reden FROM melding_heropenverzoek
                    WHERE melding_id = @Id AND status = 'afgewezen'
                      AND gegeven_op > coalesce((SELECT max(tijdstip) FROM melding_historie
                                                 WHERE melding_id = @Id AND naar_status = 'heropend'), '-infinity')
                    ORDER BY behandeld_op DESC, id DESC LIMIT 1
                    """,
                    new { Melding.Id },
                    cancellationToken: cancellationToken
                )
            );
        }
        AlGesteund = bewoners.AlGedaan(HttpContext, Bewoners.Soort.Steun, Melding.Id);
        AlNietOpgelost = bewoners.AlGedaan(HttpContext, Bewoners.Soort.NietOpgelost, Melding.Id);
    }

    public async Task<IActionResult> OnGetAsync(string code, CancellationToken cancellationToken)
    {
        if (Volgcode.Normaliseer(code) is not { } volgcode)
        {
            return NotFound();
        }
        if (volgcode != code)
        {
            return RedirectToPagePermanent("/Melding/Index", new { code = volgcode });
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (
            await MeldingQueries.LaadPubliekAsync(connection, volgcode, cancellationToken, kaart.Value.PubliekRasterMeters)
            is not { } melding
        )
        {
            return NotFound();
        }
        Melding = melding;
        await VulAanAsync(connection, cancellationToken);
        return Page();
    }
}
