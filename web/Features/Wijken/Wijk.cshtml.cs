using Dapper;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Npgsql;

namespace Wijkmeldingen.Web.Features.Wijken;

/// <summary>/wijken/{wijkcode}: the public picture of one wijk for a period against the previous
/// equal period, with its buurten, when in the week things happen, and published stories.</summary>
public sealed class WijkModel(WijkbeeldCijfers cijfers, NpgsqlDataSource dataSource, TimeProvider klok) : PageModel
{
    public sealed record Verhaal(string Titel, string Tekst, string Auteur, DateTime Van, DateTime Tot, DateTime GepubliceerdOp);

    public WijkbeeldWeergave Beeld { get; private set; } = null!;
    public IReadOnlyList<Verhaal> Verhalen { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string wijkcode, CancellationToken cancellationToken)
    {
        var periode = WijkenExports.LeesPeriode(Request, klok);
        var data = await cijfers.LaadAsync(wijkcode, periode, publiek: true, cancellationToken);
        if (data is null)
        {
            return NotFound();
        }
        Beeld = WijkbeeldWeergave.Maak(data, cijfers.Drempel);

        // Published stories about (part of) this period.
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        Verhalen = (await connection.QueryAsync<Verhaal>(new CommandDefinition(
            """
            SELECT titel, tekst, auteur, van::timestamp AS van, tot::timestamp AS tot, gepubliceerd_op AS gepubliceerdop
            FROM wijk_verhaal
            WHERE wijk_code = @wijkcode AND gepubliceerd_op IS NOT NULL AND van <= @tot AND tot >= @van
            ORDER BY van DESC, gepubliceerd_op DESC
            """, new { wijkcode, van = periode.Van, tot = periode.Tot }, cancellationToken: cancellationToken))).AsList();
        return Page();
    }
}
