using Dapper;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Npgsql;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Open311.Beheer;

/// <summary>/beheer/api-sleutels (beheerder): the Open311 API keys. A new key is shown once, right
/// after it is made; only its hash is stored. Withdrawing a key stops it at once. Both are audited.</summary>
public sealed class IndexModel(NpgsqlDataSource dataSource, IStringLocalizer<Wijkmeldingen.Web.BeheerTekst> b) : PageModel
{
    public sealed record Rij(
        long Id,
        string Naam,
        DateTime AangemaaktOp,
        DateTime? LaatstGebruiktOp,
        DateTime? IngetrokkenOp,
        long Meldingen
    );

    public IReadOnlyList<Rij> Sleutels { get; private set; } = [];

    [TempData]
    public string? NieuweSleutel { get; set; }

    [TempData]
    public string? Bericht { get; set; }

    [BindProperty]
    public string? Naam { get; set; }

    public string? Fout { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LaadAsync(cancellationToken);

    public async Task<IActionResult> OnPostMaakAsync(CancellationToken cancellationToken)
    {
        var naam = Naam?.Trim() ?? "";
        if (naam.Length is 0 or > 200)
        {
            Fout = b["apisleutels.fout.naam"];
            Response.StatusCode = StatusCodes.Status400BadRequest;
            await LaadAsync(cancellationToken);
            return Page();
        }
        var sleutel = await Open311.ApiSleutels.MaakAsync(dataSource, naam, cancellationToken);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await Audit.SchrijfAsync(connection, null, Actor.Van(User), "api-sleutel-gemaakt", null, null, new { naam }, cancellationToken);
        NieuweSleutel = sleutel;
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostIntrekkenAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var naam = await connection.QuerySingleOrDefaultAsync<string?>(
            new CommandDefinition(
                "UPDATE api_sleutel SET ingetrokken_op = now() WHERE id = @id AND ingetrokken_op IS NULL RETURNING naam",
                new { id },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        if (naam is null)
        {
            return NotFound();
        }
        await Audit.SchrijfAsync(
            connection,
            transaction,
            Actor.Van(User),
            "api-sleutel-ingetrokken",
            null,
            new { id, naam },
            null,
            cancellationToken
        );
        await transaction.CommitAsync(cancellationToken);
        Bericht = b["apisleutels.ingetrokken", naam];
        return RedirectToPage();
    }

    private async Task LaadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        Sleutels = (
            await connection.QueryAsync<Rij>(
                new CommandDefinition(
                    """
                    SELECT k.id, k.naam, k.aangemaakt_op AS aangemaaktop,
                        k.laatst_gebruikt_op AS laatstgebruiktop, k.ingetrokken_op AS ingetrokkenop,
                           (SELECT count(*) FROM melding m WHERE m.api_sleutel_id = k.id) AS meldingen
                    FROM api_sleutel k ORDER BY k.ingetrokken_op NULLS FIRST, k.naam
                    """,
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();
    }
}
