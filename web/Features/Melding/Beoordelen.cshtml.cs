using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Npgsql;

namespace Wijkmeldingen.Web.Features.Melding;

/// <summary>/melding/{code}/beoordelen: "are you satisfied?" after a report was handled. The mail's
/// one-click links open it with the choice preselected (?t=token&amp;keuze=...); GET never stores
/// anything (mail scanners follow links), the form's POST does, once per closed episode. Without a
/// token (the form on the tracking page) the report's current episode is answered.</summary>
public sealed class BeoordelenModel(NpgsqlDataSource dataSource, IStringLocalizer<Tekst> t, TimeProvider klok) : PageModel
{
    public string Volgcode { get; private set; } = "";
    public Beoordeling.Staat Staat { get; private set; }

    [BindProperty(SupportsGet = true, Name = "t")]
    public string? Sleutel { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Keuze { get; set; }

    [BindProperty]
    public string? Toelichting { get; set; }

    public Dictionary<string, string> Fouten { get; } = [];

    [TempData]
    public string? Bevestiging { get; set; }

    public async Task<IActionResult> OnGetAsync(string code, CancellationToken cancellationToken)
    {
        if (await EpisodeAsync(code, cancellationToken) is not { } episode)
        {
            return NotFound();
        }
        Staat = Beoordeling.StaatVan(episode, klok.GetUtcNow().UtcDateTime);
        if (Keuze is not ("tevreden" or "niet-tevreden"))
        {
            Keuze = null;
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string code, CancellationToken cancellationToken)
    {
        if (await EpisodeAsync(code, cancellationToken) is not { } episode)
        {
            return NotFound();
        }
        Staat = Beoordeling.StaatVan(episode, klok.GetUtcNow().UtcDateTime);
        if (Staat != Beoordeling.Staat.Open)
        {
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }
        Toelichting = string.IsNullOrWhiteSpace(Toelichting) ? null : Toelichting.Trim();
        if (Keuze is not ("tevreden" or "niet-tevreden"))
        {
            Fouten[nameof(Keuze)] = t["beoordelen.fout.keuze"];
        }
        if (Toelichting is { Length: > 2000 })
        {
            Fouten[nameof(Toelichting)] = t["beoordelen.fout.toelichting", Toelichting.Length];
        }
        if (Fouten.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (!await Beoordeling.GevenAsync(connection, episode.Id, Keuze == "tevreden", Toelichting, cancellationToken))
        {
            Staat = Beoordeling.Staat.Gegeven;
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }
        Bevestiging = t[Keuze == "tevreden" ? "beoordelen.ok.tevreden" : "beoordelen.ok.niettevreden"];
        return Redirect($"/melding/{Volgcode}");
    }

    private async Task<Beoordeling.Episode?> EpisodeAsync(string code, CancellationToken cancellationToken)
    {
        if (Domein.Volgcode.Normaliseer(code) is not { } volgcode)
        {
            return null;
        }
        Volgcode = volgcode;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (!string.IsNullOrEmpty(Sleutel))
        {
            return await Beoordeling.MetSleutelAsync(connection, volgcode, Sleutel, cancellationToken);
        }
        var meldingId = await Dapper.SqlMapper.QuerySingleOrDefaultAsync<long?>(
            connection,
            new Dapper.CommandDefinition(
                "SELECT id FROM melding WHERE volgcode = @volgcode",
                new { volgcode },
                cancellationToken: cancellationToken
            )
        );
        return meldingId is { } id ? await Beoordeling.LaatsteAsync(connection, id, cancellationToken) : null;
    }
}
