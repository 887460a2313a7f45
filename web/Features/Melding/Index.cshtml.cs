using Dapper;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Npgsql;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Melding;

/// <summary>/melding/{code}: the public tracking page. Category, status, public history and a
/// coarsened place; never contact details, text or photos. A neighbour can follow the report by
/// e-mail instead of filing a duplicate. No satisfaction form: the code is public, only the melder
/// answers (mail link or private follow-up page).</summary>
public sealed class IndexModel(NpgsqlDataSource dataSource, MeldingMails mails, IStringLocalizer<Tekst> t, IOptions<PubliekOptions> kaart)
    : PageModel
{
    /// <summary>Staff's answer to the melder's "niet tevreden", if any (current episode).</summary>
    public string? BeoordelingAntwoord { get; private set; }

    public MeldingQueries.Publiek Melding { get; private set; } = null!;
    public IReadOnlyList<MeldingQueries.Stap> Historie { get; private set; } = [];

    /// <summary>The moderated public text, when Kaart:TekstOpenbaar is on (else null).</summary>
    public string? PubliekeTekst => kaart.Value.TekstOpenbaar ? Melding.PubliekeTekst : null;

    public IReadOnlyList<long> Fotos { get; private set; } = [];

    [BindProperty]
    public string? VolgEmail { get; set; }

    public string? VolgFout { get; private set; }

    [TempData]
    public string? Bevestiging { get; set; }

    public async Task<IActionResult> OnPostVolgenAsync(string code, CancellationToken cancellationToken)
    {
        if (Volgcode.Normaliseer(code) is not { } volgcode)
        {
            return NotFound();
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (
            await MeldingQueries.LaadPubliekAsync(connection, volgcode, cancellationToken, kaart.Value.PubliekRasterMeters)
            is not { } melding
        )
        {
            return NotFound();
        }
        var email = VolgEmail?.Trim() ?? "";
        if (!EmailAdres.IsGeldig(email))
        {
            VolgFout = t["fout.email"];
            Melding = melding;
            Historie = await MeldingQueries.LaadHistorieAsync(connection, melding.Id, cancellationToken);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        var sleutel = Sleutels.Nieuw();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Following twice is harmless: the second time renews the unsubscribe token and resends the mail.
        var volgerId = await connection.QuerySingleAsync<long>(
            new CommandDefinition(
                """
                INSERT INTO melding_volger (melding_id, email, sleutel_hash) VALUES (@id, @email, @hash)
                ON CONFLICT (melding_id, email) DO UPDATE SET sleutel_hash = EXCLUDED.sleutel_hash
                RETURNING id
                """,
                new
                {
                    id = melding.Id,
                    email,
                    hash = Sleutels.Hash(sleutel),
                },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        await connection.ExecuteAsync(
            new CommandDefinition(
                "DELETE FROM mail_outbox WHERE sleutel = @s AND verzonden_op IS NULL",
                new { s = $"melding-volgen:{volgerId}" },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        await mails.VolgenAsync(connection, transaction, volgerId, volgcode, melding.Rubriek, email, sleutel, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        Bevestiging = t["melding.volgen.ok"];
        return RedirectToPage(new { code = volgcode });
    }

    public async Task<IActionResult> OnGetAsync(string code, CancellationToken cancellationToken)
    {
        if (Volgcode.Normaliseer(code) is not { } volgcode)
        {
            return NotFound();
        }
        if (volgcode != code)
        {
            return RedirectToPagePermanent("/Melding/Index", new { code = volgcode });
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (
            await MeldingQueries.LaadPubliekAsync(connection, volgcode, cancellationToken, kaart.Value.PubliekRasterMeters)
            is not { } melding
        )
        {
            return NotFound();
        }
        Melding = melding;
        Historie = await MeldingQueries.LaadHistorieAsync(connection, melding.Id, cancellationToken);
        if (await Beoordeling.LaatsteAsync(connection, melding.Id, cancellationToken) is { } episode)
        {
            BeoordelingAntwoord = episode.Antwoord;
        }
        if (kaart.Value.TekstOpenbaar)
        {
            Fotos = await MeldingQueries.PubliekeFotosAsync(connection, melding.Id, cancellationToken);
        }
        return Page();
    }
}
