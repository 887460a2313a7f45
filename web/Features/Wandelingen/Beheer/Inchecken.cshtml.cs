using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Wijkmeldingen.Web.Features.Wandelingen.Beheer;

/// <summary>/beheer/wandelingen/{id}/inchecken (organisator, beheerder), made for the organiser's phone
/// at the meeting point: enter a participant's code (or scan their QR code with the phone's camera,
/// which opens this page with the code filled in), tap a name, add walk-ins, take people off.</summary>
public sealed class IncheckenModel(
    NpgsqlDataSource dataSource,
    WandelingPlanning planning,
    IOptions<WandelingenOptions> options,
    IStringLocalizer<Wijkmeldingen.Web.BeheerTekst> b,
    TimeProvider klok
) : PageModel
{
    public WandelingPlanning.Wandeling Wandeling { get; private set; } = null!;
    public IReadOnlyList<Aanwezigheid.Persoon> Personen { get; private set; } = [];
    public Dictionary<string, string> Fouten { get; } = [];
    public bool Open { get; private set; }
    public int MaxPersonen => options.Value.MaxPersonenPerAanmelding;
    public int Aanwezig => Personen.Where(p => p.Aanwezig).Sum(p => p.AanwezigPersonen);

    [BindProperty(SupportsGet = true)]
    public string? Code { get; set; }

    [BindProperty]
    public string? Naam { get; set; }

    [BindProperty]
    public int Aantal { get; set; } = 1;

    [TempData]
    public string? Bericht { get; set; }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken) =>
        await LaadAsync(id, cancellationToken) ? Page() : NotFound();

    /// <summary>Check in by code.</summary>
    public async Task<IActionResult> OnPostAsync(long id, CancellationToken cancellationToken)
    {
        if (!await LaadAsync(id, cancellationToken))
        {
            return NotFound();
        }
        if (!Open)
        {
            return NietOpen();
        }
        if (Incheckcode.Normaliseer(Code) is not { } code)
        {
            Fouten[nameof(Code)] = b["inchecken.fout.code"];
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        var resultaat = await Aanwezigheid.MetCodeAsync(dataSource, id, code, cancellationToken);
        if (resultaat.Uitkomst == Aanwezigheid.Uitkomst.Onbekend)
        {
            Fouten[nameof(Code)] = b["inchecken.fout.onbekend", code];
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        return Klaar(id, resultaat);
    }

    /// <summary>Check in by tapping a name on the list; for a sign-up of several people, ?personen= (or
    /// the form's Personen) says how many of them came, else all did.</summary>
    public async Task<IActionResult> OnPostAanwezigAsync(long id, long aanmelding, int? personen, CancellationToken cancellationToken)
    {
        if (!await LaadAsync(id, cancellationToken))
        {
            return NotFound();
        }
        if (!Open)
        {
            return NietOpen();
        }
        if (Personen.FirstOrDefault(p => p.Id == aanmelding) is not { } persoon)
        {
            return NotFound();
        }
        if (personen is { } n && (n < 1 || n > persoon.AantalPersonen))
        {
            Fouten[$"Personen-{aanmelding}"] = b["inchecken.fout.personen", persoon.AantalPersonen];
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        var resultaat = await Aanwezigheid.MetIdAsync(dataSource, id, aanmelding, cancellationToken, personen);
        return resultaat.Uitkomst == Aanwezigheid.Uitkomst.Onbekend ? NotFound() : Klaar(id, resultaat);
    }

    /// <summary>Changes how many of a checked-in sign-up's people are present (2 of the 3 came).</summary>
    public async Task<IActionResult> OnPostPersonenAsync(long id, long aanmelding, int? personen, CancellationToken cancellationToken)
    {
        if (!await LaadAsync(id, cancellationToken))
        {
            return NotFound();
        }
        if (!Open)
        {
            return NietOpen();
        }
        if (Personen.FirstOrDefault(p => p.Id == aanmelding) is not { } persoon)
        {
            return NotFound();
        }
        if (personen is not { } n || n < 1 || n > persoon.AantalPersonen)
        {
            Fouten[$"Personen-{aanmelding}"] = b["inchecken.fout.personen", persoon.AantalPersonen];
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        if (await Aanwezigheid.AantalAsync(dataSource, id, aanmelding, n, cancellationToken) is not { } naam)
        {
            return NotFound();
        }
        Bericht = b["inchecken.personen.ok", naam, n, persoon.AantalPersonen];
        return Redirect($"/beheer/wandelingen/{id}/inchecken");
    }

    public async Task<IActionResult> OnPostVerwijderenAsync(long id, long aanmelding, CancellationToken cancellationToken)
    {
        if (!await LaadAsync(id, cancellationToken))
        {
            return NotFound();
        }
        if (!Open)
        {
            return NietOpen();
        }
        if (await Aanwezigheid.VerwijderenAsync(dataSource, id, aanmelding, cancellationToken) is not { } naam)
        {
            return NotFound();
        }
        Bericht = b["inchecken.verwijderd", naam];
        return Redirect($"/beheer/wandelingen/{id}/inchecken");
    }

    public async Task<IActionResult> OnPostToevoegenAsync(long id, CancellationToken cancellationToken)
    {
        if (!await LaadAsync(id, cancellationToken))
        {
            return NotFound();
        }
        if (!Open)
        {
            return NietOpen();
        }
        var naam = Naam?.Trim() ?? "";
        if (naam.Length is 0 or > 200)
        {
            Fouten[nameof(Naam)] = b["inchecken.fout.naam"];
        }
        if (Aantal < 1 || Aantal > MaxPersonen)
        {
            Fouten[nameof(Aantal)] = b["inchecken.fout.aantal", MaxPersonen];
        }
        if (Fouten.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        await Aanwezigheid.ToevoegenAsync(dataSource, id, naam, Aantal, cancellationToken);
        Bericht = b["inchecken.toegevoegd", naam, Aantal];
        return Redirect($"/beheer/wandelingen/{id}/inchecken");
    }

    private RedirectResult Klaar(long id, Aanwezigheid.Resultaat resultaat)
    {
        Bericht =
            resultaat.Uitkomst == Aanwezigheid.Uitkomst.AlIngecheckt
                ? b["inchecken.al", resultaat.Naam!]
                : b["inchecken.ok", resultaat.Naam!, resultaat.Personen];
        return Redirect($"/beheer/wandelingen/{id}/inchecken");
    }

    private PageResult NietOpen()
    {
        Fouten[nameof(Code)] = b["inchecken.fout.nietopen", Aanwezigheid.OpentUrenVooraf];
        Response.StatusCode = StatusCodes.Status409Conflict;
        return Page();
    }

    private async Task<bool> LaadAsync(long id, CancellationToken cancellationToken)
    {
        if (await planning.LaadAsync(id, cancellationToken) is not { } wandeling)
        {
            return false;
        }
        Wandeling = wandeling;
        Open = Aanwezigheid.IsOpen(wandeling, klok.GetUtcNow());
        Personen = await Aanwezigheid.LijstAsync(dataSource, id, cancellationToken);
        return true;
    }
}
