using Dapper;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Npgsql;
using Wijkmeldingen.Web.Features.Beheer.Accounts;
using Wijkmeldingen.Web.Features.Beheer.Meldingen;

namespace Wijkmeldingen.Web.Features.Beheer.Routering;

/// <summary>/beheer/routering (beheerder): the ordered rules that decide which team a new report
/// lands with (applied by the melding_routering trigger), and the handling target per category.</summary>
public sealed class IndexModel(NpgsqlDataSource dataSource, IStringLocalizer<Wijkmeldingen.Web.Beheer> b) : PageModel
{
    public sealed record Regel(int Id, int Volgorde, string? Rubriek, string? Gebied, short? VanUur, short? TotUur, string Team);

    public sealed record Termijn(string Rubriek, short Dagen, bool Werkdagen);

    public IReadOnlyList<Regel> Regels { get; private set; } = [];
    public IReadOnlyList<Termijn> Termijnen { get; private set; } = [];
    public MeldingenZoeken.Keuzes Keuzes { get; private set; } = null!;
    public string? Fout { get; private set; }

    [TempData]
    public string? Bericht { get; set; }

    [BindProperty] public int? Volgorde { get; set; }
    [BindProperty] public string? Rubriek { get; set; }
    [BindProperty] public string? Gebied { get; set; }
    [BindProperty] public short? VanUur { get; set; }
    [BindProperty] public short? TotUur { get; set; }
    [BindProperty] public string? Team { get; set; }
    [BindProperty] public int? RegelId { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LaadAsync(cancellationToken);

    public async Task<IActionResult> OnPostToevoegenAsync(CancellationToken cancellationToken)
    {
        short? team = Team is not null && Team.StartsWith("team:", StringComparison.Ordinal) && short.TryParse(Team[5..], out var t) ? t : null;
        Fout = Volgorde is null ? b["routering.fout.volgorde"].Value
            : team is null ? b["routering.fout.team"].Value
            : (VanUur is null) != (TotUur is null) || VanUur is < 0 or > 23 || TotUur is < 1 or > 24 ? b["routering.fout.uren"].Value
            : null;
        if (Fout is not null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            await LaadAsync(cancellationToken);
            return Page();
        }
        var rubriek = Rubriek is { Length: > 2 } && Rubriek.StartsWith("r:", StringComparison.Ordinal) ? Rubriek[2..] : null;
        var wijk = Gebied is { Length: > 2 } && Gebied.StartsWith("w:", StringComparison.Ordinal) ? Gebied[2..] : null;
        var buurt = Gebied is { Length: > 2 } && Gebied.StartsWith("b:", StringComparison.Ordinal) ? Gebied[2..] : null;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var id = await connection.QuerySingleAsync<int>(new CommandDefinition(
            """
            INSERT INTO routeringsregel (volgorde, rubriek_id, wijk_code, buurt_code, van_uur, tot_uur, team_id)
            VALUES (@Volgorde, (SELECT id FROM rubriek WHERE code = @rubriek), @wijk, @buurt, @VanUur, @TotUur, @team)
            RETURNING id
            """,
            new { Volgorde, rubriek, wijk, buurt, VanUur, TotUur, team }, transaction, cancellationToken: cancellationToken));
        await Audit.SchrijfAsync(connection, transaction, Actor.Van(User), "routering-toegevoegd", null, null,
            new { id, Volgorde, rubriek, wijk, buurt, VanUur, TotUur, team }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        Bericht = b["routering.ok.toegevoegd"];
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostVerwijderenAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var voor = await connection.QuerySingleOrDefaultAsync<(int Volgorde, short? RubriekId, string? Wijk, string? Buurt, short? Van, short? Tot, short Team)?>(new CommandDefinition(
            "DELETE FROM routeringsregel WHERE id = @RegelId RETURNING volgorde, rubriek_id, wijk_code, buurt_code, van_uur, tot_uur, team_id",
            new { RegelId }, transaction, cancellationToken: cancellationToken));
        if (voor is not { } regel)
        {
            return NotFound();
        }
        await Audit.SchrijfAsync(connection, transaction, Actor.Van(User), "routering-verwijderd", null,
            new { id = RegelId, regel.Volgorde, regel.RubriekId, regel.Wijk, regel.Buurt, regel.Van, regel.Tot, regel.Team }, null, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        Bericht = b["routering.ok.verwijderd"];
        return RedirectToPage();
    }

    private async Task LaadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        Regels = (await connection.QueryAsync<Regel>(new CommandDefinition(
            """
            SELECT rr.id, rr.volgorde, r.naam AS rubriek, coalesce(b.naam, w.naam) AS gebied, rr.van_uur AS vanuur, rr.tot_uur AS totuur, t.naam AS team
            FROM routeringsregel rr
            JOIN team t ON t.id = rr.team_id
            LEFT JOIN rubriek r ON r.id = rr.rubriek_id
            LEFT JOIN wijk w ON w.code = rr.wijk_code
            LEFT JOIN buurt b ON b.code = rr.buurt_code
            WHERE rr.actief
            ORDER BY rr.volgorde, rr.id
            """, cancellationToken: cancellationToken))).AsList();
        Termijnen = (await connection.QueryAsync<Termijn>(new CommandDefinition(
            "SELECT naam AS rubriek, afhandeltermijn_dagen AS dagen, termijn_werkdagen AS werkdagen FROM rubriek ORDER BY volgorde",
            cancellationToken: cancellationToken))).AsList();
        Keuzes = await MeldingenZoeken.KeuzesAsync(connection, cancellationToken);
    }
}
