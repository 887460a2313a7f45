using System.Globalization;
using Dapper;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Npgsql;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Wijkbeeld.Beheer.Verhalen;

/// <summary>/beheer/verhalen/nieuw and /beheer/verhalen/{id}: a narrative per wijk per period (whole
/// months van–tot), title and plain text with blank lines between paragraphs. Stored as typed (the
/// public page encodes it and makes paragraphs, never HTML); every change is audited.</summary>
public sealed class BewerkenModel(
    NpgsqlDataSource dataSource,
    WijkbeeldCijfers cijfers,
    IStringLocalizer<Wijkmeldingen.Web.WijkbeeldBeheerTekst> s
) : PageModel
{
    public const int MaxTitel = 200,
        MaxTekst = 10000;

    public sealed class Invoer
    {
        public string? Wijk { get; set; }

        /// <summary>First month, "2026-10".</summary>
        public string? Van { get; set; }

        /// <summary>Last month, "2026-12".</summary>
        public string? Tot { get; set; }
        public string? Titel { get; set; }
        public string? Tekst { get; set; }
    }

    [BindProperty]
    public Invoer Verhaal { get; set; } = new();

    public long? Id { get; private set; }
    public bool Gepubliceerd { get; private set; }
    public IReadOnlyList<Gebied> Wijken { get; private set; } = [];
    public Dictionary<string, string> Fouten { get; } = [];

    [TempData]
    public string? Bericht { get; set; }

    public async Task<IActionResult> OnGetAsync(string id, string? wijk, string? van, string? tot, CancellationToken cancellationToken)
    {
        Wijken = await cijfers.WijkenAsync(cancellationToken);
        if (id == "nieuw")
        {
            Verhaal = new Invoer
            {
                Wijk = wijk,
                Van = van,
                Tot = tot,
            };
            return Page();
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (
            !long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var nummer)
            || await LaadAsync(connection, null, nummer, cancellationToken) is not { } bestaand
        )
        {
            return NotFound();
        }
        Id = nummer;
        Verhaal = new Invoer
        {
            Wijk = bestaand.WijkCode,
            Van = bestaand.Van.ToString("yyyy-MM", CultureInfo.InvariantCulture),
            Tot = bestaand.Tot.ToString("yyyy-MM", CultureInfo.InvariantCulture),
            Titel = bestaand.Titel,
            Tekst = bestaand.Tekst,
        };
        Gepubliceerd = bestaand.GepubliceerdOp is not null;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string id, CancellationToken cancellationToken)
    {
        long? nummer = null;
        if (id != "nieuw")
        {
            if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                return NotFound();
            }
            nummer = n;
        }
        Id = nummer;
        Wijken = await cijfers.WijkenAsync(cancellationToken);
        var (van, tot) = Valideer();
        if (Fouten.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        var actor = Actor.Van(User);
        var v = new
        {
            nummer,
            wijk = Verhaal.Wijk,
            van,
            tot,
            titel = Verhaal.Titel!.Trim(),
            tekst = Normaliseer(Verhaal.Tekst!),
            actor.Id,
            actor.Naam,
        };
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        Opgeslagen? voor = null;
        if (nummer is null)
        {
            nummer = await connection.QuerySingleAsync<long>(
                new CommandDefinition(
                    """
                    INSERT INTO wijk_verhaal (wijk_code, van, tot, titel, tekst, auteur, medewerker_id)
                    VALUES (@wijk, @van, @tot, @titel, @tekst, @Naam, @Id)
                    RETURNING id
                    """,
                    v,
                    transaction,
                    cancellationToken: cancellationToken
                )
            );
        }
        else
        {
            voor = await LaadAsync(connection, transaction, nummer.Value, cancellationToken);
            if (voor is null)
            {
                return NotFound();
            }
            await connection.ExecuteAsync(
                new CommandDefinition(
                    """
                    UPDATE wijk_verhaal SET wijk_code = @wijk, van = @van, tot = @tot, titel = @titel, tekst = @tekst, gewijzigd_op = now()
                    WHERE id = @nummer
                    """,
                    v,
                    transaction,
                    cancellationToken: cancellationToken
                )
            );
        }
        await Audit.SchrijfAsync(
            connection,
            transaction,
            actor,
            voor is null ? "verhaal-toegevoegd" : "verhaal-gewijzigd",
            null,
            voor is null
                ? null
                : new
                {
                    id = nummer,
                    wijk = voor.WijkCode,
                    van = voor.Van.ToString("yyyy-MM", CultureInfo.InvariantCulture),
                    tot = voor.Tot.ToString("yyyy-MM", CultureInfo.InvariantCulture),
                    voor.Titel,
                    voor.Tekst,
                },
            new
            {
                id = nummer,
                v.wijk,
                van = Verhaal.Van,
                tot = Verhaal.Tot,
                v.titel,
                v.tekst,
            },
            cancellationToken
        );
        await transaction.CommitAsync(cancellationToken);
        Bericht = s["verhaal.ok", v.titel];
        return Redirect("/beheer/verhalen");
    }

    /// <summary>Line endings as "\n" and blank lines as exactly one, so paragraphs split on "\n\n".</summary>
    public static string Normaliseer(string tekst)
    {
        ArgumentNullException.ThrowIfNull(tekst);
        var regels = tekst.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n').Select(r => r.TrimEnd());
        var alineas = string.Join('\n', regels).Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return string.Join("\n\n", alineas.Where(a => a.Length > 0));
    }

    private (DateTime Van, DateTime Tot) Valideer()
    {
        var x = Verhaal;
        if (x.Wijk is null || !Wijken.Any(w => w.Code == x.Wijk))
        {
            Fouten["wijk"] = s["verhaal.fout.wijk"];
        }
        var van = Maand(x.Van);
        var tot = Maand(x.Tot);
        if (van is null)
        {
            Fouten["van"] = s["verhaal.fout.van"];
        }
        if (tot is null)
        {
            Fouten["tot"] = s["verhaal.fout.tot"];
        }
        else if (van is not null && tot < van)
        {
            Fouten["tot"] = s["verhaal.fout.volgorde"];
        }
        if (string.IsNullOrWhiteSpace(x.Titel) || x.Titel.Trim().Length > MaxTitel)
        {
            Fouten["titel"] = s["verhaal.fout.titel", MaxTitel];
        }
        if (string.IsNullOrWhiteSpace(x.Tekst) || Normaliseer(x.Tekst).Length > MaxTekst)
        {
            Fouten["tekst"] = s["verhaal.fout.tekst", MaxTekst.ToString("N0", CultureInfo.CurrentCulture)];
        }
        return (van ?? default, tot ?? default);
    }

    private static DateTime? Maand(string? waarde) =>
        DateTime.TryParseExact(waarde, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
        && d.Year is >= 2000 and <= 2100
            ? d
            : null;

    private sealed record Opgeslagen(string WijkCode, DateTime Van, DateTime Tot, string Titel, string Tekst, DateTime? GepubliceerdOp);

    private static Task<Opgeslagen?> LaadAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction,
        long id,
        CancellationToken cancellationToken
    ) =>
        connection.QuerySingleOrDefaultAsync<Opgeslagen?>(
            new CommandDefinition(
                """
                SELECT wijk_code AS wijkcode, van::timestamp AS van, tot::timestamp AS tot, titel, tekst, gepubliceerd_op AS gepubliceerdop
                FROM wijk_verhaal WHERE id = @id
                """,
                new { id },
                transaction,
                cancellationToken: cancellationToken
            )
        );
}
