using System.Text.RegularExpressions;
using Dapper;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Npgsql;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Beheer.Rubrieken;

/// <summary>/beheer/rubrieken/{id}/vragen/{vraag} (beheerder): one extra question of a category
/// (<see cref="RubriekVragen"/>): its kind, text in Dutch and English, choices, whether it is required,
/// its order, and for a stop the number to call. Saving and deleting are audited.</summary>
public sealed partial class VraagModel(NpgsqlDataSource dataSource, IStringLocalizer<Wijkmeldingen.Web.BeheerTekst> b) : PageModel
{
    public sealed class Invoer
    {
        public string? Code { get; set; }
        public string? Soort { get; set; }
        public bool Verplicht { get; set; }
        public string? Vraag { get; set; }
        public string? VraagEn { get; set; }
        public string? Toelichting { get; set; }
        public string? ToelichtingEn { get; set; }

        /// <summary>One choice per line.</summary>
        public string? Keuzes { get; set; }
        public string? KeuzesEn { get; set; }
        public string? Telefoon { get; set; }
        public bool StopAltijd { get; set; }
        public short? Volgorde { get; set; }
    }

    [BindProperty]
    public Invoer Vraag { get; set; } = new();

    public short RubriekId { get; private set; }
    public string RubriekNaam { get; private set; } = "";
    public int? VraagId { get; private set; }
    public Dictionary<string, string> Fouten { get; } = [];

    public async Task<IActionResult> OnGetAsync(short id, string vraag, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (!await LaadRubriekAsync(connection, id, cancellationToken))
        {
            return NotFound();
        }
        if (vraag == "nieuw")
        {
            Vraag = new Invoer { Soort = RubriekVragen.Soorten.Keuze, Volgorde = 1 };
            return Page();
        }
        if (!int.TryParse(vraag, out var vraagId) || await LaadAsync(connection, null, id, vraagId, cancellationToken) is not { } gevonden)
        {
            return NotFound();
        }
        VraagId = vraagId;
        Vraag = gevonden;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(short id, string vraag, CancellationToken cancellationToken)
    {
        int? vraagId =
            vraag == "nieuw" ? null
            : int.TryParse(vraag, out var n) ? n
            : -1;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (vraagId == -1 || !await LaadRubriekAsync(connection, id, cancellationToken))
        {
            return NotFound();
        }
        VraagId = vraagId;
        var v = Vraag;
        Valideer(nieuw: vraagId is null);
        if (Fouten.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        var stop = v.Soort == RubriekVragen.Soorten.Stop;
        var parameters = new
        {
            rubriekId = id,
            vraagId,
            code = v.Code?.Trim(),
            v.Soort,
            verplicht = v.Verplicht && !(stop && v.StopAltijd),
            vraag = v.Vraag!.Trim(),
            vraagEn = Leeg(v.VraagEn),
            toelichting = Leeg(v.Toelichting),
            toelichtingEn = Leeg(v.ToelichtingEn),
            keuzes = v.Soort == RubriekVragen.Soorten.Keuze ? Regels(v.Keuzes) : [],
            keuzesEn = v.Soort == RubriekVragen.Soorten.Keuze ? Regels(v.KeuzesEn) : [],
            telefoon = stop ? Leeg(v.Telefoon) : null,
            stopAltijd = stop && v.StopAltijd,
            v.Volgorde,
        };
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        Invoer? voor = null;
        try
        {
            if (vraagId is null)
            {
                vraagId = await connection.QuerySingleAsync<int>(
                    new CommandDefinition(
                        """
                        INSERT INTO rubriek_vraag (rubriek_id, code, soort, verplicht, vraag, vraag_en, toelichting, toelichting_en,
                                                   keuzes, keuzes_en, telefoon, stop_altijd, volgorde)
                        VALUES (@rubriekId, @code, @Soort, @verplicht, @vraag, @vraagEn, @toelichting, @toelichtingEn,
                                @keuzes, @keuzesEn, @telefoon, @stopAltijd, @Volgorde)
                        RETURNING id
                        """,
                        parameters,
                        transaction,
                        cancellationToken: cancellationToken
                    )
                );
            }
            else
            {
                voor = await LaadAsync(connection, transaction, id, vraagId.Value, cancellationToken);
                if (voor is null)
                {
                    return NotFound();
                }
                await connection.ExecuteAsync(
                    new CommandDefinition(
                        """
                        UPDATE rubriek_vraag SET soort = @Soort, verplicht = @verplicht, vraag = @vraag, vraag_en = @vraagEn,
                               toelichting = @toelichting, toelichting_en = @toelichtingEn, keuzes = @keuzes, keuzes_en = @keuzesEn,
                               telefoon = @telefoon, stop_altijd = @stopAltijd, volgorde = @Volgorde
                        WHERE id = @vraagId AND rubriek_id = @rubriekId
                        """,
                        parameters,
                        transaction,
                        cancellationToken: cancellationToken
                    )
                );
            }
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UniqueViolation)
        {
            await transaction.RollbackAsync(cancellationToken);
            Fouten["code"] = b["vraag.fout.code.bestaat"];
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        await Audit.SchrijfAsync(
            connection,
            transaction,
            Actor.Van(User),
            voor is null ? "rubriekvraag-toegevoegd" : "rubriekvraag-gewijzigd",
            null,
            voor is null
                ? null
                : new
                {
                    rubriek = id,
                    vraagId,
                    voor.Code,
                    voor.Soort,
                    voor.Vraag,
                    voor.Verplicht,
                    voor.Keuzes,
                },
            new
            {
                rubriek = id,
                vraagId,
                parameters.code,
                v.Soort,
                parameters.vraag,
                parameters.verplicht,
                parameters.keuzes,
                parameters.stopAltijd,
            },
            cancellationToken
        );
        await transaction.CommitAsync(cancellationToken);
        TempData["Bericht"] = b["vraag.ok"].Value;
        return Redirect($"/beheer/rubrieken/{id}#vragen");
    }

    public async Task<IActionResult> OnPostVerwijderenAsync(short id, string vraag, CancellationToken cancellationToken)
    {
        if (!int.TryParse(vraag, out var vraagId))
        {
            return NotFound();
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var voor = await LaadAsync(connection, transaction, id, vraagId, cancellationToken);
        if (voor is null)
        {
            return NotFound();
        }
        await connection.ExecuteAsync(
            new CommandDefinition(
                "DELETE FROM rubriek_vraag WHERE id = @vraagId",
                new { vraagId },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        await Audit.SchrijfAsync(
            connection,
            transaction,
            Actor.Van(User),
            "rubriekvraag-verwijderd",
            null,
            new
            {
                rubriek = id,
                vraagId,
                voor.Code,
                voor.Soort,
                voor.Vraag,
            },
            null,
            cancellationToken
        );
        await transaction.CommitAsync(cancellationToken);
        TempData["Bericht"] = b["vraag.verwijderd"].Value;
        return Redirect($"/beheer/rubrieken/{id}#vragen");
    }

    private void Valideer(bool nieuw)
    {
        var v = Vraag;
        if (nieuw && (v.Code is null || !CodePatroon().IsMatch(v.Code.Trim()) || v.Code.Trim() == "voorgevallen_op"))
        {
            Fouten["code"] = b["vraag.fout.code"];
        }
        if (!RubriekVragen.Soorten.Alle.Contains(v.Soort))
        {
            Fouten["soort"] = b["vraag.fout.soort"];
        }
        if (string.IsNullOrWhiteSpace(v.Vraag) || v.Vraag.Trim().Length > 300)
        {
            Fouten["vraag"] = b["vraag.fout.vraag"];
        }
        if (v.VraagEn?.Trim() is { Length: > 300 })
        {
            Fouten["vraagen"] = b["vraag.fout.vraag"];
        }
        if (v.Toelichting?.Trim() is { Length: > 500 })
        {
            Fouten["toelichting"] = b["vraag.fout.toelichting"];
        }
        if (v.ToelichtingEn?.Trim() is { Length: > 500 })
        {
            Fouten["toelichtingen"] = b["vraag.fout.toelichting"];
        }
        if (v.Soort == RubriekVragen.Soorten.Keuze)
        {
            var keuzes = Regels(v.Keuzes);
            if (keuzes.Length < 2 || keuzes.Any(k => k.Length > 100) || keuzes.Distinct().Count() != keuzes.Length)
            {
                Fouten["keuzes"] = b["vraag.fout.keuzes"];
            }
            var keuzesEn = Regels(v.KeuzesEn);
            if (keuzesEn.Length > 0 && keuzesEn.Length != keuzes.Length)
            {
                Fouten["keuzesen"] = b["vraag.fout.keuzesen"];
            }
        }
        if (v.Soort == RubriekVragen.Soorten.Stop && (v.Telefoon is null || !TelefoonPatroon().IsMatch(v.Telefoon.Trim())))
        {
            Fouten["telefoon"] = b["vraag.fout.telefoon"];
        }
        if (v.Volgorde is null or < 0)
        {
            Fouten["volgorde"] = b["rubriek.fout.volgorde"];
        }
    }

    private async Task<bool> LaadRubriekAsync(NpgsqlConnection connection, short id, CancellationToken cancellationToken)
    {
        RubriekId = id;
        var naam = await connection.QuerySingleOrDefaultAsync<string?>(
            new CommandDefinition("SELECT naam FROM rubriek WHERE id = @id", new { id }, cancellationToken: cancellationToken)
        );
        RubriekNaam = naam ?? "";
        return naam is not null;
    }

    private static async Task<Invoer?> LaadAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction,
        short rubriekId,
        int vraagId,
        CancellationToken cancellationToken
    )
    {
        var rij = await connection.QuerySingleOrDefaultAsync<RubriekVragen.Vraag?>(
            new CommandDefinition(
                """
                SELECT v.id, r.code AS rubriekcode, v.code, v.soort, v.verplicht, v.vraag AS vraagnl, v.vraag_en AS vraagen,
                       v.toelichting AS toelichtingnl, v.toelichting_en AS toelichtingen, v.keuzes, v.keuzes_en AS keuzesen,
                       v.telefoon, v.stop_altijd AS stopaltijd, v.volgorde
                FROM rubriek_vraag v JOIN rubriek r ON r.id = v.rubriek_id
                WHERE v.id = @vraagId AND v.rubriek_id = @rubriekId
                """,
                new { vraagId, rubriekId },
                transaction,
                cancellationToken: cancellationToken
            )
        );
        return rij is null
            ? null
            : new Invoer
            {
                Code = rij.Code,
                Soort = rij.Soort,
                Verplicht = rij.Verplicht,
                Vraag = rij.VraagNl,
                VraagEn = rij.VraagEn,
                Toelichting = rij.ToelichtingNl,
                ToelichtingEn = rij.ToelichtingEn,
                Keuzes = string.Join('\n', rij.Keuzes),
                KeuzesEn = string.Join('\n', rij.KeuzesEn),
                Telefoon = rij.Telefoon,
                StopAltijd = rij.StopAltijd,
                Volgorde = rij.Volgorde,
            };
    }

    private static string[] Regels(string? tekst) =>
        (tekst ?? "").Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static string? Leeg(string? tekst) => string.IsNullOrWhiteSpace(tekst) ? null : tekst.Trim();

    [GeneratedRegex("^[a-z][a-z0-9_]{1,39}$")]
    private static partial Regex CodePatroon();

    [GeneratedRegex("^[0-9][0-9 -]{1,19}$")]
    private static partial Regex TelefoonPatroon();
}
