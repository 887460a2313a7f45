using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Wijkmeldingen.Web.Features.Maatregelen.Beheer;

/// <summary>/beheer/maatregelen: the measures of the municipality, newest start first.</summary>
public sealed class IndexModel(Maatregelen maatregelen) : PageModel
{
    public IReadOnlyList<Maatregelen.Maatregel> Lijst { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) => Lijst = await maatregelen.LijstAsync(cancellationToken);
}
