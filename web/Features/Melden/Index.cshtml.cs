using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Npgsql;
using Polly.Registry;
using Wijkmeldingen.Web.Data;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Fotos;
using Wijkmeldingen.Web.Geo;
using Wijkmeldingen.Web.Geo.Geocoding;
using Wijkmeldingen.Web.Hosting;

namespace Wijkmeldingen.Web.Features.Melden;

/// <summary>/melden: file a report on a map. Works without JavaScript; the page script adds the
/// map pin, address suggestions, duplicate hints and offline drafts.</summary>
[RequestFormLimits(MultipartBodyLengthLimit = 40 * 1024 * 1024)]
[RequestSizeLimit(40 * 1024 * 1024)]
public sealed class IndexModel(
    NpgsqlDataSource dataSource,
    ResiliencePipelineProvider<string> pipelines,
    IOptions<MeldenOptions> options,
    IOptions<KaartTegelOptions> kaart,
    MeldenRateLimiter rateLimiter,
    FotoVerwerker fotoVerwerker,
    IGeocoder geocoder,
    MeldingMails mails,
    IStringLocalizer<Tekst> t,
    TimeProvider klok,
    WijkMetrics metrics,
    ILogger<IndexModel> logger
) : PageModel
{
    [BindProperty]
    public MeldingInvoer Invoer { get; set; } = new();

    public IReadOnlyList<Rubrieken.Thema> Themas { get; private set; } = [];

    /// <summary>The extra questions of each category, by category code.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<RubriekVragen.Vraag>> Vragen { get; private set; } =
        new Dictionary<string, IReadOnlyList<RubriekVragen.Vraag>>();

    /// <summary>Set when the chosen category has questions the melder has not seen yet (no script): the
    /// form comes back with them, nothing is stored.</summary>
    public bool VragenTonen { get; private set; }

    /// <summary>Field → message, shown next to the field and in the summary at the top.</summary>
    public Dictionary<string, string> Fouten { get; private set; } = [];

    /// <summary>A message for the whole form (rate limit, database unavailable).</summary>
    public string? Melding { get; private set; }

    public IReadOnlyList<Guid> BewaardeFotos { get; private set; } = [];

    /// <summary>Places matching the typed address when the melder has no map (no JavaScript).</summary>
    public IReadOnlyList<Suggestie> PlekKeuzes { get; private set; } = [];

    public MeldenOptions Opties => options.Value;

    /// <summary>Most photos per report (<c>Fotos:MaxAantal</c>).</summary>
    public int MaxFotos => fotoVerwerker.MaxAantal;

    /// <summary>Largest photo in MB (<c>Fotos:MaxBytes</c>), for the hint.</summary>
    public long MaxFotoMegabytes => fotoVerwerker.MaxMegabytes;

    /// <summary>Set when no place was chosen and the place where the photo was taken was filled in
    /// instead: the form comes back so the melder can confirm it (or choose another) first.</summary>
    public string? FotoPlekVoorgesteld { get; private set; }

    public KaartTegelOptions Kaart => kaart.Value;

    public async Task OnGetAsync(double? lat, double? lon, string? rubriek, CancellationToken cancellationToken)
    {
        Invoer = new MeldingInvoer { IdempotentieSleutel = Guid.NewGuid(), Rubriek = rubriek };
        if (lat is not null && lon is not null)
        {
            Invoer.ZetPlek(lat.Value, lon.Value);
        }
        Themas = await Rubrieken.LaadAsync(dataSource, cancellationToken);
        Vragen = await RubriekVragen.AlleAsync(dataSource, cancellationToken);
        Invoer.VragenVoor = Invoer.Rubriek;
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (Invoer.IdempotentieSleutel == Guid.Empty)
        {
            Invoer.IdempotentieSleutel = Guid.NewGuid();
        }
        var pipeline = pipelines.GetPipeline(DatabaseResilience.PipelineName);
        try
        {
            Themas = await pipeline.ExecuteAsync(async ct => await Rubrieken.LaadAsync(dataSource, ct), cancellationToken);
            Vragen = await pipeline.ExecuteAsync(async ct => await RubriekVragen.AlleAsync(dataSource, ct), cancellationToken);
        }
        catch (Exception e) when (WebHosting.IsDatabaseUnavailable(e))
        {
            return Onbereikbaar(e);
        }

        if (!string.IsNullOrEmpty(Invoer.Website))
        {
            // Honeypot filled in: a bot. Nothing is stored; people never see this field.
            Melding = t["fout.honeypot"];
            return Opnieuw(StatusCodes.Status400BadRequest);
        }
        if (!rateLimiter.Toegestaan(HttpContext))
        {
            Melding = t["fout.ratelimiet"];
            return Opnieuw(StatusCodes.Status429TooManyRequests);
        }

        await ZoekPlekOpAdresAsync(cancellationToken);
        var zone = Tijd.Amsterdam;
        foreach (var (veld, fout) in Invoer.Valideer(options.Value, t, klok.GetUtcNow(), zone, MaxFotos))
        {
            Fouten.TryAdd(veld, fout);
        }
        var rubriek = Themas.SelectMany(th => th.Rubrieken).FirstOrDefault(r => r.Code == Invoer.Rubriek);
        if (!Fouten.ContainsKey(nameof(MeldingInvoer.Rubriek)) && rubriek is null)
        {
            Fouten[nameof(MeldingInvoer.Rubriek)] = t["fout.rubriek"];
        }

        var antwoorden = ControleerVragen(rubriek);

        // Photos: checked by content, re-encoded and stripped now, so even a failed submit keeps them.
        var nieuweFotos = await Invoer.VerwerkFotosAsync(fotoVerwerker, Fouten, cancellationToken);

        await StelFotoPlekVoorAsync(cancellationToken);
        if (Fouten.Count > 0 || FotoPlekVoorgesteld is not null || VragenTonen)
        {
            await BewaarFotosVoorOpnieuwAsync(nieuweFotos, cancellationToken);
            return Opnieuw(Fouten.Count > 0 ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK);
        }

        var opdracht = new MeldingOpslaan.Opdracht(
            Invoer.IdempotentieSleutel,
            rubriek!.Code,
            Invoer.Omschrijving!.Trim(),
            Invoer.LatGetal!.Value,
            Invoer.LonGetal!.Value,
            Invoer.LeesVoorgevallenOp(zone),
            string.IsNullOrEmpty(Invoer.MelderType) ? null : Invoer.MelderType,
            Invoer.MelderType == "ondernemer" && !string.IsNullOrWhiteSpace(Invoer.Bedrijfsnaam) ? Invoer.Bedrijfsnaam.Trim() : null,
            string.IsNullOrWhiteSpace(Invoer.Email) ? null : Invoer.Email.Trim(),
            nieuweFotos,
            Invoer.BewaardeFotos.ToList(),
            Antwoorden: antwoorden,
            Taal: Taal.Code
        );
        try
        {
            var resultaat = await pipeline.ExecuteAsync(
                async ct =>
                    await MeldingOpslaan.UitvoerenAsync(
                        dataSource,
                        opdracht,
                        opdracht.Email is null
                            ? null
                            : (c, tx, id, code, sleutel) =>
                                mails.OntvangstAsync(c, tx, id, code, sleutel, opdracht.Email, rubriek.Naam, ct),
                        metrics,
                        ct
                    ),
                cancellationToken
            );
            if (resultaat.MelderSleutel is not null)
            {
                TempData[BedanktModel.SleutelKey] = resultaat.MelderSleutel;
            }
            TempData[BedanktModel.EmailKey] = opdracht.Email is not null;
            return RedirectToPage("/Melden/Bedankt", new { code = resultaat.Volgcode });
        }
        catch (PostgresException e) when (e.IsBuitenGemeente())
        {
            Fouten[nameof(MeldingInvoer.Lat)] = t["fout.buitengemeente"];
        }
        catch (OnbekendeRubriekException)
        {
            Fouten[nameof(MeldingInvoer.Rubriek)] = t["fout.rubriek"];
        }
        catch (Exception e) when (WebHosting.IsDatabaseUnavailable(e))
        {
            return Onbereikbaar(e);
        }
        await BewaarFotosVoorOpnieuwAsync(nieuweFotos, cancellationToken);
        return Opnieuw(StatusCodes.Status400BadRequest);
    }

    /// <summary>The chosen category's questions: a stop that always applies refuses; answers are checked
    /// once the melder has seen the questions (<see cref="MeldingInvoer.VragenVoor"/>); a category with a
    /// required question or a stop comes back with its questions first (no script). From then on the page
    /// marks them as seen.</summary>
    private List<RubriekVragen.Antwoord> ControleerVragen(Rubrieken.Rubriek? rubriek)
    {
        if (rubriek is null || !Vragen.TryGetValue(rubriek.Code, out var vragen) || vragen.Count == 0)
        {
            return [];
        }
        // Optional questions do not hold up a melder without script; required ones and stops do.
        var gezien = Invoer.VragenVoor == rubriek.Code || !vragen.Any(v => v.Verplicht || v.Soort == RubriekVragen.Soorten.Stop);
        Invoer.VragenVoor = rubriek.Code;
        ModelState.Remove("Invoer.VragenVoor");
        var controle = RubriekVragen.Controleer(vragen, code => Invoer.Antwoorden.GetValueOrDefault(code), t);
        if (!gezien)
        {
            VragenTonen = true;
            // Only a category that must not be reported here speaks before the melder has seen the questions.
            if (controle.Stop is { Variabel: false } stop)
            {
                Fouten.TryAdd(stop.Veld, controle.Fouten[stop.Veld]);
            }
            return [];
        }
        foreach (var (veld, fout) in controle.Fouten)
        {
            Fouten.TryAdd(veld, fout);
        }
        return controle.Antwoorden.ToList();
    }

    /// <summary>Without JavaScript the melder types an address and gets no pin: find the place on
    /// the server. One clear match is taken; several are offered as a choice.</summary>
    private async Task ZoekPlekOpAdresAsync(CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(Invoer.PlekKeuze))
        {
            Invoer.Plek = Invoer.PlekKeuze;
        }
        if (
            (Invoer.LatGetal is not null && Invoer.LonGetal is not null)
            || string.IsNullOrWhiteSpace(Invoer.Plek)
            || Invoer.Plek.Length > 100
        )
        {
            return;
        }
        var gevonden = await geocoder.SuggestAsync(Invoer.Plek.Trim(), 5, cancellationToken);
        var gekozen = gevonden.FirstOrDefault(s => string.Equals(s.Weergavenaam, Invoer.Plek.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? (gevonden.Count == 1 ? gevonden[0] : null);
        if (gekozen is not null && Wkt.LeesPunt(gekozen.CentroideLl) is { } punt)
        {
            Invoer.ZetPlek(punt.Lat, punt.Lon);
            Invoer.Plek = gekozen.Weergavenaam;
            return;
        }
        PlekKeuzes = gevonden;
        Fouten[nameof(MeldingInvoer.Lat)] = gevonden.Count > 0 ? t["melden.waar.keuze"] : t["fout.plek.onbekend"];
    }

    /// <summary>No place chosen (no pin, no address) but a photo that says where it was taken, inside
    /// the municipality: that place is filled in and offered; the melder confirms by sending again.
    /// This is what the page script offers before the pin step, done on the server for a browser
    /// without JavaScript.</summary>
    private async Task StelFotoPlekVoorAsync(CancellationToken cancellationToken)
    {
        if (Invoer.LatGetal is not null || !string.IsNullOrWhiteSpace(Invoer.Plek) || Invoer.FotoPlek is not { } foto)
        {
            return;
        }
        Plaatsnaam? plaats;
        try
        {
            plaats = await geocoder.OmgekeerdAsync(foto.Lat, foto.Lon, cancellationToken);
        }
        catch (Exception e) when (WebHosting.IsDatabaseUnavailable(e))
        {
            logger.LogWarning(e, "Could not name the place of a photo");
            return;
        }
        if (plaats is null)
        {
            Fouten[nameof(MeldingInvoer.Lat)] = t["melden.fotos.gps.buiten"];
            return;
        }
        Invoer.ZetPlek(foto.Lat, foto.Lon);
        Invoer.Plek = plaats.Weergavenaam;
        // The posted (empty) values would otherwise win over the model in the re-shown form.
        ModelState.Remove("Invoer.Lat");
        ModelState.Remove("Invoer.Lon");
        Fouten.Remove(nameof(MeldingInvoer.Lat));
        FotoPlekVoorgesteld = plaats.Weergavenaam;
    }

    private PageResult Onbereikbaar(Exception e)
    {
        logger.LogWarning(e, "Database unavailable while filing a report");
        Melding = t["fout.onbereikbaar"];
        BewaardeFotos = Invoer.BewaardeFotos.ToList();
        return Opnieuw(StatusCodes.Status503ServiceUnavailable);
    }

    private PageResult Opnieuw(int status)
    {
        Response.StatusCode = status;
        if (BewaardeFotos.Count == 0)
        {
            BewaardeFotos = Invoer.BewaardeFotos.ToList();
        }
        return Page();
    }

    /// <summary>Keeps the stripped photos of a failed submit for a day so the melder need not choose them again.</summary>
    private async Task BewaarFotosVoorOpnieuwAsync(List<MeldingOpslaan.Foto> fotos, CancellationToken cancellationToken)
    {
        var ids = Invoer.BewaardeFotos.Take(MaxFotos).ToList();
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            foreach (var foto in fotos.Take(MaxFotos - ids.Count))
            {
                var id = Guid.NewGuid();
                await Dapper.SqlMapper.ExecuteAsync(
                    connection,
                    "INSERT INTO foto_upload (id, jpeg, breedte, hoogte) VALUES (@id, @Jpeg, @Breedte, @Hoogte)",
                    new
                    {
                        id,
                        foto.Jpeg,
                        foto.Breedte,
                        foto.Hoogte,
                    }
                );
                ids.Add(id);
            }
            // Only ids that really exist (and have not expired) are offered again.
            ids = (
                await Dapper.SqlMapper.QueryAsync<Guid>(
                    connection,
                    "SELECT id FROM foto_upload WHERE id = ANY(@ids) ORDER BY aangemaakt_op",
                    new { ids = ids.ToArray() }
                )
            ).ToList();
        }
        catch (Exception e) when (WebHosting.IsDatabaseUnavailable(e))
        {
            logger.LogWarning(e, "Could not keep uploaded photos of a failed submit");
        }
        BewaardeFotos = ids;
        Invoer.BewaardeFotos = ids;
    }
}
