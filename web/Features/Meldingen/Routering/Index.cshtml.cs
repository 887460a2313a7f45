using Dapper;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Npgsql;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Meldingen.Routering;

/// <summary>/beheer/routering (beheerder): the ordered rules that decide which team a new report
/// lands with (applied by the melding_routering trigger), and the handling target per category.</summary>
public sealed class IndexModel(NpgsqlDataSource dataSource, IStringLocalizer<Wijkmeldingen.Web.BeheerTekst> b) : PageModel
{
    public sealed record Regel(int Id, int Volgorde, string? Rubriek, string? Gebied, short? VanUur, short? TotUur, string Team);

    public sealed record Termijn(string Rubriek, short Dagen, bool Werkdagen);

    public IReadOnlyList<Regel> Regels { get; private set; } = [];
    public IReadOnlyList<Termijn> Termijnen { get; private set; } = [];
    public MeldingenZoeken.Keuzes Keuzes { get; private set; } = null!;
    public string? Fout { get; private set; }

    [TempData]
    public string? Bericht { get; set; }

    [BindProperty]
    public int? Volgorde { get; set; }

    [BindProperty]
    public string? Rubriek { get; set; }

    [BindProperty]
    public string? Gebied { get; set; }

    [BindProperty]
    public short? VanUur { get; set; }

    [BindProperty]
    public short? TotUur { get; set; }

    [BindProperty]
    public string? Team { get; set; }

    [BindProperty]
    public int? RegelId { get; set; }

    /// <summary>The rule being edited (?bewerk={id}), whose values fill the form.</summary>
    public int? Bewerk { get; private set; }

    [BindProperty]
    public string? Richting { get; set; }

    public async Task<IActionResult> OnGetAsync(int? bewerk, CancellationToken cancellationToken)
    {
        if (bewerk is { } id)
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var regel = await connection.QuerySingleOrDefaultAsync<(
                int Volgorde,
                string? Rubriek,
                string? Wijk,
                string? Buurt,
                short? Van,
                short? Tot,
                short Team
            )?>(
                new CommandDefinition(
                    """
                    SELECT rr.volgorde, r.code, rr.wijk_code, rr.buurt_code, rr.van_uur, rr.tot_uur, rr.team_id
                    FROM routeringsregel rr LEFT JOIN rubriek r ON r.id = rr.rubriek_id WHERE rr.id = @id AND rr.actief
                    """,
                    new { id },
                    cancellationToken: cancellationToken
                )
            );
            if (regel is not { } g)
            {
                return NotFound();
            }
            Bewerk = id;
            RegelId = id;
            Volgorde = g.Volgorde;
            Rubriek = g.Rubriek is null ? null : $"r:{g.Rubriek}";
            Gebied =
                g.Buurt is not null ? $"b:{g.Buurt}"
                : g.Wijk is not null ? $"w:{g.Wijk}"
                : null;
            (VanUur, TotUur) = (g.Van, g.Tot);
            Team = $"team:{g.Team}";
        }
        await LaadAsync(cancellationToken);
        return Page();
    }

    private sealed record Invoer(int Volgorde, string? Rubriek, string? Wijk, string? Buurt, short? VanUur, short? TotUur, short Team);

    /// <summary>The form checked, or null with <see cref="Fout"/> set.</summary>
    private Invoer? Lees()
    {
        short? team =
            Team is not null && Team.StartsWith("team:", StringComparison.Ordinal) && short.TryParse(Team[5..], out var t) ? t : null;
        Fout =
            Volgorde is null ? b["routering.fout.volgorde"].Value
            : team is null ? b["routering.fout.team"].Value
            : (VanUur is null) != (TotUur is null) || VanUur is < 0 or > 23 || TotUur is < 1 or > 24 ? b["routering.fout.uren"].Value
            : null;
        if (Fout is not null)
        {
            return null;
        }
        var rubriek = Rubriek is { Length: > 2 } && Rubriek.StartsWith("r:", StringComparison.Ordinal) ? Rubriek[2..] : null;
        var wijk = Gebied is { Length: > 2 } && Gebied.StartsWith("w:", StringComparison.Ordinal) ? Gebied[2..] : null;
        var buurt = Gebied is { Length: > 2 } && Gebied.StartsWith("b:", StringComparison.Ordinal) ? Gebied[2..] : null;
        return new Invoer(Volgorde!.Value, rubriek, wijk, buurt, VanUur, TotUur, team!.Value);
    }

    private async Task<IActionResult> FoutAsync(CancellationToken cancellationToken)
    {
        Bewerk = RegelId;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        await LaadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostToevoegenAsync(CancellationToken cancellationToken)
    {
        RegelId = null;
        if (Lees() is not { } invoer)
        {
            return await FoutAsync(cancellationToken);
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var id = await connection.QuerySingleAsync<int>(
            new CommandDefinition(
                """
                INSERT INTO routeringsregel (volgorde, rubriek_id, wijk_code, buurt_code, van_uur, tot_uur, team_id)
                VALUES (@Volgorde, (SELECT id FROM rubriek WHERE code = @Rubriek), @Wijk, @Buurt, @VanUur, @TotUur, @Team)
                RETURNING id
                """,
                invoer,
                transaction,
                cancellationToken: cancellationToken
            )
        );
        await Audit.SchrijfAsync(
            connection,
            transaction,
            Actor.Van(User),
            "routering-toegevoegd",
            null,
            null,
            new
            {
                id,
                invoer.Volgorde,
                rubriek = invoer.Rubriek,
                wijk = invoer.Wijk,
                buurt = invoer.Buurt,
                invoer.VanUur,
                invoer.TotUur,
                team = invoer.Team,
            },
            cancellationToken
        );
        await transaction.CommitAsync(cancellationToken);
        Bericht = b["routering.ok.toegevoegd"];
        return RedirectToPage();
    }

    /// <summary>Saves changes to an existing rule.</summary>
    public async Task<IActionResult> OnPostOpslaanAsync(CancellationToken cancellationToken)
    {
        if (Lees() is not { } invoer)
        {
            return await FoutAsync(cancellationToken);
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var voor = await connection.QuerySingleOrDefaultAsync<(
            int Volgorde,
            short? RubriekId,
            string? Wijk,
            string? Buurt,
            short? Van,
            short? Tot,
            short Team
        )?>(
            new CommandDefinition(
                """
                SELECT volgorde, rubriek_id, wijk_code, buurt_code, van_uur, tot_uur, team_id
                    FROM routeringsregel WHERE id = @RegelId AND actief FOR UPDATE
                """,
                new { RegelId },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        if (voor is not { } regel)
        {
            return NotFound();
        }
        await connection.ExecuteAsync(
            new CommandDefinition(
                """
                UPDATE routeringsregel SET volgorde = @Volgorde,
                    rubriek_id = (SELECT id FROM rubriek WHERE code = @Rubriek), wijk_code = @Wijk,
                       buurt_code = @Buurt, van_uur = @VanUur, tot_uur = @TotUur, team_id = @Team
                WHERE id = @id
                """,
                new
                {
                    invoer.Volgorde,
                    invoer.Rubriek,
                    invoer.Wijk,
                    invoer.Buurt,
                    invoer.VanUur,
                    invoer.TotUur,
                    invoer.Team,
                    id = RegelId,
                },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        await Audit.SchrijfAsync(
            connection,
            transaction,
            Actor.Van(User),
            "routering-gewijzigd",
            null,
            new
            {
                id = RegelId,
                regel.Volgorde,
                regel.RubriekId,
                regel.Wijk,
                regel.Buurt,
                regel.Van,
                regel.Tot,
                regel.Team,
            },
            new
            {
                id = RegelId,
                invoer.Volgorde,
                rubriek = invoer.Rubriek,
                wijk = invoer.Wijk,
                buurt = invoer.Buurt,
                invoer.VanUur,
                invoer.TotUur,
                team = invoer.Team,
            },
            cancellationToken
        );
        await transaction.CommitAsync(cancellationToken);
        Bericht = b["routering.ok.gewijzigd"];
        return RedirectToPage();
    }

    /// <summary>Moves a rule one place up or down in evaluation order (volgorde, then id): it takes
    /// its neighbour's number and the neighbour takes its; with equal numbers it steps one past it.</summary>
    public async Task<IActionResult> OnPostVerplaatsenAsync(CancellationToken cancellationToken)
    {
        var omhoog = Richting == "omhoog";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(
            new CommandDefinition(
                "LOCK TABLE routeringsregel IN SHARE ROW EXCLUSIVE MODE",
                transaction: transaction,
                cancellationToken: cancellationToken
            )
        );
        var regels = (
            await connection.QueryAsync<(int Id, int Volgorde)>(
                new CommandDefinition(
                    "SELECT id, volgorde FROM routeringsregel WHERE actief ORDER BY volgorde, id",
                    transaction: transaction,
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();
        var i = regels.FindIndex(r => r.Id == RegelId);
        if (i < 0)
        {
            return NotFound();
        }
        var j = omhoog ? i - 1 : i + 1;
        if (j >= 0 && j < regels.Count)
        {
            var (hier, buur) = (regels[i], regels[j]);
            var (nieuwHier, nieuwBuur) =
                hier.Volgorde != buur.Volgorde
                    ? (buur.Volgorde, hier.Volgorde)
                    : (omhoog ? buur.Volgorde - 1 : buur.Volgorde + 1, buur.Volgorde);
            await connection.ExecuteAsync(
                new CommandDefinition(
                    """
                    UPDATE routeringsregel SET volgorde = CASE id WHEN @hier THEN @nieuwHier ELSE @nieuwBuur END
                        WHERE id IN (@hier, @buur)
                    """,
                    new
                    {
                        hier = hier.Id,
                        buur = buur.Id,
                        nieuwHier,
                        nieuwBuur,
                    },
                    transaction,
                    cancellationToken: cancellationToken
                )
            );
            await Audit.SchrijfAsync(
                connection,
                transaction,
                Actor.Van(User),
                "routering-volgorde",
                null,
                new { id = hier.Id, volgorde = hier.Volgorde },
                new
                {
                    id = hier.Id,
                    volgorde = nieuwHier,
                    richting = omhoog ? "omhoog" : "omlaag",
                },
                cancellationToken
            );
        }
        await transaction.CommitAsync(cancellationToken);
        Bericht = b["routering.ok.volgorde"];
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostVerwijderenAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var voor = await connection.QuerySingleOrDefaultAsync<(
            int Volgorde,
            short? RubriekId,
            string? Wijk,
            string? Buurt,
            short? Van,
            short? Tot,
            short Team
        )?>(
            new CommandDefinition(
                """
                DELETE FROM routeringsregel WHERE id = @RegelId
                    RETURNING volgorde, rubriek_id, wijk_code, buurt_code, van_uur, tot_uur, team_id
                """,
                new { RegelId },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        if (voor is not { } regel)
        {
            return NotFound();
        }
        await Audit.SchrijfAsync(
            connection,
            transaction,
            Actor.Van(User),
            "routering-verwijderd",
            null,
            new
            {
                id = RegelId,
                regel.Volgorde,
                regel.RubriekId,
                regel.Wijk,
                regel.Buurt,
                regel.Van,
                regel.Tot,
                regel.Team,
            },
            null,
            cancellationToken
        );
        await transaction.CommitAsync(cancellationToken);
        Bericht = b["routering.ok.verwijderd"];
        return RedirectToPage();
    }

    private async Task LaadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        Regels = (
            await connection.QueryAsync<Regel>(
                new CommandDefinition(
                    """
                    SELECT rr.id, rr.volgorde, in_taal(r.naam, r.naam_en, @taal) AS rubriek, coalesce(b.naam, w.naam) AS gebied,
                        rr.van_uur AS vanuur, rr.tot_uur AS totuur, t.naam AS team
                    FROM routeringsregel rr
                    JOIN team t ON t.id = rr.team_id
                    LEFT JOIN rubriek r ON r.id = rr.rubriek_id
                    LEFT JOIN wijk w ON w.code = rr.wijk_code
                    LEFT JOIN buurt b ON b.code = rr.buurt_code
                    WHERE rr.actief
                    ORDER BY rr.volgorde, rr.id
                    """,
                    new { taal = Taal.Code },
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();
        Termijnen = (
            await connection.QueryAsync<Termijn>(
                new CommandDefinition(
                    """
                    SELECT in_taal(naam, naam_en, @taal) AS rubriek, afhandeltermijn_dagen AS dagen, termijn_werkdagen AS werkdagen
                    FROM rubriek ORDER BY volgorde
                    """,
                    new { taal = Taal.Code },
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();
        Keuzes = await MeldingenZoeken.KeuzesAsync(connection, cancellationToken);
    }
}
