using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Npgsql;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Meldingen.Sjablonen;

/// <summary>/beheer/sjablonen (beheerder): the reply templates in the order the report page offers
/// them, with moving up and down; editing and (de)activating on /beheer/sjablonen/{id}.</summary>
public sealed class IndexModel(NpgsqlDataSource dataSource, IStringLocalizer<Wijkmeldingen.Web.BeheerTekst> b) : PageModel
{
    public IReadOnlyList<Sjablonen.Sjabloon> Lijst { get; private set; } = [];

    [TempData]
    public string? Bericht { get; set; }

    [BindProperty]
    public short Id { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        Lijst = await Sjablonen.AlleAsync(connection, cancellationToken);
    }

    public Task<IActionResult> OnPostOmhoogAsync(CancellationToken cancellationToken) => VerplaatsAsync(-1, cancellationToken);

    public Task<IActionResult> OnPostOmlaagAsync(CancellationToken cancellationToken) => VerplaatsAsync(1, cancellationToken);

    private async Task<IActionResult> VerplaatsAsync(int richting, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await Sjablonen.VerplaatsAsync(connection, transaction, Id, richting, cancellationToken))
        {
            await Audit.SchrijfAsync(
                connection,
                transaction,
                Actor.Van(User),
                "sjabloon-volgorde",
                null,
                null,
                new { id = Id, richting = richting < 0 ? "omhoog" : "omlaag" },
                cancellationToken
            );
        }
        await transaction.CommitAsync(cancellationToken);
        Bericht = b["sjablonen.ok.volgorde"];
        return RedirectToPage();
    }
}
