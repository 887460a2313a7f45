using Dapper;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Npgsql;
using Wijkmeldingen.Web.Features.Meldingen.Acties;

namespace Wijkmeldingen.Web.Features.Meldingen.Extern;

/// <summary>/doorgestuurd/{token}: the reply page of an outside party a report was forwarded to
/// (<see cref="DoorsturenActie"/>). No account: the token in the link is the key. It shows what was
/// forwarded (never the melder's contact details) and takes one answer, which lands on the report as a
/// note and in its audit trail; the report then no longer waits for the party.</summary>
public sealed class AntwoordModel(NpgsqlDataSource dataSource, IStringLocalizer<Wijkmeldingen.Web.Tekst> t) : PageModel
{
    public sealed record Doorsturing(
        long Id,
        long MeldingId,
        string Volgcode,
        string Rubriek,
        string Buurt,
        string Omschrijving,
        DateTime AangemaaktOp,
        string Partij,
        string? Bericht,
        string Door,
        DateTime GeldigTot,
        string? Antwoord,
        DateTime? BeantwoordOp
    );

    public Doorsturing Gegevens { get; private set; } = null!;

    public bool Verlopen => Gegevens.BeantwoordOp is null && Gegevens.GeldigTot < DateTime.UtcNow;

    [BindProperty]
    public string? Antwoord { get; set; }

    [BindProperty]
    public string? Naam { get; set; }

    public Dictionary<string, string> Fouten { get; } = [];

    public async Task<IActionResult> OnGetAsync(string token, CancellationToken cancellationToken)
    {
        Prive();
        if (await LaadAsync(token, cancellationToken) is null)
        {
            return NotFound();
        }
        if (Verlopen)
        {
            Response.StatusCode = StatusCodes.Status410Gone;
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string token, CancellationToken cancellationToken)
    {
        Prive();
        if (await LaadAsync(token, cancellationToken) is not { } d)
        {
            return NotFound();
        }
        if (Verlopen)
        {
            Response.StatusCode = StatusCodes.Status410Gone;
            return Page();
        }
        var antwoord = Antwoord?.Trim() ?? "";
        var naam = string.IsNullOrWhiteSpace(Naam) ? null : Naam.Trim();
        if (antwoord.Length is 0 or > 5000)
        {
            Fouten["antwoord"] = t["doorgestuurd.fout.antwoord"];
        }
        if (naam?.Length > 200)
        {
            Fouten["naam"] = t["doorgestuurd.fout.naam"];
        }
        if (Fouten.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var gezet = await connection.ExecuteAsync(
            new CommandDefinition(
                """
                UPDATE melding_doorsturing SET antwoord = @antwoord, beantwoord_door = @naam, beantwoord_op = now()
                WHERE id = @Id AND beantwoord_op IS NULL AND geldig_tot > now()
                """,
                new
                {
                    d.Id,
                    antwoord,
                    naam,
                },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        if (gezet == 1)
        {
            var door = naam is null ? $"{d.Partij} (extern)" : $"{naam}, {d.Partij} (extern)";
            await connection.ExecuteAsync(
                new CommandDefinition(
                    """
                    INSERT INTO melding_notitie (melding_id, door, tekst) VALUES (@MeldingId, left(@door, 500), @antwoord);
                    INSERT INTO audit (door, actie, melding_id, na)
                    VALUES (left(@door, 500), 'doorsturing-beantwoord', @MeldingId,
                            jsonb_build_object('doorsturing', @Id, 'partij', @Partij, 'antwoord', @antwoord));
                    """,
                    new
                    {
                        d.Id,
                        d.MeldingId,
                        d.Partij,
                        door,
                        antwoord,
                    },
                    transaction,
                    cancellationToken: cancellationToken
                )
            );
        }
        await transaction.CommitAsync(cancellationToken);
        return Redirect($"/doorgestuurd/{Uri.EscapeDataString(token)}");
    }

    private void Prive()
    {
        // The link is the key: never cached, never indexed, never sent on as a referrer.
        Response.Headers.CacheControl = "no-store";
        Response.Headers["X-Robots-Tag"] = "noindex, nofollow";
        Response.Headers["Referrer-Policy"] = "no-referrer";
    }

    private async Task<Doorsturing?> LaadAsync(string token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 100)
        {
            return null;
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var d = await connection.QuerySingleOrDefaultAsync<Doorsturing>(
            new CommandDefinition(
                """
                SELECT d.id, d.melding_id AS meldingid, m.volgcode, r.naam AS rubriek, b.naam AS buurt, m.omschrijving,
                       m.aangemaakt_op AS aangemaaktop, d.partij, d.bericht, d.door, d.geldig_tot AS geldigtot,
                       d.antwoord, d.beantwoord_op AS beantwoordop
                FROM melding_doorsturing d
                JOIN melding m ON m.id = d.melding_id
                JOIN rubriek r ON r.id = m.rubriek_id
                JOIN buurt b ON b.code = m.buurt_code
                WHERE d.token_hash = @hash AND NOT d.geanonimiseerd
                """,
                new { hash = DoorsturenActie.TokenHash(token) },
                cancellationToken: cancellationToken
            )
        );
        if (d is not null)
        {
            Gegevens = d;
        }
        return d;
    }
}
