using Dapper;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Npgsql;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Melden;

/// <summary>/melden/bedankt/{code}: the confirmation after post/redirect/get. The private link is
/// shown once (it travels in protected TempData, never in the URL of this page).</summary>
public sealed class BedanktModel(NpgsqlDataSource dataSource) : PageModel
{
    public const string SleutelKey = "melder-sleutel";
    public const string EmailKey = "melder-email";

    public string Volgcode { get; private set; } = "";
    public string Rubriek { get; private set; } = "";
    public string? PriveLink { get; private set; }
    public bool EmailGestuurd { get; private set; }
    public Guid? IdempotentieSleutel { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? code, CancellationToken cancellationToken)
    {
        // A blank code (/melden/bedankt/%20 binds as null) is no code.
        if (string.IsNullOrWhiteSpace(code))
        {
            return NotFound();
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var melding = await connection.QuerySingleOrDefaultAsync<(string Volgcode, string Rubriek, Guid? Sleutel)?>(
            new CommandDefinition(
                """
                SELECT m.volgcode, in_taal(r.naam, r.naam_en, @taal), m.idempotentie_sleutel
                    FROM melding m JOIN rubriek r ON r.id = m.rubriek_id
                    WHERE m.volgcode = @code
                """,
                new { code = code.ToUpperInvariant(), taal = Taal.Code },
                cancellationToken: cancellationToken
            )
        );
        if (melding is null)
        {
            return NotFound();
        }
        (Volgcode, Rubriek, IdempotentieSleutel) = melding.Value;
        if (TempData[SleutelKey] is string sleutel)
        {
            PriveLink = $"/melding/{Volgcode}/opvolgen/{sleutel}";
        }
        EmailGestuurd = TempData[EmailKey] is true;
        return Page();
    }
}
