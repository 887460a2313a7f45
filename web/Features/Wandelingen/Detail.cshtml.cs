using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Npgsql;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Wandelingen;

/// <summary>/wijkwandelingen/{id}: one walk (route, meeting point, time, places left) and signing up
/// without an account.</summary>
public sealed class DetailModel(
    NpgsqlDataSource dataSource,
    Aanmeldingen aanmeldingen,
    IOptions<WandelingenOptions> options,
    IStringLocalizer<Tekst> t,
    IOptions<PubliekOptions> kaart,
    TimeProvider klok
) : PageModel
{
    public Wandelingen.Wandeling Wandeling { get; private set; } = null!;

    /// <summary>Places to visit and, after the walk, its public observations (coarse places only).</summary>
    public IReadOnlyList<WandelingPunten.Punt> Punten { get; private set; } = [];

    /// <summary>The public summary, once a published walk is over.</summary>
    public WandelingPunten.Verslag? Verslag { get; private set; }
    public Dictionary<string, string> Fouten { get; } = [];
    public Aanmeldingen.Uitkomst? Uitkomst { get; private set; }
    public int MaxPersonen => options.Value.MaxPersonenPerAanmelding;
    public int BevestigenUren => options.Value.BevestigenUren;

    [BindProperty]
    public string? Naam { get; set; }

    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public int Personen { get; set; } = 1;

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken) =>
        await LaadAsync(id, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(long id, CancellationToken cancellationToken)
    {
        if (!await LaadAsync(id, cancellationToken))
        {
            return NotFound();
        }
        var naam = Naam?.Trim() ?? "";
        var email = Email?.Trim() ?? "";
        if (naam.Length is 0 or > 200)
        {
            Fouten[nameof(Naam)] = t["wandeling.fout.naam"];
        }
        if (!EmailAdres.IsGeldig(email))
        {
            Fouten[nameof(Email)] = t["fout.email"];
        }
        if (Personen < 1 || Personen > MaxPersonen)
        {
            Fouten[nameof(Personen)] = t["wandeling.fout.personen", MaxPersonen];
        }
        if (Fouten.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        var resultaat = await aanmeldingen.AanmeldenAsync(id, naam, email, Personen, cancellationToken);
        Uitkomst = resultaat.Uitkomst;
        if (resultaat.Uitkomst is Aanmeldingen.Uitkomst.Gesloten or Aanmeldingen.Uitkomst.AlAangemeld)
        {
            Response.StatusCode = StatusCodes.Status409Conflict;
        }
        await LaadAsync(id, cancellationToken);
        return Page();
    }

    private async Task<bool> LaadAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (await Wandelingen.LaadAsync(connection, id, cancellationToken) is not { } wandeling)
        {
            return false;
        }
        Wandeling = wandeling;
        var voorbij = wandeling.Status == "gepubliceerd" && wandeling.Einde <= klok.GetUtcNow();
        Punten = await WandelingPunten.PubliekAsync(connection, id, voorbij, kaart.Value.PubliekRasterMeters, cancellationToken);
        Verslag = voorbij ? await WandelingPunten.VerslagAsync(connection, id, cancellationToken) : null;
        return true;
    }
}
