using Dapper;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Npgsql;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Meldingen.Sjablonen;

/// <summary>/beheer/sjablonen/nieuw and /beheer/sjablonen/{id} (beheerder): name, text and whether
/// the report page offers the template. A new one goes to the end of the list. Audited.</summary>
public sealed class BewerkenModel(NpgsqlDataSource dataSource, IStringLocalizer<Wijkmeldingen.Web.BeheerTekst> b) : PageModel
{
    public const int MaxTekst = 2000;

    public bool IsNieuw => RouteData.Values["id"] as string == "nieuw";

    /// <summary>"nieuw" is null; anything else that is no number is -1, which no template has.</summary>
    private static short? Nummer(string id) =>
        id == "nieuw" ? null
        : short.TryParse(id, out var n) ? n
        : (short)-1;

    [BindProperty]
    public string? Naam { get; set; }

    [BindProperty]
    public string? Tekst { get; set; }

    [BindProperty]
    public bool Actief { get; set; } = true;

    public Dictionary<string, string> Fouten { get; } = [];

    [TempData]
    public string? Bericht { get; set; }

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        var nummer = Nummer(id);
        if (nummer is null)
        {
            return Page();
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if ((await Sjablonen.AlleAsync(connection, cancellationToken)).FirstOrDefault(s => s.Id == nummer) is not { } sjabloon)
        {
            return NotFound();
        }
        (Naam, Tekst, Actief) = (sjabloon.Naam, sjabloon.Tekst, sjabloon.Actief);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string id, CancellationToken cancellationToken)
    {
        var nummer = Nummer(id);
        var naam = Naam?.Trim() ?? "";
        var tekst = Tekst?.Trim() ?? "";
        if (naam.Length is 0 or > 100)
        {
            Fouten["naam"] = b["sjablonen.fout.naam"];
        }
        if (tekst.Length is 0 or > MaxTekst)
        {
            Fouten["tekst"] = b["sjablonen.fout.tekst", MaxTekst];
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var alle = await Sjablonen.AlleAsync(connection, cancellationToken);
        var voor = nummer is null ? null : alle.FirstOrDefault(s => s.Id == nummer);
        if (nummer is not null && voor is null)
        {
            return NotFound();
        }
        if (alle.Any(s => s.Id != nummer && string.Equals(s.Naam, naam, StringComparison.OrdinalIgnoreCase)))
        {
            Fouten["naam"] = b["sjablonen.fout.dubbel"];
        }
        if (Fouten.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var opgeslagen = nummer
            ?? await connection.QuerySingleAsync<short>(
                new CommandDefinition(
                    """
                    INSERT INTO antwoord_sjabloon (naam, tekst, actief, volgorde)
                    VALUES (@naam, @tekst, @Actief, (SELECT coalesce(max(volgorde), 0) + 1 FROM antwoord_sjabloon))
                    RETURNING id
                    """,
                    new
                    {
                        naam,
                        tekst,
                        Actief,
                    },
                    transaction,
                    cancellationToken: cancellationToken
                )
            );
        if (voor is not null)
        {
            await connection.ExecuteAsync(
                new CommandDefinition(
                    "UPDATE antwoord_sjabloon SET naam = @naam, tekst = @tekst, actief = @Actief WHERE id = @id",
                    new
                    {
                        id = nummer,
                        naam,
                        tekst,
                        Actief,
                    },
                    transaction,
                    cancellationToken: cancellationToken
                )
            );
        }
        await Audit.SchrijfAsync(
            connection,
            transaction,
            Actor.Van(User),
            voor is null ? "sjabloon-aangemaakt" : "sjabloon-gewijzigd",
            null,
            voor is null
                ? null
                : new
                {
                    id = voor.Id,
                    voor.Naam,
                    voor.Tekst,
                    voor.Actief,
                },
            new
            {
                id = opgeslagen,
                naam,
                tekst,
                actief = Actief,
            },
            cancellationToken
        );
        await transaction.CommitAsync(cancellationToken);
        Bericht = b["sjablonen.ok.opgeslagen", naam];
        return Redirect("/beheer/sjablonen");
    }
}
