using System.Globalization;
using Dapper;
using Microsoft.Extensions.Localization;
using Npgsql;

namespace Wijkmeldingen.Web.Domein;

/// <summary>
/// The extra questions of a category (table <c>rubriek_vraag</c>, edited by staff): loaded for the report
/// form and Open311, checked the same way for both entrances, answered into <c>melding_antwoord</c> by
/// <see cref="MeldingOpslaan"/>. A <see cref="Soorten.Stop"/> question stops the filing and shows the
/// number to call: always (<see cref="Vraag.StopAltijd"/>, a category that must not be reported here)
/// or when answered "ja".
/// </summary>
public static class RubriekVragen
{
    public static class Soorten
    {
        public const string Tekst = "tekst";
        public const string Keuze = "keuze";
        public const string JaNee = "janee";
        public const string Datum = "datum";
        public const string Tijd = "tijd";
        public const string Stop = "stop";

        public static readonly string[] Alle = [Tekst, Keuze, JaNee, Datum, Tijd, Stop];
    }

    public const string Ja = "ja";
    public const string Nee = "nee";
    public const int MaxAntwoordLengte = 500;

    /// <summary>A question as stored (properties, not a positional record: Dapper reads text[] columns as
    /// System.Array, which no constructor parameter matches).</summary>
    public sealed record Vraag
    {
        public int Id { get; init; }
        public string RubriekCode { get; init; } = "";
        public string Code { get; init; } = "";
        public string Soort { get; init; } = "";
        public bool Verplicht { get; init; }
        public string VraagNl { get; init; } = "";
        public string? VraagEn { get; init; }
        public string? ToelichtingNl { get; init; }
        public string? ToelichtingEn { get; init; }
        public string[] Keuzes { get; init; } = [];
        public string[] KeuzesEn { get; init; } = [];
        public string? Telefoon { get; init; }
        public bool StopAltijd { get; init; }
        public short Volgorde { get; init; }

        /// <summary>The question in the visitor's language.</summary>
        public string Tekst => Taal.Kies(VraagNl, VraagEn);

        public string? Toelichting => ToelichtingNl is null ? null : Taal.Kies(ToelichtingNl, ToelichtingEn);

        /// <summary>The choices: the stored value (the Dutch text) and the label in the visitor's language.</summary>
        public IReadOnlyList<(string Waarde, string Label)> Opties =>
            Keuzes.Select((k, i) => (k, Taal.Kies(k, i < KeuzesEn.Length ? KeuzesEn[i] : null))).ToList();

        /// <summary>Form field name, also the key of its error.</summary>
        public string Veld => "Vraag-" + Code;

        /// <summary>Whether the melder gives an answer (an always-stop is only shown).</summary>
        public bool Variabel => !(Soort == Soorten.Stop && StopAltijd);

        /// <summary>The number as a tel: link target (digits only).</summary>
        public string? TelefoonLink => Telefoon is null ? null : new string(Telefoon.Where(char.IsAsciiDigit).ToArray());
    }

    /// <summary>An answer as stored: the question as it was asked (Dutch) and the answer.</summary>
    public sealed record Antwoord(string Code, string Vraag, string Tekst, short Volgorde);

    /// <summary>The outcome of checking the answers: what to store, field → Dutch message, and the stop
    /// that refused the filing (if any).</summary>
    public sealed record Controle(IReadOnlyList<Antwoord> Antwoorden, Dictionary<string, string> Fouten, Vraag? Stop);

    private const string Select = """
        SELECT v.id, r.code AS rubriekcode, v.code, v.soort, v.verplicht, v.vraag AS vraagnl, v.vraag_en AS vraagen,
               v.toelichting AS toelichtingnl, v.toelichting_en AS toelichtingen, v.keuzes, v.keuzes_en AS keuzesen,
               v.telefoon, v.stop_altijd AS stopaltijd, v.volgorde
        FROM rubriek_vraag v JOIN rubriek r ON r.id = v.rubriek_id
        """;

    /// <summary>The questions of every active category, by category code, in their order.</summary>
    public static async Task<IReadOnlyDictionary<string, IReadOnlyList<Vraag>>> AlleAsync(
        NpgsqlDataSource dataSource,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Vraag>(
            new CommandDefinition(Select + " WHERE r.actief ORDER BY r.code, v.volgorde, v.id", cancellationToken: cancellationToken)
        );
        return rows.GroupBy(v => v.RubriekCode).ToDictionary(g => g.Key, g => (IReadOnlyList<Vraag>)g.ToList());
    }

    /// <summary>The questions of one category (staff pages: also of an inactive one).</summary>
    public static async Task<IReadOnlyList<Vraag>> VanRubriekAsync(
        NpgsqlConnection connection,
        string rubriekCode,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(connection);
        return (
            await connection.QueryAsync<Vraag>(
                new CommandDefinition(
                    Select + " WHERE r.code = @rubriekCode ORDER BY v.volgorde, v.id",
                    new { rubriekCode },
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();
    }

    /// <summary>Checks the answers (<paramref name="lees"/> gives the posted value of a question code, or
    /// null). Messages come from <paramref name="t"/> (the <c>vraag.*</c> keys of Tekst).</summary>
    public static Controle Controleer(IReadOnlyList<Vraag> vragen, Func<string, string?> lees, IStringLocalizer t)
    {
        ArgumentNullException.ThrowIfNull(vragen);
        ArgumentNullException.ThrowIfNull(lees);
        ArgumentNullException.ThrowIfNull(t);
        var antwoorden = new List<Antwoord>();
        var fouten = new Dictionary<string, string>();
        Vraag? stop = null;
        foreach (var vraag in vragen)
        {
            if (!vraag.Variabel)
            {
                stop ??= vraag;
                fouten[vraag.Veld] = StopTekst(vraag, t);
                continue;
            }
            var waarde = lees(vraag.Code)?.Trim();
            if (string.IsNullOrEmpty(waarde))
            {
                if (vraag.Verplicht)
                {
                    fouten[vraag.Veld] = t["vraag.fout.verplicht", vraag.Tekst];
                }
                continue;
            }
            string? opgeslagen = vraag.Soort switch
            {
                Soorten.Tekst => waarde.Length <= MaxAntwoordLengte ? waarde : null,
                Soorten.Keuze => vraag.Keuzes.FirstOrDefault(k => string.Equals(k, waarde, StringComparison.OrdinalIgnoreCase)),
                Soorten.JaNee or Soorten.Stop => waarde.ToLowerInvariant() is Ja or Nee ? waarde.ToLowerInvariant() : null,
                Soorten.Datum => LeesDatum(waarde)?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                Soorten.Tijd => LeesTijd(waarde)?.ToString("HH\\:mm", CultureInfo.InvariantCulture),
                _ => null,
            };
            if (opgeslagen is null)
            {
                fouten[vraag.Veld] = vraag.Soort switch
                {
                    Soorten.Tekst => t["vraag.fout.lang", vraag.Tekst, MaxAntwoordLengte],
                    Soorten.Datum => t["vraag.fout.datum", vraag.Tekst],
                    Soorten.Tijd => t["vraag.fout.tijd", vraag.Tekst],
                    _ => t["vraag.fout.keuze", vraag.Tekst],
                };
                continue;
            }
            if (vraag.Soort == Soorten.Stop && opgeslagen == Ja)
            {
                stop ??= vraag;
                fouten[vraag.Veld] = StopTekst(vraag, t);
                continue;
            }
            antwoorden.Add(new Antwoord(vraag.Code, vraag.VraagNl, opgeslagen, vraag.Volgorde));
        }
        return new Controle(antwoorden, fouten, stop);
    }

    /// <summary>What a stop says: its explanation (or, for an always-stop, its text) and the number.</summary>
    public static string StopTekst(Vraag vraag, IStringLocalizer t)
    {
        ArgumentNullException.ThrowIfNull(vraag);
        ArgumentNullException.ThrowIfNull(t);
        var uitleg = vraag.StopAltijd ? vraag.Tekst : vraag.Toelichting;
        return t["vraag.stop", uitleg ?? "", vraag.Telefoon ?? "112"].Value.Trim();
    }

    private static DateOnly? LeesDatum(string tekst) =>
        DateOnly.TryParseExact(
            tekst,
            ["yyyy-MM-dd", "d-M-yyyy", "d/M/yyyy"],
            CultureInfo.InvariantCulture,
            DateTimeStyles.None,
            out var datum
        )
            ? datum
            : null;

    private static TimeOnly? LeesTijd(string tekst) =>
        TimeOnly.TryParseExact(
            tekst,
            ["H:mm", "HH:mm", "H.mm", "HH:mm:ss"],
            CultureInfo.InvariantCulture,
            DateTimeStyles.None,
            out var tijd
        )
            ? tijd
            : null;

    /// <summary>Stores the answers of a new report (inside <see cref="MeldingOpslaan"/>'s transaction).</summary>
    internal static async Task OpslaanAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        long meldingId,
        IReadOnlyList<Antwoord> antwoorden,
        CancellationToken cancellationToken
    )
    {
        foreach (var a in antwoorden)
        {
            await connection.ExecuteAsync(
                new CommandDefinition(
                    """
                    INSERT INTO melding_antwoord (melding_id, code, vraag, antwoord, volgorde)
                    VALUES (@meldingId, @Code, @Vraag, @Tekst, @Volgorde)
                    """,
                    new
                    {
                        meldingId,
                        a.Code,
                        a.Vraag,
                        a.Tekst,
                        a.Volgorde,
                    },
                    transaction,
                    cancellationToken: cancellationToken
                )
            );
        }
    }

    /// <summary>The answers stored with a report, in the order of the questions.</summary>
    public static async Task<IReadOnlyList<Antwoord>> VanMeldingAsync(
        NpgsqlConnection connection,
        long meldingId,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(connection);
        return (
            await connection.QueryAsync<Antwoord>(
                new CommandDefinition(
                    """
                    SELECT code, vraag, antwoord AS tekst, volgorde FROM melding_antwoord
                    WHERE melding_id = @meldingId ORDER BY volgorde, code
                    """,
                    new { meldingId },
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();
    }
}
