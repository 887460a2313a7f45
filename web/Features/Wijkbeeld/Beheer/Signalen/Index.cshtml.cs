using Dapper;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Npgsql;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Wijkbeeld.Beheer.Signalen;

/// <summary>/beheer/signalen (wijkprofessional, beheerder): open repeat-location and new-hotspot
/// alerts of one's team, and the ones marked as seen; "Gezien" acknowledges an alert (audited).</summary>
public sealed class IndexModel(NpgsqlDataSource dataSource, IStringLocalizer<Wijkmeldingen.Web.WijkbeeldBeheerTekst> s) : PageModel
{
    public IReadOnlyList<SignalenLijst.Signaal> Open { get; private set; } = [];
    public IReadOnlyList<SignalenLijst.Signaal> Gezien { get; private set; } = [];

    [TempData]
    public string? Bericht { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        Open = await SignalenLijst.OpenAsync(connection, User, 200, cancellationToken);
        Gezien = await SignalenLijst.GezienAsync(connection, User, 50, cancellationToken);
    }

    public async Task<IActionResult> OnPostGezienAsync(long id, string? terug, CancellationToken cancellationToken)
    {
        var actor = Actor.Van(User);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var omschrijving = await connection.QuerySingleOrDefaultAsync<string>(
            new CommandDefinition(
                """
                UPDATE wijk_signaal SET gezien_op = coalesce(gezien_op, now()), gezien_door = coalesce(gezien_door, @Naam),
                                        gezien_medewerker_id = coalesce(gezien_medewerker_id, @Id)
                WHERE id = @signaal
                RETURNING omschrijving
                """,
                new
                {
                    signaal = id,
                    actor.Naam,
                    actor.Id,
                },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        if (omschrijving is null)
        {
            return NotFound();
        }
        await Audit.SchrijfAsync(connection, transaction, actor, "signaal-gezien", null, null, new { id, omschrijving }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        Bericht = s["signalen.ok", omschrijving];
        return Redirect(terug == "/beheer" ? "/beheer" : "/beheer/signalen");
    }
}
