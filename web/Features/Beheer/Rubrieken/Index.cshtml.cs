using Dapper;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Npgsql;

namespace Wijkmeldingen.Web.Features.Beheer.Rubrieken;

/// <summary>/beheer/rubrieken (beheerder): the categories residents choose from, with their theme,
/// visibility and handling target.</summary>
public sealed class IndexModel(NpgsqlDataSource dataSource) : PageModel
{
    public sealed record Rij(
        short Id,
        string Code,
        string Naam,
        string Thema,
        string Openbaarheid,
        bool Actief,
        short Dagen,
        bool Werkdagen,
        bool Spoed
    );

    public IReadOnlyList<Rij> Rubrieken { get; private set; } = [];

    [Microsoft.AspNetCore.Mvc.TempData]
    public string? Bericht { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        Rubrieken = (
            await connection.QueryAsync<Rij>(
                new CommandDefinition(
                    """
                    SELECT r.id, r.code, in_taal(r.naam, r.naam_en, @taal) AS naam, in_taal(t.naam, t.naam_en, @taal) AS thema,
                           r.openbaarheid, r.actief,
                           r.afhandeltermijn_dagen AS dagen, r.termijn_werkdagen AS werkdagen, r.spoed
                    FROM rubriek r JOIN thema t ON t.id = r.thema_id
                    ORDER BY r.volgorde, r.naam
                    """,
                    new { taal = Wijkmeldingen.Web.Domein.Taal.Code },
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();
    }
}
