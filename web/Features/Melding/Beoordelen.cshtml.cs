using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Npgsql;

namespace Wijkmeldingen.Web.Features.Melding;

/// <summary>/melding/{code}/beoordelen: "are you satisfied?" after a report was handled. The mail's
/// one-click links open it with the choice preselected (?t=token&amp;keuze=...); GET never stores
/// anything (mail scanners follow links), the form's POST does, once per closed episode. The melder's
/// private follow-up page posts its link's token (m) instead and answers the report's current episode.
/// Tracking codes are public (map, open data, Open311, feeds), so without either token nothing is
/// shown or stored: 403 with a message.</summary>
public sealed class BeoordelenModel(NpgsqlDataSource dataSource, IStringLocalizer<Tekst> t, TimeProvider klok) : PageModel
{
    public string Volgcode { get; private set; } = "";
    public Beoordeling.Staat Staat { get; private set; }

    [BindProperty(SupportsGet = true, Name = "t")]
    public string? Sleutel { get; set; }

    /// <summary>The private follow-up link's token, posted by the form on that page.</summary>
    [BindProperty(SupportsGet = true, Name = "m")]
    public string? MelderSleutel { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Keuze { get; set; }

    /// <summary>Neither token came along: only the melder may answer.</summary>
    public bool Geweigerd { get; private set; }

    [BindProperty]
    public string? Toelichting { get; set; }

    public Dictionary<string, string> Fouten { get; } = [];

    [TempData]
    public string? Bevestiging { get; set; }

    public async Task<IActionResult> OnGetAsync(string code, CancellationToken cancellationToken)
    {
        if (Weigeren(code) is { } geweigerd)
        {
            return geweigerd;
        }
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
        if (Weigeren(code) is { } geweigerd)
        {
            return geweigerd;
        }
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
        // Back where the melder came from: the private page when its link answered, else the tracking page.
        return Redirect(
            Sleutel is null && MelderSleutel is not null
                ? $"/melding/{Volgcode}/opvolgen/{Uri.EscapeDataString(MelderSleutel)}"
                : $"/melding/{Volgcode}"
        );
    }

    /// <summary>A 403 page when neither the mail's token nor the private link's came along (and the
    /// code is well-formed; a malformed one is a 404 as before).</summary>
    private PageResult? Weigeren(string code)
    {
        if (!string.IsNullOrEmpty(Sleutel) || !string.IsNullOrEmpty(MelderSleutel) || Domein.Volgcode.Normaliseer(code) is not { } volgcode)
        {
            return null;
        }
        Volgcode = volgcode;
        Geweigerd = true;
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return Page();
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
        var meldingId = await MeldingQueries.ControleerSleutelAsync(connection, volgcode, MelderSleutel, cancellationToken);
        return meldingId is { } id ? await Beoordeling.LaatsteAsync(connection, id, cancellationToken) : null;
    }
}
