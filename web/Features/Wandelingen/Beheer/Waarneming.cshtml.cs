using Dapper;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Npgsql;
using Wijkmeldingen.Web.Data;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Fotos;
using Wijkmeldingen.Web.Geo;

namespace Wijkmeldingen.Web.Features.Wandelingen.Beheer;

/// <summary>/beheer/wandelingen/{id}/waarneming: what the organiser sees on the walk, recorded on a
/// phone. Each observation is filed as a normal report through <see cref="MeldingOpslaan"/> (same
/// transaction, routing trigger, triage) with <c>melding.wandeling_id</c> set and bron 'wandeling';
/// the organiser is the source, so no melder e-mail is asked or sent.</summary>
[RequestFormLimits(MultipartBodyLengthLimit = 40 * 1024 * 1024)]
[RequestSizeLimit(40 * 1024 * 1024)]
public sealed class WaarnemingModel(
    NpgsqlDataSource dataSource,
    WandelingPlanning planning,
    FotoVerwerker fotoVerwerker,
    IOptions<MeldenOptions> melden,
    IOptions<KaartTegelOptions> kaart,
    IStringLocalizer<Tekst> t,
    IStringLocalizer<Wijkmeldingen.Web.BeheerTekst> b,
    TimeProvider klok,
    WijkMetrics metrics
) : PageModel
{
    public sealed record Waarneming(long Id, string Volgcode, string Rubriek, string StatusNaam, DateTime AangemaaktOp)
    {
        public DateTimeOffset Moment => new(DateTime.SpecifyKind(AangemaaktOp, DateTimeKind.Utc));
    }

    [BindProperty]
    public MeldingInvoer Invoer { get; set; } = new();

    /// <summary>Most photos per report (<c>Fotos:MaxAantal</c>).</summary>
    public int MaxFotos => fotoVerwerker.MaxAantal;

    public WandelingPlanning.Wandeling Wandeling { get; private set; } = null!;
    public IReadOnlyList<Rubrieken.Thema> Themas { get; private set; } = [];
    public IReadOnlyList<Waarneming> Waarnemingen { get; private set; } = [];
    public Dictionary<string, string> Fouten { get; } = [];
    public KaartTegelOptions Kaart => kaart.Value;

    [TempData]
    public string? Bericht { get; set; }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken)
    {
        if (!await LaadAsync(id, cancellationToken))
        {
            return NotFound();
        }
        Invoer = new MeldingInvoer { IdempotentieSleutel = Guid.NewGuid() };
        Invoer.ZetPlek(Wandeling.StartLat, Wandeling.StartLon);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(long id, CancellationToken cancellationToken)
    {
        if (!await LaadAsync(id, cancellationToken))
        {
            return NotFound();
        }
        if (Invoer.IdempotentieSleutel == Guid.Empty)
        {
            Invoer.IdempotentieSleutel = Guid.NewGuid();
        }
        // The organiser gives no e-mail address, time or melder type here; the form has no such fields.
        (Invoer.Email, Invoer.VoorgevallenOp, Invoer.MelderType, Invoer.Bedrijfsnaam) = (null, null, null, null);
        foreach (var (veld, fout) in Invoer.Valideer(melden.Value, t, klok.GetUtcNow(), Tijd.Amsterdam, MaxFotos))
        {
            Fouten[veld] = fout;
        }
        var rubriek = Themas.SelectMany(th => th.Rubrieken).FirstOrDefault(r => r.Code == Invoer.Rubriek);
        if (!Fouten.ContainsKey(nameof(MeldingInvoer.Rubriek)) && rubriek is null)
        {
            Fouten[nameof(MeldingInvoer.Rubriek)] = t["fout.rubriek"];
        }
        var fotos = await Invoer.VerwerkFotosAsync(fotoVerwerker, Fouten, cancellationToken);
        if (Fouten.Count > 0)
        {
            return Opnieuw();
        }

        var door = Actor.Van(User);
        var opdracht = new MeldingOpslaan.Opdracht(
            Invoer.IdempotentieSleutel,
            rubriek!.Code,
            Invoer.Omschrijving!.Trim(),
            Invoer.LatGetal!.Value,
            Invoer.LonGetal!.Value,
            null,
            null,
            null,
            null,
            fotos,
            [],
            Bron: "wandeling"
        );
        try
        {
            var resultaat = await MeldingOpslaan.UitvoerenAsync(
                dataSource,
                opdracht,
                async (connection, transaction, meldingId, volgcode, sleutel) =>
                {
                    await connection.ExecuteAsync(
                        new CommandDefinition(
                            "UPDATE melding SET wandeling_id = @id WHERE id = @meldingId",
                            new { id, meldingId },
                            transaction,
                            cancellationToken: cancellationToken
                        )
                    );
                    await Audit.SchrijfAsync(
                        connection,
                        transaction,
                        door,
                        "wandeling-waarneming",
                        meldingId,
                        null,
                        new { wandeling = id, rubriek = rubriek.Code },
                        cancellationToken
                    );
                },
                metrics,
                cancellationToken
            );
            Bericht = b["waarneming.ok", resultaat.Volgcode];
            return Redirect($"/beheer/wandelingen/{id}/waarneming");
        }
        catch (PostgresException e) when (e.IsBuitenGemeente())
        {
            Fouten[nameof(MeldingInvoer.Lat)] = t["fout.buitengemeente"];
        }
        catch (OnbekendeRubriekException)
        {
            Fouten[nameof(MeldingInvoer.Rubriek)] = t["fout.rubriek"];
        }
        return Opnieuw();
    }

    private PageResult Opnieuw()
    {
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private async Task<bool> LaadAsync(long id, CancellationToken cancellationToken)
    {
        if (await planning.LaadAsync(id, cancellationToken) is not { } wandeling)
        {
            return false;
        }
        Wandeling = wandeling;
        Themas = await Rubrieken.LaadAsync(dataSource, cancellationToken);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        Waarnemingen = (
            await connection.QueryAsync<Waarneming>(
                new CommandDefinition(
                    """
                    SELECT m.id, m.volgcode, in_taal(r.naam, r.naam_en, @taal) AS rubriek, in_taal(s.naam, s.naam_en, @taal) AS statusnaam,
                           m.aangemaakt_op AS aangemaaktop
                    FROM melding m JOIN rubriek r ON r.id = m.rubriek_id JOIN meldingstatus s ON s.code = m.status
                    WHERE m.wandeling_id = @id ORDER BY m.aangemaakt_op DESC, m.id DESC
                    """,
                    new { id, taal = Taal.Code },
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();
        return true;
    }
}
