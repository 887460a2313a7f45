using Dapper;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Npgsql;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Fotos;

namespace Wijkmeldingen.Web.Features.Melding;

/// <summary>
/// /melding/{code}/opvolgen/{sleutel}: the melder's private page, reached only through the secret
/// link (the public code alone is not enough). Add information or a photo, withdraw the report, ask
/// to remove personal data typed by mistake, or delete the e-mail address. What the melder adds
/// reaches staff, not the public page.
/// </summary>
[RequestFormLimits(MultipartBodyLengthLimit = 15 * 1024 * 1024)]
[RequestSizeLimit(15 * 1024 * 1024)]
public sealed class OpvolgenModel(
    NpgsqlDataSource dataSource,
    FotoVerwerker fotoVerwerker,
    IStringLocalizer<Tekst> t,
    TimeProvider klok,
    PersoonsgegevensWissen wissen
) : PageModel
{
    /// <summary>The satisfaction form (posting this link's token) while the current closed episode
    /// can be answered; the public tracking page never has it.</summary>
    public bool BeoordelingOpen { get; private set; }

    public MeldingQueries.Publiek Melding { get; private set; } = null!;
    public MeldingQueries.Eigen Eigen { get; private set; } = null!;
    public IReadOnlyList<MeldingQueries.Stap> Historie { get; private set; } = [];
    public Dictionary<string, string> Fouten { get; } = [];

    [TempData]
    public string? Bevestiging { get; set; }

    [BindProperty]
    public string? Aanvulling { get; set; }

    [BindProperty]
    public IFormFile? Foto { get; set; }

    [BindProperty]
    public bool Bevestigd { get; set; }

    [BindProperty]
    public string? Toelichting { get; set; }

    /// <summary>The melder ticked that they understand what the erasure removes.</summary>
    [BindProperty]
    public bool WissenBevestigd { get; set; }

    public string Code { get; private set; } = "";
    public string Sleutel { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(string code, string sleutel, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await LaadAsync(connection, code, sleutel, cancellationToken) is null ? NotFound() : Page();
    }

    public async Task<IActionResult> OnGetFotoAsync(string code, string sleutel, long id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (await Toegang(connection, code, sleutel, cancellationToken) is not { } meldingId)
        {
            return NotFound();
        }
        var jpeg = await connection.QuerySingleOrDefaultAsync<byte[]?>(
            new CommandDefinition(
                "SELECT jpeg FROM melding_foto WHERE id = @id AND melding_id = @meldingId",
                new { id, meldingId },
                cancellationToken: cancellationToken
            )
        );
        if (jpeg is null)
        {
            return NotFound();
        }
        Response.Headers.CacheControl = "private, max-age=3600";
        return File(jpeg, "image/jpeg");
    }

    public async Task<IActionResult> OnPostAanvullenAsync(string code, string sleutel, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (await LaadAsync(connection, code, sleutel, cancellationToken) is not { } id)
        {
            return NotFound();
        }
        if (Melding.Gesloten)
        {
            Fouten[nameof(Aanvulling)] = t["opvolgen.gesloten"];
            return Opnieuw();
        }
        var tekst = Aanvulling?.Trim() ?? "";
        if (tekst.Length is 0 or > 2000)
        {
            Fouten[nameof(Aanvulling)] = t[tekst.Length == 0 ? "opvolgen.aanvulling.leeg" : "opvolgen.aanvulling.lang"];
        }
        FotoResultaat? foto = null;
        if (Foto is { Length: > 0 })
        {
            await using var stream = Foto.OpenReadStream();
            foto = await fotoVerwerker.VerwerkAsync(stream, Foto.FileName, cancellationToken);
            if (!foto.Gelukt)
            {
                Fouten[nameof(Foto)] = foto.Fout!;
            }
        }
        if (Fouten.Count > 0)
        {
            return Opnieuw();
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var aanvullingId = await connection.QuerySingleAsync<long>(
            new CommandDefinition(
                "INSERT INTO melding_aanvulling (melding_id, tekst) VALUES (@id, @tekst) RETURNING id",
                new { id, tekst },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        if (foto is { Gelukt: true })
        {
            await connection.ExecuteAsync(
                new CommandDefinition(
                    """
                    INSERT INTO melding_foto (melding_id, aanvulling_id, jpeg, breedte, hoogte)
                        VALUES (@id, @aanvullingId, @Jpeg, @Breedte, @Hoogte)
                    """,
                    new
                    {
                        id,
                        aanvullingId,
                        foto.Jpeg,
                        foto.Breedte,
                        foto.Hoogte,
                    },
                    transaction,
                    cancellationToken: cancellationToken
                )
            );
        }
        await connection.ExecuteAsync(
            new CommandDefinition(
                "UPDATE melding SET gewijzigd_op = now() WHERE id = @id",
                new { id },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        await transaction.CommitAsync(cancellationToken);
        Bevestiging = t["opvolgen.aanvulling.ok"];
        return RedirectToPage(new { code = Code, sleutel });
    }

    public async Task<IActionResult> OnPostIntrekkenAsync(string code, string sleutel, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (await LaadAsync(connection, code, sleutel, cancellationToken) is not { } id)
        {
            return NotFound();
        }
        if (Melding.Gesloten)
        {
            Fouten[nameof(Bevestigd)] = t["opvolgen.gesloten"];
            return Opnieuw();
        }
        if (!Bevestigd)
        {
            Fouten[nameof(Bevestigd)] = t["opvolgen.intrekken.bevestig"];
            return Opnieuw();
        }
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var van = await connection.QuerySingleAsync<string>(
            new CommandDefinition(
                "SELECT status FROM melding WHERE id = @id FOR UPDATE",
                new { id },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        await connection.ExecuteAsync(
            new CommandDefinition(
                """
                UPDATE melding SET status = 'ingetrokken', gewijzigd_op = now() WHERE id = @id;
                INSERT INTO melding_historie (melding_id, van_status, naar_status, door, bericht)
                VALUES (@id, @van, 'ingetrokken', 'melder', NULL);
                """,
                new { id, van },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        await transaction.CommitAsync(cancellationToken);
        Bevestiging = t["opvolgen.intrekken.ok"];
        return RedirectToPage(new { code = Code, sleutel });
    }

    /// <summary>"Persoonsgegevens laten verwijderen" (AVG art. 17): the request is stored; when nothing
    /// blocks it (<see cref="PersoonsgegevensWissen.BlokkadeAsync"/>) the data are erased at once, the
    /// private link stops working and the melder lands on the public page; otherwise the request waits
    /// for staff and the melder is told why.</summary>
    public async Task<IActionResult> OnPostVerzoekAsync(string code, string sleutel, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (await LaadAsync(connection, code, sleutel, cancellationToken) is not { } id)
        {
            return NotFound();
        }
        var toelichting = Toelichting?.Trim();
        if (toelichting is { Length: > 2000 })
        {
            Fouten[nameof(Toelichting)] = t["opvolgen.verzoek.lang"];
        }
        if (!WissenBevestigd)
        {
            Fouten[nameof(WissenBevestigd)] = t["opvolgen.verzoek.bevestig"];
        }
        if (Fouten.Count > 0)
        {
            return Opnieuw();
        }
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(
            new CommandDefinition(
                "INSERT INTO melding_verzoek (melding_id, soort, toelichting) VALUES (@id, 'persoonsgegevens-verwijderen', @toelichting)",
                new { id, toelichting = string.IsNullOrEmpty(toelichting) ? null : toelichting },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        var blokkade = await PersoonsgegevensWissen.BlokkadeAsync(connection, transaction, id, cancellationToken);
        if (blokkade is null)
        {
            await wissen.UitvoerenAsync(connection, transaction, id, null, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            Bevestiging = t["opvolgen.verzoek.gewist"];
            return Redirect($"/melding/{Code}");
        }
        await transaction.CommitAsync(cancellationToken);
        Bevestiging = t["opvolgen.verzoek.wacht", t[blokkade]];
        return RedirectToPage(new { code = Code, sleutel });
    }

    public async Task<IActionResult> OnPostEmailVerwijderenAsync(string code, string sleutel, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (await LaadAsync(connection, code, sleutel, cancellationToken) is not { } id)
        {
            return NotFound();
        }
        await connection.ExecuteAsync(
            new CommandDefinition("DELETE FROM melder_contact WHERE melding_id = @id", new { id }, cancellationToken: cancellationToken)
        );
        Bevestiging = t["opvolgen.email.ok"];
        return RedirectToPage(new { code = Code, sleutel });
    }

    private PageResult Opnieuw()
    {
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private static async Task<long?> Toegang(
        NpgsqlConnection connection,
        string code,
        string sleutel,
        CancellationToken cancellationToken
    ) =>
        Volgcode.Normaliseer(code) is { } volgcode
            ? await MeldingQueries.ControleerSleutelAsync(connection, volgcode, sleutel, cancellationToken)
            : null;

    private async Task<long?> LaadAsync(NpgsqlConnection connection, string code, string sleutel, CancellationToken cancellationToken)
    {
        if (await Toegang(connection, code, sleutel, cancellationToken) is not { } id)
        {
            return null;
        }
        Code = Volgcode.Normaliseer(code)!;
        Sleutel = sleutel;
        Melding = (await MeldingQueries.LaadPubliekAsync(connection, Code, cancellationToken))!;
        Eigen = await MeldingQueries.LaadEigenAsync(connection, id, cancellationToken);
        Historie = await MeldingQueries.LaadHistorieAsync(connection, id, cancellationToken);
        BeoordelingOpen =
            await Beoordeling.LaatsteAsync(connection, id, cancellationToken) is { } episode
            && Beoordeling.StaatVan(episode, klok.GetUtcNow().UtcDateTime) == Beoordeling.Staat.Open;
        Response.Headers.CacheControl = "no-store";
        Response.Headers["X-Robots-Tag"] = "noindex";
        return id;
    }
}
