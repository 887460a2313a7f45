using Dapper;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Npgsql;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Wijkbeeld.Beheer.Verhalen;

/// <summary>/beheer/verhalen (wijkprofessional, beheerder): every narrative, newest period first, with
/// publish and unpublish. Only published narratives reach the public wijk page.</summary>
public sealed class IndexModel(NpgsqlDataSource dataSource, IStringLocalizer<Wijkmeldingen.Web.WijkbeeldBeheerTekst> s) : PageModel
{
    public sealed record Regel(
        long Id,
        string WijkCode,
        string WijkNaam,
        DateTime Van,
        DateTime Tot,
        string Titel,
        string Auteur,
        DateTime? GepubliceerdOp,
        DateTime GewijzigdOp
    );

    public IReadOnlyList<Regel> Verhalen { get; private set; } = [];

    [TempData]
    public string? Bericht { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        Verhalen = (
            await connection.QueryAsync<Regel>(
                new CommandDefinition(
                    """
                    SELECT v.id, v.wijk_code AS wijkcode, w.naam AS wijknaam,
                        v.van::timestamp AS van, v.tot::timestamp AS tot, v.titel, v.auteur,
                           v.gepubliceerd_op AS gepubliceerdop, v.gewijzigd_op AS gewijzigdop
                    FROM wijk_verhaal v JOIN wijk w ON w.code = v.wijk_code
                    ORDER BY v.van DESC, v.id DESC
                    LIMIT 500
                    """,
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();
    }

    public Task<IActionResult> OnPostPublicerenAsync(long id, CancellationToken cancellationToken) => ZetAsync(id, true, cancellationToken);

    public Task<IActionResult> OnPostIntrekkenAsync(long id, CancellationToken cancellationToken) => ZetAsync(id, false, cancellationToken);

    private async Task<IActionResult> ZetAsync(long id, bool publiceren, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var titel = await connection.QuerySingleOrDefaultAsync<string>(
            new CommandDefinition(
                """
                UPDATE wijk_verhaal
                SET gepubliceerd_op = CASE WHEN @publiceren THEN coalesce(gepubliceerd_op, now()) END
                WHERE id = @id
                RETURNING titel
                """,
                new { id, publiceren },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        if (titel is null)
        {
            return NotFound();
        }
        await Audit.SchrijfAsync(
            connection,
            transaction,
            Actor.Van(User),
            publiceren ? "verhaal-gepubliceerd" : "verhaal-ingetrokken",
            null,
            null,
            new { id, titel },
            cancellationToken
        );
        await transaction.CommitAsync(cancellationToken);
        Bericht = publiceren ? s["verhalen.ok.gepubliceerd", titel] : s["verhalen.ok.ingetrokken", titel];
        return Redirect("/beheer/verhalen");
    }
}
