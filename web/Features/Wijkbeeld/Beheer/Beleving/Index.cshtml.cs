using Dapper;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Npgsql;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Wijkbeeld.Beheer.Beleving;

/// <summary>/beheer/beleving (beheerder): import perceived-safety figures (e.g. the
/// Veiligheidsmonitor) from a CSV. Upload shows a preview with every line's problems; only a file
/// without any problem can be imported, and then all its lines are upserted into wijk_beleving in one
/// transaction (audited). The public wijk page shows the figures beside the report figures.</summary>
public sealed class IndexModel(NpgsqlDataSource dataSource, IStringLocalizer<Wijkmeldingen.Web.WijkbeeldBeheerTekst> s) : PageModel
{
    public sealed record Bestaand(
        string WijkCode,
        string WijkNaam,
        short Jaar,
        string Indicator,
        string Omschrijving,
        decimal Waarde,
        string Eenheid,
        string Bron
    );

    public IReadOnlyList<Bestaand> Cijfers { get; private set; } = [];
    public BelevingCsv.Resultaat? Voorbeeld { get; private set; }

    /// <summary>The decoded file, carried to the import step in a hidden field.</summary>
    public string? Inhoud { get; private set; }
    public string? Fout { get; private set; }
    public string? Bestandsnaam { get; private set; }

    [TempData]
    public string? Bericht { get; set; }

    public Task OnGetAsync(CancellationToken cancellationToken) => LaadAsync(cancellationToken);

    public async Task<IActionResult> OnPostVoorbeeldAsync(IFormFile? bestand, CancellationToken cancellationToken)
    {
        if (bestand is null || bestand.Length == 0)
        {
            Fout = s["beleving.fout.geenbestand"];
        }
        else if (bestand.Length > BelevingCsv.MaxBytes)
        {
            Fout = s["beleving.fout.groot", BelevingCsv.MaxBytes / 1024];
        }
        else
        {
            using var buffer = new MemoryStream();
            await bestand.CopyToAsync(buffer, cancellationToken);
            Bestandsnaam = Path.GetFileName(bestand.FileName);
            Inhoud = BelevingCsv.Decodeer(buffer.ToArray());
            if (Inhoud is null)
            {
                Fout = s["beleving.fout.utf8"];
            }
            else
            {
                Voorbeeld = BelevingCsv.Lees(Inhoud, await WijkenAsync(cancellationToken));
            }
        }
        if (Fout is not null || Voorbeeld!.Fouten.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        await LaadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostImporterenAsync(string? inhoud, CancellationToken cancellationToken)
    {
        var resultaat = BelevingCsv.Lees(inhoud ?? "", await WijkenAsync(cancellationToken));
        if (resultaat.Fouten.Count > 0 || (inhoud?.Length ?? 0) > BelevingCsv.MaxBytes)
        {
            Voorbeeld = resultaat;
            Inhoud = inhoud;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            await LaadAsync(cancellationToken);
            return Page();
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var nieuw = await connection.ExecuteScalarAsync<int>(
            new CommandDefinition(
                """
                WITH ingelezen AS (
                    INSERT INTO wijk_beleving (wijk_code, jaar, indicator, omschrijving, waarde, eenheid, bron)
                    SELECT * FROM unnest(@wijken::text[], @jaren::smallint[], @indicatoren::text[], @omschrijvingen::text[],
                                         @waarden::numeric[], @eenheden::text[], @bronnen::text[])
                    ON CONFLICT (gemeente_code, wijk_code, indicator, jaar) DO UPDATE
                    SET omschrijving = excluded.omschrijving, waarde = excluded.waarde, eenheid = excluded.eenheid,
                        bron = excluded.bron, ingelezen_op = now()
                    RETURNING xmax = 0 AS nieuw
                )
                SELECT count(*) FILTER (WHERE nieuw) FROM ingelezen
                """,
                new
                {
                    wijken = resultaat.Regels.Select(r => r.WijkCode).ToArray(),
                    jaren = resultaat.Regels.Select(r => r.Jaar).ToArray(),
                    indicatoren = resultaat.Regels.Select(r => r.Indicator).ToArray(),
                    omschrijvingen = resultaat.Regels.Select(r => r.Omschrijving).ToArray(),
                    waarden = resultaat.Regels.Select(r => r.Waarde).ToArray(),
                    eenheden = resultaat.Regels.Select(r => r.Eenheid).ToArray(),
                    bronnen = resultaat.Regels.Select(r => r.Bron).ToArray(),
                },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        var bijgewerkt = resultaat.Regels.Count - nieuw;
        await Audit.SchrijfAsync(
            connection,
            transaction,
            Actor.Van(User),
            "beleving-ingelezen",
            null,
            null,
            new
            {
                regels = resultaat.Regels.Count,
                nieuw,
                bijgewerkt,
                wijken = resultaat.Regels.Select(r => r.WijkCode).Distinct().Order().ToArray(),
                jaren = resultaat.Regels.Select(r => r.Jaar).Distinct().Order().ToArray(),
            },
            cancellationToken
        );
        await transaction.CommitAsync(cancellationToken);
        Bericht = s["beleving.ok", resultaat.Regels.Count, nieuw, bijgewerkt];
        return Redirect("/beheer/beleving");
    }

    /// <summary>The message of a problem in the reader's language.</summary>
    public string Tekst(BelevingFout fout)
    {
        ArgumentNullException.ThrowIfNull(fout);
        var bericht = s[fout.Sleutel, fout.Argumenten].Value;
        return fout.Regel == 0 ? bericht : s["beleving.fout.regel", fout.Regel, bericht].Value;
    }

    private async Task<IReadOnlySet<string>> WijkenAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (
            await connection.QueryAsync<string>(new CommandDefinition("SELECT code FROM wijk", cancellationToken: cancellationToken))
        ).ToHashSet();
    }

    private async Task LaadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        Cijfers = (
            await connection.QueryAsync<Bestaand>(
                new CommandDefinition(
                    """
                    SELECT b.wijk_code AS wijkcode, w.naam AS wijknaam, b.jaar, b.indicator, b.omschrijving, b.waarde, b.eenheid, b.bron
                    FROM wijk_beleving b JOIN wijk w ON w.code = b.wijk_code
                    ORDER BY b.jaar DESC, b.wijk_code, b.indicator
                    LIMIT 1000
                    """,
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();
    }
}
