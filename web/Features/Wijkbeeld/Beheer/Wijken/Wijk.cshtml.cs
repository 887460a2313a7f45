using Dapper;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Npgsql;

namespace Wijkmeldingen.Web.Features.Wijkbeeld.Beheer.Wijken;

/// <summary>/beheer/wijken/{wijkcode} (wijkprofessional, beheerder): the staff version of the wijk
/// picture. The same rollups and layout as /wijken/{wijkcode}, but read with Publiek = false: every
/// category (sensitive ones included) and every count, however small, unsuppressed.</summary>
public sealed class WijkModel(WijkbeeldCijfers cijfers, NpgsqlDataSource dataSource, TimeProvider klok) : PageModel
{
    public sealed record VerhaalRegel(long Id, string Titel, DateTime Van, DateTime Tot, DateTime? GepubliceerdOp);

    public WijkbeeldWeergave Beeld { get; private set; } = null!;
    public IReadOnlyList<Gebied> Wijken { get; private set; } = [];
    public IReadOnlyList<VerhaalRegel> Verhalen { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string wijkcode, CancellationToken cancellationToken)
    {
        var periode = WijkenExports.LeesPeriode(Request, klok);
        var data = await cijfers.LaadAsync(wijkcode, periode, publiek: false, cancellationToken);
        if (data is null)
        {
            return NotFound();
        }
        Beeld = WijkbeeldWeergave.Maak(data, cijfers.Drempel);
        Wijken = await cijfers.WijkenAsync(cancellationToken);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        Verhalen = (
            await connection.QueryAsync<VerhaalRegel>(
                new CommandDefinition(
                    """
                    SELECT id, titel, van::timestamp AS van, tot::timestamp AS tot, gepubliceerd_op AS gepubliceerdop
                    FROM wijk_verhaal
                    WHERE wijk_code = @wijkcode AND van <= @tot AND tot >= @van
                    ORDER BY van DESC, id DESC
                    """,
                    new
                    {
                        wijkcode,
                        van = periode.Van,
                        tot = periode.Tot,
                    },
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();
        return Page();
    }
}
