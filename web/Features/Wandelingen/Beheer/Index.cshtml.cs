using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Wandelingen.Beheer;

/// <summary>/beheer/wandelingen (organisator, beheerder): every walk, or only the signed-in
/// organiser's own ("mine"), coming ones first.</summary>
public sealed class IndexModel(WandelingPlanning planning) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "eigen")]
    public bool Eigen { get; set; }

    public IReadOnlyList<WandelingPlanning.Rij> Rijen { get; private set; } = [];

    public string Ik => Actor.Van(User).Id.ToString();

    [TempData]
    public string? Bericht { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Rijen = await planning.LijstAsync(Eigen ? Ik : null, cancellationToken);
}
