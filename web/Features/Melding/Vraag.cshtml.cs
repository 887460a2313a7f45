using Dapper;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Npgsql;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Melding;

/// <summary>/melding/{code}/vraag/{sleutel}: the melder answers a question staff asked by mail,
/// without signing in. The link's token is stored only as a hash, works once and until it expires;
/// a used, expired or unknown link gets a Dutch message, never the question. GET stores nothing (mail
/// scanners follow links). The answer lands on the report (staff see it, it is marked new in triage)
/// and in its audit trail.</summary>
public sealed class VraagModel(NpgsqlDataSource dataSource, IStringLocalizer<Tekst> t) : PageModel
{
    public enum Staat
    {
        Open,
        Beantwoord,
        Verlopen,
        Onbekend,
    }

    private sealed record Rij(long Id, long MeldingId, string Vraag, string? Antwoord, bool Verlopen);

    public Staat Toestand { get; private set; }
    public string Volgcode { get; private set; } = "";
    public string VraagTekst { get; private set; } = "";

    [BindProperty]
    public string? Antwoord { get; set; }

    public string? Fout { get; private set; }

    [TempData]
    public string? Bevestiging { get; set; }

    public async Task<IActionResult> OnGetAsync(string code, string sleutel, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await LaadAsync(connection, null, code, sleutel, cancellationToken);
        return Antwoorden();
    }

    public async Task<IActionResult> OnPostAsync(string code, string sleutel, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await LaadAsync(connection, transaction, code, sleutel, cancellationToken) is not { } rij || Toestand != Staat.Open)
        {
            return Antwoorden();
        }
        var antwoord = Antwoord?.Trim() ?? "";
        if (antwoord.Length is 0 or > 2000)
        {
            Fout = t[antwoord.Length == 0 ? "vraag.fout.leeg" : "melder.vraag.fout.lang"];
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        await connection.ExecuteAsync(
            new CommandDefinition(
                """
                UPDATE melding_vraag SET antwoord = @antwoord, beantwoord_op = now() WHERE id = @Id;
                UPDATE melding SET melder_gewijzigd_op = now(), gewijzigd_op = now() WHERE id = @MeldingId;
                """,
                new
                {
                    antwoord,
                    rij.Id,
                    rij.MeldingId,
                },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        await Audit.SchrijfVanBewonerAsync(
            connection,
            transaction,
            Audit.Melder,
            "vraag-beantwoord",
            rij.MeldingId,
            null,
            new { vraag = rij.Id },
            cancellationToken
        );
        await transaction.CommitAsync(cancellationToken);
        Bevestiging = t["vraag.ok"];
        return RedirectToPage(new { code = Volgcode, sleutel });
    }

    /// <summary>The page for every state; a link that does not (or no longer) opens a question is 404/410.</summary>
    private PageResult Antwoorden()
    {
        Response.Headers.CacheControl = "no-store";
        Response.Headers["X-Robots-Tag"] = "noindex";
        Response.StatusCode = Toestand switch
        {
            Staat.Onbekend => StatusCodes.Status404NotFound,
            Staat.Verlopen => StatusCodes.Status410Gone,
            _ => Response.StatusCode,
        };
        return Page();
    }

    private async Task<Rij?> LaadAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction,
        string code,
        string sleutel,
        CancellationToken cancellationToken
    )
    {
        Toestand = Staat.Onbekend;
        if (Domein.Volgcode.Normaliseer(code) is not { } volgcode || string.IsNullOrEmpty(sleutel) || sleutel.Length > 100)
        {
            return null;
        }
        Volgcode = volgcode;
        var rij = await connection.QuerySingleOrDefaultAsync<Rij>(
            new CommandDefinition(
                $"""
                SELECT v.id, v.melding_id AS meldingid, v.vraag, v.antwoord, v.verloopt_op < now() AS verlopen
                FROM melding_vraag v JOIN melding m ON m.id = v.melding_id
                WHERE v.sleutel_hash = @hash AND m.volgcode = @volgcode
                {(transaction is null ? "" : "FOR UPDATE OF v")}
                """,
                new { hash = Sleutels.Hash(sleutel), volgcode },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        if (rij is null)
        {
            return null;
        }
        VraagTekst = rij.Vraag;
        Toestand =
            rij.Antwoord is not null ? Staat.Beantwoord
            : rij.Verlopen ? Staat.Verlopen
            : Staat.Open;
        return rij;
    }
}
