using System.Globalization;
using Dapper;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Npgsql;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Mail;

namespace Wijkmeldingen.Web.Features.Wandelingen.Beheer;

/// <summary>/beheer/wandelingen/{id}/aanmeldingen (organisator, beheerder): who signed up and who
/// waits, the participant list as CSV, and one message to every participant through the outbox.
/// Personal data: this page and its export are the only places it is shown.</summary>
public sealed class AanmeldingenModel(
    NpgsqlDataSource dataSource,
    WandelingPlanning planning,
    IOptions<MailOptions> mail,
    IOptions<WandelingenOptions> opties,
    IStringLocalizer<Wijkmeldingen.Web.BeheerTekst> b
) : PageModel
{
    public sealed record Aanmelding(long Id, string Naam, string Email, int AantalPersonen, string Soort, DateTime AangemeldOp)
    {
        public DateTimeOffset Moment => new(DateTime.SpecifyKind(AangemeldOp, DateTimeKind.Utc));
    }

    public WandelingPlanning.Wandeling Wandeling { get; private set; } = null!;
    public IReadOnlyList<Aanmelding> Deelnemers { get; private set; } = [];
    public IReadOnlyList<Aanmelding> Wachtlijst { get; private set; } = [];

    /// <summary>Sign-ups whose confirmation link has not been used yet: shown, marked, but holding no
    /// place, not counted, not exported and not mailed.</summary>
    public IReadOnlyList<Aanmelding> Onbevestigd { get; private set; } = [];

    /// <summary>When an unconfirmed sign-up expires (WandelingenOptions.BevestigenUren after it was made).</summary>
    public DateTimeOffset Verloopt(Aanmelding a) =>
        (a ?? throw new ArgumentNullException(nameof(a))).Moment.AddHours(opties.Value.BevestigenUren);

    public Dictionary<string, string> Fouten { get; } = [];

    [BindProperty]
    public string? Onderwerp { get; set; }

    [BindProperty]
    public string? Tekst { get; set; }

    /// <summary>Idempotency key of one message: a double submit queues nothing twice.</summary>
    [BindProperty]
    public Guid Sleutel { get; set; }

    [TempData]
    public string? Bericht { get; set; }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken)
    {
        Sleutel = Guid.NewGuid();
        return await LaadAsync(id, cancellationToken) ? Page() : NotFound();
    }

    /// <summary>The participant list for Excel: semicolons, UTF-8 with BOM, Dutch headers.</summary>
    public async Task<IActionResult> OnGetCsvAsync(long id, CancellationToken cancellationToken)
    {
        if (!await LaadAsync(id, cancellationToken))
        {
            return NotFound();
        }
        var csv = WandelingCsv.Schrijf(
            [
                b["aanmeldingen.csv.naam"],
                b["aanmeldingen.csv.email"],
                b["aanmeldingen.csv.personen"],
                b["aanmeldingen.csv.soort"],
                b["aanmeldingen.csv.aangemeld"],
            ],
            Deelnemers
                .Concat(Wachtlijst)
                .Select(a =>
                    new[]
                    {
                        a.Naam,
                        a.Email,
                        a.AantalPersonen.ToString(CultureInfo.InvariantCulture),
                        b[$"aanmeldingen.soort.{a.Soort}"].Value,
                        Tijd.Lokaal(a.Moment).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                    }
                )
        );
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            // Exporting personal data is logged, as looking up a melder's contact details is.
            await Audit.SchrijfAsync(
                connection,
                null,
                Actor.Van(User),
                "wandeling-deelnemers-export",
                null,
                null,
                new { wandeling = id, aantal = Deelnemers.Count + Wachtlijst.Count },
                cancellationToken
            );
        }
        return File(csv, "text/csv; charset=utf-8", $"deelnemers-wandeling-{id}.csv");
    }

    public async Task<IActionResult> OnPostAsync(long id, CancellationToken cancellationToken)
    {
        if (!await LaadAsync(id, cancellationToken))
        {
            return NotFound();
        }
        var onderwerp = Onderwerp?.Trim() ?? "";
        var tekst = Tekst?.Trim() ?? "";
        if (onderwerp.Length is 0 or > 200 || onderwerp.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            Fouten[nameof(Onderwerp)] = b["aanmeldingen.fout.onderwerp"];
        }
        if (tekst.Length is 0 or > 5000)
        {
            Fouten[nameof(Tekst)] = b["aanmeldingen.fout.tekst"];
        }
        if (Deelnemers.Count == 0)
        {
            Fouten[nameof(Onderwerp)] = b["aanmeldingen.fout.geen"];
        }
        if (Sleutel == Guid.Empty)
        {
            Sleutel = Guid.NewGuid();
        }
        if (Fouten.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        var link = mail.Value.Link($"wijkwandelingen/{id}");
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var verstuurd = 0;
        foreach (var a in Deelnemers)
        {
            if (
                await Outbox.EnqueueAsync(
                    connection,
                    transaction,
                    new OutboxBericht(
                        $"wandeling-bericht:{Sleutel}:{a.Id}",
                        a.Email,
                        onderwerp,
                        b["aanmeldingen.mail.tekst", a.Naam, tekst, Wandeling.Titel, link]
                    ),
                    cancellationToken
                )
            )
            {
                verstuurd++;
            }
        }
        if (verstuurd > 0)
        {
            await Audit.SchrijfAsync(
                connection,
                transaction,
                Actor.Van(User),
                "wandeling-bericht",
                null,
                null,
                new
                {
                    wandeling = id,
                    onderwerp,
                    ontvangers = verstuurd,
                },
                cancellationToken
            );
        }
        await transaction.CommitAsync(cancellationToken);
        Bericht = b["aanmeldingen.ok", Deelnemers.Count];
        return Redirect($"/beheer/wandelingen/{id}/aanmeldingen");
    }

    private async Task<bool> LaadAsync(long id, CancellationToken cancellationToken)
    {
        if (await planning.LaadAsync(id, cancellationToken) is not { } wandeling)
        {
            return false;
        }
        Wandeling = wandeling;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var alle = (
            await connection.QueryAsync<Aanmelding>(
                new CommandDefinition(
                    """
                    SELECT id, naam, email, aantal_personen AS aantalpersonen, soort, aangemeld_op AS aangemeldop
                    FROM wandeling_aanmelding WHERE wandeling_id = @id AND soort IN ('deelnemer', 'wachtlijst', 'onbevestigd')
                    ORDER BY aangemeld_op, id
                    """,
                    new { id },
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();
        Deelnemers = alle.Where(a => a.Soort == "deelnemer").ToList();
        Wachtlijst = alle.Where(a => a.Soort == "wachtlijst").ToList();
        Onbevestigd = alle.Where(a => a.Soort == "onbevestigd").ToList();
        return true;
    }
}
