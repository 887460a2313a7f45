using System.Text.RegularExpressions;
using Dapper;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Npgsql;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Beheer.Rubrieken;

/// <summary>/beheer/rubrieken/{id} and /beheer/rubrieken/nieuw (beheerder): a category's name, help
/// text, advice (each with an optional English form, shown in the English UI), theme (and so
/// priority), public visibility, default anonymity, active flag, order and handling target; changes
/// take effect without a release and are audited.</summary>
public sealed partial class BewerkenModel(NpgsqlDataSource dataSource, IStringLocalizer<Wijkmeldingen.Web.BeheerTekst> b) : PageModel
{
    public static readonly string[] Openbaarheden = ["exact", "grof", "verborgen"];

    public sealed class Invoer
    {
        public string? Code { get; set; }
        public string? Naam { get; set; }
        public string? Uitleg { get; set; }
        public string? Advies { get; set; }

        // English forms; empty means the English UI shows the Dutch text.
        public string? NaamEn { get; set; }
        public string? UitlegEn { get; set; }
        public string? AdviesEn { get; set; }
        public short? ThemaId { get; set; }
        public string? Openbaarheid { get; set; }
        public bool StandaardAnoniem { get; set; }

        // Urgent: a new report in it mails the routed team at once and shows on their start page.
        public bool Spoed { get; set; }

        // Unchecked boxes post nothing: the bound default must be false (the new-category form starts them checked).
        public bool Actief { get; set; }
        public short? Volgorde { get; set; }
        public short? Dagen { get; set; }
        public bool Werkdagen { get; set; }
    }

    public sealed record Thema(short Id, string Naam, string Prioriteit);

    [BindProperty]
    public Invoer Rubriek { get; set; } = new();

    public short? Id { get; private set; }
    public IReadOnlyList<Thema> Themas { get; private set; } = [];
    public Dictionary<string, string> Fouten { get; } = [];

    /// <summary>The category's extra questions (edited on their own page, <see cref="VraagModel"/>).</summary>
    public IReadOnlyList<RubriekVragen.Vraag> Vragen { get; private set; } = [];

    [TempData]
    public string? Bericht { get; set; }

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        Themas = await ThemasAsync(connection, cancellationToken);
        if (id == "nieuw")
        {
            Rubriek = new Invoer
            {
                Actief = true,
                Werkdagen = true,
                Openbaarheid = "exact",
                Dagen = 10,
            };
            return Page();
        }
        if (!short.TryParse(id, out var nummer) || await LaadAsync(connection, null, nummer, cancellationToken) is not { } rubriek)
        {
            return NotFound();
        }
        Id = nummer;
        Rubriek = rubriek;
        Vragen = await RubriekVragen.VanRubriekAsync(connection, rubriek.Code!, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string id, CancellationToken cancellationToken)
    {
        short? nummer =
            id == "nieuw" ? null
            : short.TryParse(id, out var n) ? n
            : (short)-1;
        if (nummer == -1)
        {
            return NotFound();
        }
        Id = nummer;
        Valideer(nieuw: nummer is null);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (Fouten.Count > 0)
        {
            Themas = await ThemasAsync(connection, cancellationToken);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        var r = Rubriek;
        var parameters = new
        {
            nummer,
            r.Code,
            naam = r.Naam!.Trim(),
            uitleg = r.Uitleg!.Trim(),
            advies = string.IsNullOrWhiteSpace(r.Advies) ? null : r.Advies.Trim(),
            naamEn = Leeg(r.NaamEn),
            uitlegEn = Leeg(r.UitlegEn),
            // No English advice without Dutch advice.
            adviesEn = string.IsNullOrWhiteSpace(r.Advies) ? null : Leeg(r.AdviesEn),
            r.ThemaId,
            r.Openbaarheid,
            r.StandaardAnoniem,
            r.Spoed,
            r.Actief,
            r.Volgorde,
            r.Dagen,
            r.Werkdagen,
        };
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        Invoer? voor = null;
        try
        {
            if (nummer is null)
            {
                nummer = await connection.QuerySingleAsync<short>(
                    new CommandDefinition(
                        """
                        INSERT INTO rubriek (code, naam, uitleg, advies, naam_en, uitleg_en, advies_en, thema_id, openbaarheid,
                                             standaard_anoniem, spoed, actief, volgorde, afhandeltermijn_dagen, termijn_werkdagen)
                        VALUES (@Code, @naam, @uitleg, @advies, @naamEn, @uitlegEn, @adviesEn, @ThemaId,
                            @Openbaarheid, @StandaardAnoniem, @Spoed, @Actief, @Volgorde, @Dagen, @Werkdagen)
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
                voor = await LaadAsync(connection, transaction, nummer.Value, cancellationToken);
                if (voor is null)
                {
                    return NotFound();
                }
                await connection.ExecuteAsync(
                    new CommandDefinition(
                        """
                        UPDATE rubriek SET naam = @naam, uitleg = @uitleg, advies = @advies,
                            naam_en = @naamEn, uitleg_en = @uitlegEn, advies_en = @adviesEn,
                            thema_id = @ThemaId, openbaarheid = @Openbaarheid,
                               standaard_anoniem = @StandaardAnoniem, spoed = @Spoed, actief = @Actief, volgorde = @Volgorde,
                               afhandeltermijn_dagen = @Dagen, termijn_werkdagen = @Werkdagen
                        WHERE id = @nummer
                        """,
                        parameters,
                        transaction,
                        cancellationToken: cancellationToken
                    )
                );
            }
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.ForeignKeyViolation)
        {
            Fouten["code"] = b["rubriek.fout.code"];
            await transaction.RollbackAsync(cancellationToken);
            Themas = await ThemasAsync(connection, cancellationToken);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        await Audit.SchrijfAsync(
            connection,
            transaction,
            Actor.Van(User),
            voor is null ? "rubriek-toegevoegd" : "rubriek-gewijzigd",
            null,
            voor is null
                ? null
                : new
                {
                    id = nummer,
                    voor.Naam,
                    voor.NaamEn,
                    voor.ThemaId,
                    voor.Openbaarheid,
                    voor.Spoed,
                    voor.Actief,
                    voor.Dagen,
                    voor.Werkdagen,
                },
            new
            {
                id = nummer,
                r.Code,
                r.Naam,
                NaamEn = Leeg(r.NaamEn),
                r.ThemaId,
                r.Openbaarheid,
                r.Spoed,
                r.Actief,
                r.Dagen,
                r.Werkdagen,
            },
            cancellationToken
        );
        await transaction.CommitAsync(cancellationToken);
        Bericht = b["rubriek.ok"];
        return Redirect("/beheer/rubrieken");
    }

    private void Valideer(bool nieuw)
    {
        var r = Rubriek;
        if (nieuw && (r.Code is null || !CodePatroon().IsMatch(r.Code)))
        {
            Fouten["code"] = b["rubriek.fout.code"];
        }
        if (string.IsNullOrWhiteSpace(r.Naam) || r.Naam.Length > 100)
        {
            Fouten["naam"] = b["rubriek.fout.naam"];
        }
        if (string.IsNullOrWhiteSpace(r.Uitleg) || r.Uitleg.Length > 500)
        {
            Fouten["uitleg"] = b["rubriek.fout.uitleg"];
        }
        if (r.Advies is { Length: > 1000 })
        {
            Fouten["advies"] = b["rubriek.fout.advies"];
        }
        if (r.NaamEn?.Trim() is { Length: > 100 })
        {
            Fouten["naamen"] = b["rubriek.fout.naam"];
        }
        if (r.UitlegEn?.Trim() is { Length: > 500 })
        {
            Fouten["uitlegen"] = b["rubriek.fout.uitleg"];
        }
        if (r.AdviesEn?.Trim() is { Length: > 1000 })
        {
            Fouten["adviesen"] = b["rubriek.fout.advies"];
        }
        if (r.ThemaId is null)
        {
            Fouten["thema"] = b["rubriek.fout.thema"];
        }
        if (!Openbaarheden.Contains(r.Openbaarheid))
        {
            Fouten["openbaarheid"] = b["rubriek.fout.openbaarheid"];
        }
        if (r.Volgorde is null or < 0)
        {
            Fouten["volgorde"] = b["rubriek.fout.volgorde"];
        }
        if (r.Dagen is null or < 1 or > 365)
        {
            Fouten["dagen"] = b["rubriek.fout.dagen"];
        }
    }

    private static Task<Invoer?> LaadAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction,
        short id,
        CancellationToken cancellationToken
    ) =>
        connection.QuerySingleOrDefaultAsync<Invoer?>(
            new CommandDefinition(
                """
                SELECT code, naam, uitleg, advies, naam_en AS naamen, uitleg_en AS uitlegen, advies_en AS adviesen, thema_id AS themaid,
                    openbaarheid, standaard_anoniem AS standaardanoniem, spoed, actief, volgorde,
                       afhandeltermijn_dagen AS dagen, termijn_werkdagen AS werkdagen
                FROM rubriek WHERE id = @id
                """,
                new { id },
                transaction,
                cancellationToken: cancellationToken
            )
        );

    private static async Task<IReadOnlyList<Thema>> ThemasAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        (
            await connection.QueryAsync<Thema>(
                new CommandDefinition(
                    """
                    SELECT t.id, in_taal(t.naam, t.naam_en, @taal) AS naam, in_taal(p.naam, p.naam_en, @taal) AS prioriteit
                        FROM thema t JOIN prioriteit p ON p.id = t.prioriteit_id
                        ORDER BY p.volgorde, t.volgorde
                    """,
                    new { taal = Taal.Code },
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();

    private static string? Leeg(string? tekst) => string.IsNullOrWhiteSpace(tekst) ? null : tekst.Trim();

    [GeneratedRegex("^[a-z0-9-]{2,50}$")]
    private static partial Regex CodePatroon();
}
