using Dapper;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Wijkmeldingen.Web.Data;
using Wijkmeldingen.Web.Geo;

namespace Wijkmeldingen.Web.Features.Wijkbeeld;

/// <summary>/wijken/{wijkcode}: the public picture of one wijk for a period against the previous
/// equal period, with its buurten, when in the week things happen, and published stories.</summary>
public sealed class WijkModel(WijkbeeldCijfers cijfers, LeesDatabase lezen, TimeProvider klok, IOptions<KaartTegelOptions> kaart)
    : PageModel
{
    public KaartTegelOptions Kaart => kaart.Value;

    /// <summary>The buurten map's classes, shared by the map, its legend and the buurten table.</summary>
    public BuurtKaart.Indeling Indeling { get; private set; } = null!;

    public sealed record Verhaal(string Titel, string Tekst, string Auteur, DateTime Van, DateTime Tot, DateTime GepubliceerdOp);

    /// <summary>A perceived-safety figure with last year's value of the same indicator, when known.</summary>
    public sealed record Beleving(
        string Indicator,
        string Omschrijving,
        short Jaar,
        decimal Waarde,
        string Eenheid,
        string Bron,
        short? VorigJaar,
        decimal? VorigeWaarde
    );

    public WijkbeeldWeergave Beeld { get; private set; } = null!;
    public IReadOnlyList<Verhaal> Verhalen { get; private set; } = [];
    public IReadOnlyList<Beleving> Belevingen { get; private set; } = [];
    public Tevredenheid.Cijfer Tevreden { get; private set; } = new(0, 0);

    public async Task<IActionResult> OnGetAsync(string wijkcode, CancellationToken cancellationToken)
    {
        var periode = WijkenExports.LeesPeriode(Request, klok);
        var data = await cijfers.LaadAsync(wijkcode, periode, publiek: true, cancellationToken);
        if (data is null)
        {
            return NotFound();
        }
        Beeld = WijkbeeldWeergave.Maak(data, cijfers.Drempel);
        Indeling = BuurtKaart.Deel(Beeld.Buurten);

        // Published stories about (part of) this period.
        await using var connection = await lezen.Bron.OpenConnectionAsync(cancellationToken);
        Verhalen = (
            await connection.QueryAsync<Verhaal>(
                new CommandDefinition(
                    """
                    SELECT titel, tekst, auteur, van::timestamp AS van, tot::timestamp AS tot, gepubliceerd_op AS gepubliceerdop
                    FROM wijk_verhaal
                    WHERE wijk_code = @wijkcode AND gepubliceerd_op IS NOT NULL AND van <= @tot AND tot >= @van
                    ORDER BY van DESC, gepubliceerd_op DESC
                    """,
                    new
                    {
                        wijkcode,
                        van = periode.Van,
                        tot = periode.Tot,
                    },
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();

        Tevreden = await Tevredenheid.LaadAsync(connection, wijkcode, periode, cancellationToken);

        // Perceived safety: per indicator the latest year up to the period's end, with the year before.
        Belevingen = (
            await connection.QueryAsync<Beleving>(
                new CommandDefinition(
                    """
                    SELECT DISTINCT ON (b.indicator) b.indicator, b.omschrijving, b.jaar, b.waarde, b.eenheid, b.bron,
                           v.jaar AS vorigjaar, v.waarde AS vorigewaarde
                    FROM wijk_beleving b
                    LEFT JOIN wijk_beleving v ON v.wijk_code = b.wijk_code AND v.indicator = b.indicator AND v.jaar = b.jaar - 1
                    WHERE b.wijk_code = @wijkcode AND b.jaar <= @jaar
                    ORDER BY b.indicator, b.jaar DESC
                    """,
                    new { wijkcode, jaar = periode.Tot.Year },
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();
        return Page();
    }
}
