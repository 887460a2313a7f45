using Dapper;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Npgsql;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Fotos;

namespace Wijkmeldingen.Web.Features.Wandelingen.Beheer;

/// <summary>/beheer/wandelingen/{id}/verslag: the walk afterwards for staff — route, observations
/// and visited places at their exact place, how many attended, and where each report stands — and the
/// organiser's summary and photos for the public report (/wijkwandelingen/{id}/verslag).</summary>
[RequestFormLimits(MultipartBodyLengthLimit = 15 * 1024 * 1024)]
[RequestSizeLimit(15 * 1024 * 1024)]
public sealed class VerslagModel(
    NpgsqlDataSource dataSource,
    WandelingPlanning planning,
    FotoVerwerker fotoVerwerker,
    IStringLocalizer<Wijkmeldingen.Web.BeheerTekst> b
) : PageModel
{
    public sealed record Rij(
        long Id,
        string Volgcode,
        string Soort,
        string Rubriek,
        string Status,
        string StatusNaam,
        bool Gesloten,
        bool Gevoelig,
        string? Team,
        string BuurtNaam,
        double Lat,
        double Lon,
        string? LaatsteBericht
    );

    public WandelingPlanning.Wandeling Wandeling { get; private set; } = null!;
    public IReadOnlyList<Rij> Meldingen { get; private set; } = [];
    public IReadOnlyList<Rij> Waarnemingen => Meldingen.Where(m => m.Soort == "waarneming").ToList();

    public IReadOnlyList<WandelingFotos.Foto> Fotos { get; private set; } = [];
    public Dictionary<string, string> Fouten { get; } = [];
    public int MaxFotos => WandelingFotos.MaxAantal;

    [BindProperty]
    public string? Samenvatting { get; set; }

    [BindProperty]
    public IFormFile? Foto { get; set; }

    [BindProperty]
    public string? Beschrijving { get; set; }

    [TempData]
    public string? Bericht { get; set; }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken)
    {
        if (!await LaadAsync(id, cancellationToken))
        {
            return NotFound();
        }
        Samenvatting = Wandeling.Samenvatting;
        return Page();
    }

    public async Task<IActionResult> OnPostSamenvattingAsync(long id, CancellationToken cancellationToken)
    {
        if (!await LaadAsync(id, cancellationToken))
        {
            return NotFound();
        }
        var tekst = (Samenvatting ?? "").Trim();
        if (tekst.Length > 5000)
        {
            Fouten[nameof(Samenvatting)] = b["verslag.fout.samenvatting"];
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(
            new CommandDefinition(
                "UPDATE wandeling SET samenvatting = @tekst, gewijzigd_op = now() WHERE id = @id",
                new { id, tekst },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        await Audit.SchrijfAsync(
            connection,
            transaction,
            Actor.Van(User),
            "wandeling-samenvatting",
            null,
            null,
            new { wandeling = id },
            cancellationToken
        );
        await transaction.CommitAsync(cancellationToken);
        Bericht = b["verslag.samenvatting.ok"];
        return Redirect($"/beheer/wandelingen/{id}/verslag");
    }

    public async Task<IActionResult> OnPostFotoAsync(long id, CancellationToken cancellationToken)
    {
        if (!await LaadAsync(id, cancellationToken))
        {
            return NotFound();
        }
        Samenvatting ??= Wandeling.Samenvatting;
        var beschrijving = (Beschrijving ?? "").Trim();
        if (beschrijving.Length is 0 or > 300)
        {
            Fouten[nameof(Beschrijving)] = b["verslag.fout.beschrijving"];
        }
        if (Fotos.Count >= MaxFotos)
        {
            Fouten[nameof(Foto)] = b["verslag.fout.teveel", MaxFotos];
        }
        FotoResultaat? foto = null;
        if (Foto is not { Length: > 0 })
        {
            Fouten.TryAdd(nameof(Foto), b["verslag.fout.geenfoto"]);
        }
        else if (!Fouten.ContainsKey(nameof(Foto)))
        {
            await using var stream = Foto.OpenReadStream();
            foto = await fotoVerwerker.VerwerkAsync(stream, Foto.FileName, cancellationToken);
            if (!foto.Gelukt)
            {
                Fouten[nameof(Foto)] = foto.Fout!;
            }
        }
        if (Fouten.Count > 0 || foto is not { Gelukt: true })
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(
            new CommandDefinition(
                """
                INSERT INTO wandeling_foto (wandeling_id, jpeg, breedte, hoogte, beschrijving)
                VALUES (@id, @Jpeg, @Breedte, @Hoogte, @beschrijving)
                """,
                new
                {
                    id,
                    foto.Jpeg,
                    foto.Breedte,
                    foto.Hoogte,
                    beschrijving,
                },
                cancellationToken: cancellationToken
            )
        );
        Bericht = b["verslag.foto.ok"];
        return Redirect($"/beheer/wandelingen/{id}/verslag");
    }

    public async Task<IActionResult> OnPostFotoVerwijderenAsync(long id, long foto, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var weg = await connection.ExecuteAsync(
            new CommandDefinition(
                "DELETE FROM wandeling_foto WHERE id = @foto AND wandeling_id = @id",
                new { id, foto },
                cancellationToken: cancellationToken
            )
        );
        if (weg == 0)
        {
            return NotFound();
        }
        Bericht = b["verslag.foto.weg"];
        return Redirect($"/beheer/wandelingen/{id}/verslag");
    }

    /// <summary>The photo itself, for the organiser (also before the walk is public).</summary>
    public async Task<IActionResult> OnGetFotoAsync(long id, long foto, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var jpeg = await connection.QuerySingleOrDefaultAsync<byte[]?>(
            new CommandDefinition(
                "SELECT jpeg FROM wandeling_foto WHERE id = @foto AND wandeling_id = @id",
                new { id, foto },
                cancellationToken: cancellationToken
            )
        );
        return jpeg is null ? NotFound() : File(jpeg, "image/jpeg");
    }

    private async Task<bool> LaadAsync(long id, CancellationToken cancellationToken)
    {
        if (await planning.LaadAsync(id, cancellationToken) is not { } wandeling)
        {
            return false;
        }
        Wandeling = wandeling;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        Fotos = await WandelingFotos.LijstAsync(connection, id, cancellationToken);
        Meldingen = (
            await connection.QueryAsync<Rij>(
                new CommandDefinition(
                    """
                    SELECT m.id, m.volgcode, CASE WHEN m.wandeling_id = @id THEN 'waarneming' ELSE 'bezoek' END AS soort,
                           in_taal(r.naam, r.naam_en, @taal) AS rubriek, m.status,
                           in_taal(s.naam, s.naam_en, @taal) AS statusnaam, s.gesloten,
                               r.openbaarheid = 'verborgen' AS gevoelig, t.naam AS team, b.naam AS buurtnaam,
                           ST_Y(ST_Transform(m.locatie, 4326)) AS lat, ST_X(ST_Transform(m.locatie, 4326)) AS lon,
                           (SELECT h.bericht FROM melding_historie h
                               WHERE h.melding_id = m.id AND h.bericht IS NOT NULL
                               ORDER BY h.tijdstip DESC, h.id DESC LIMIT 1) AS laatstebericht
                    FROM melding m
                    JOIN rubriek r ON r.id = m.rubriek_id
                    JOIN meldingstatus s ON s.code = m.status
                    JOIN buurt b ON b.code = m.buurt_code
                    LEFT JOIN team t ON t.id = m.team_id
                    WHERE m.wandeling_id = @id OR m.id IN (SELECT melding_id FROM wandeling_melding WHERE wandeling_id = @id)
                    ORDER BY soort DESC, m.aangemaakt_op
                    """,
                    new { id, taal = Taal.Code },
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();
        return true;
    }
}
