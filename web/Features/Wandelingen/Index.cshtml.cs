using Microsoft.AspNetCore.Mvc.RazorPages;
using Npgsql;

namespace Wijkmeldingen.Web.Features.Wandelingen;

/// <summary>/wijkwandelingen: upcoming walks as a list and on a map.</summary>
public sealed class IndexModel(NpgsqlDataSource dataSource) : PageModel
{
    public IReadOnlyList<Wandelingen.Wandeling> Komend { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Komend = await Wandelingen.KomendAsync(dataSource, cancellationToken);
}
