using Dapper;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Wijkmeldingen.Web.Features.Kaart;

/// <summary>/kaart: the municipality with its wijken and buurten on a map, and the same areas as a
/// table for people who do not use the map.</summary>
public sealed class IndexModel(NpgsqlDataSource dataSource, IOptions<KaartOptions> options) : PageModel
{
    public sealed record BuurtRegel(string WijkCode, string WijkNaam, string BuurtCode, string BuurtNaam, int? Inwoners);

    public KaartOptions Kaart => options.Value;

    public IReadOnlyList<BuurtRegel> Buurten { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<BuurtRegel>(new CommandDefinition(
            """
            SELECT w.code AS wijkcode, w.naam AS wijknaam, b.code AS buurtcode, b.naam AS buurtnaam, b.inwoners
            FROM buurt b
            JOIN wijk w ON w.code = b.wijk_code
            ORDER BY w.code, b.code
            """,
            cancellationToken: cancellationToken));
        Buurten = rows.AsList();
    }
}
