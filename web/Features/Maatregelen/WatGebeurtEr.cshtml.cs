using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Wijkmeldingen.Web.Features.Maatregelen;

/// <summary>/wat-gebeurt-er: what happens with reports, for everyone.</summary>
public sealed class WatGebeurtErModel(Afhandeling afhandeling) : PageModel
{
    public Afhandeling.Cijfers Cijfers { get; private set; } = null!;
    public int Drempel => afhandeling.Drempel;

    public async Task OnGetAsync(CancellationToken cancellationToken) => Cijfers = await afhandeling.LaadAsync(cancellationToken);
}
