using Dapper;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Wijkmeldingen.Web.Data;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Wijkbeeld;

/// <summary>/wijken/kpi: the KPIs of the safety plan per priority, with their definitions, for the
/// municipality and per wijk, this period against the previous one.</summary>
public sealed class KpiModel(WijkbeeldCijfers cijfers, LeesDatabase lezen, IOptions<WijkbeeldOptions> options, TimeProvider klok)
    : PageModel
{
    public Periode Periode { get; private set; } = null!;
    public WijkbeeldWeergave Gemeente { get; private set; } = null!;
    public IReadOnlyList<WijkbeeldWeergave> Wijken { get; private set; } = [];
    public IReadOnlyDictionary<string, int> StreefDagen => options.Value.StreefDagen;

    /// <summary>Priorities with only sensitive categories: named, but without public figures.</summary>
    public IReadOnlyList<string> ZonderOpenbareCijfers { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Periode = WijkenExports.LeesPeriode(Request, klok);
        var drempel = options.Value.Drempel;
        Gemeente = WijkbeeldWeergave.Maak((await cijfers.LaadAsync(null, Periode, true, cancellationToken))!, drempel);
        var wijken = new List<WijkbeeldWeergave>();
        foreach (var wijk in await cijfers.WijkenAsync(cancellationToken))
        {
            wijken.Add(WijkbeeldWeergave.Maak((await cijfers.LaadAsync(wijk.Code, Periode, true, cancellationToken))!, drempel));
        }
        Wijken = wijken;

        await using var connection = await lezen.Bron.OpenConnectionAsync(cancellationToken);
        ZonderOpenbareCijfers = (
            await connection.QueryAsync<string>(
                new CommandDefinition(
                    """
                    SELECT in_taal(p.naam, p.naam_en, @taal) FROM prioriteit p
                    WHERE NOT EXISTS (SELECT 1 FROM thema t JOIN rubriek r ON r.thema_id = t.id
                                      WHERE t.prioriteit_id = p.id AND r.openbaarheid <> 'verborgen')
                    ORDER BY p.volgorde
                    """,
                    new { taal = Taal.Code },
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();
    }

    /// <summary>The same line (by level and code) in another area's picture.</summary>
    public static Regel? Zoek(WijkbeeldWeergave beeld, Regel regel)
    {
        ArgumentNullException.ThrowIfNull(beeld);
        ArgumentNullException.ThrowIfNull(regel);
        return beeld.Boom.FirstOrDefault(r => r.Niveau == regel.Niveau && r.Code == regel.Code);
    }
}
