using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using Wijkmeldingen.Web.Data;
using Wijkmeldingen.Web.Features.Wijkbeeld.Beheer.Beleving;

namespace Wijkmeldingen.Web.Features.Wijkbeeld;

/// <summary>
/// The safety picture's demo steps (development only): published wijk stories ("het verhaal achter
/// de cijfers") for the three most populous wijken, written around that wijk's own report figures
/// of the last three months, and perceived-safety figures read with the importer's own reader
/// (<see cref="BelevingCsv"/>) from db/seed/voorbeeld/beleving-voorbeeld.csv, whose invented values
/// say "VOORBEELD" in their description and source. Both are marked is_demo; a real figure already
/// imported for the same wijk, indicator and year is never overwritten.
/// </summary>
public static class WijkbeeldDemo
{
    public const string Verhalen = "verhalen";
    public const string Beleving = "beleving";

    public static DemoStap VerhalenStap(IServiceProvider _) =>
        new(Verhalen, 30, VerhalenAsync)
        {
            WissenAsync = (connection, transaction, cancellationToken) =>
                connection.ExecuteAsync(
                    new CommandDefinition(
                        "DELETE FROM wijk_verhaal WHERE is_demo",
                        transaction: transaction,
                        cancellationToken: cancellationToken
                    )
                ),
        };

    public static DemoStap BelevingStap(IServiceProvider services) =>
        new(Beleving, 31, (connection, transaction, cancellationToken) =>
            BelevingAsync(
                connection,
                transaction,
                Path.Combine(
                    DatabaseMigrator.ScriptsRoot(services.GetRequiredService<IOptions<DatabaseOptions>>().Value),
                    "seed",
                    "voorbeeld",
                    "beleving-voorbeeld.csv"
                ),
                cancellationToken
            )
        )
        {
            WissenAsync = (connection, transaction, cancellationToken) =>
                connection.ExecuteAsync(
                    new CommandDefinition(
                        "DELETE FROM wijk_beleving WHERE is_demo",
                        transaction: transaction,
                        cancellationToken: cancellationToken
                    )
                ),
        };

    public static async Task<int> VerhalenAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (
            await connection.ExecuteScalarAsync<bool>(
                new CommandDefinition(
                    "SELECT EXISTS (SELECT 1 FROM wijk_verhaal WHERE is_demo)",
                    transaction: transaction,
                    cancellationToken: cancellationToken
                )
            )
        )
        {
            return 0;
        }
        return await connection.ExecuteAsync(
            new CommandDefinition(
                """
                WITH periode AS (
                    SELECT (date_trunc('month', current_date) - interval '3 months')::date AS van,
                           (date_trunc('month', current_date) - interval '1 month')::date AS tot
                ), wijken AS (
                    SELECT k.code, k.naam, row_number() OVER (ORDER BY k.inwoners DESC NULLS LAST, k.code) AS nr
                    FROM wijk k
                ), cijfers AS (
                    SELECT w.code, w.naam, w.nr, p.van, p.tot,
                           (SELECT count(*) FROM melding m
                            WHERE m.wijk_code = w.code AND m.aangemaakt_op >= p.van
                              AND m.aangemaakt_op < p.tot + interval '1 month') AS aantal,
                           (SELECT r.naam FROM melding m JOIN rubriek r ON r.id = m.rubriek_id
                            WHERE m.wijk_code = w.code AND m.aangemaakt_op >= p.van AND m.aangemaakt_op < p.tot + interval '1 month'
                              AND r.openbaarheid <> 'verborgen'
                            GROUP BY r.naam ORDER BY count(*) DESC, r.naam LIMIT 1) AS meeste
                    FROM wijken w CROSS JOIN periode p
                    WHERE w.nr <= 3
                )
                INSERT INTO wijk_verhaal (wijk_code, van, tot, titel, tekst, auteur, gepubliceerd_op, is_demo)
                SELECT code, van, tot,
                       CASE nr WHEN 1 THEN 'Meer meldingen, en dat is goed nieuws (demo)'
                               WHEN 2 THEN 'Samen aan de slag met verkeer in de wijk (demo)'
                               ELSE 'Rustig, maar we blijven opletten (demo)' END,
                       'Dit is een voorbeeldverhaal, aangemaakt door infra/wijk run: zo laat een wijkprofessional zien wat '
                           || 'er achter de cijfers zit.' || E'\n\n'
                           || 'In ' || naam || ' kwamen in deze periode ' || aantal || ' meldingen binnen'
                           || coalesce(', de meeste over ' || lower(meeste), '') || '. '
                           || CASE nr
                                  WHEN 1 THEN 'Dat het aantal stijgt, betekent niet dat de wijk onveiliger wordt: sinds de '
                                      || 'wijkwandelingen melden bewoners vaker wat ze zien. Daardoor weten we beter waar we moeten zijn.'
                                  WHEN 2 THEN 'Samen met bewoners en de school kijken we naar snelheidsremmers en naar '
                                      || 'handhaving rond de schooltijden.'
                                  ELSE 'Er zijn weinig meldingen. We houden contact met bewoners via de wijkwandelingen, '
                                      || 'zodat signalen ons blijven bereiken.'
                              END
                           || E'\n\n' || 'Heeft u vragen of ideeën? Doe mee met een wijkwandeling of meld het via deze website.',
                       'Demo Wijkprofessional', now() - interval '3 days', true
                FROM cijfers
                """,
                transaction: transaction,
                cancellationToken: cancellationToken
            )
        );
    }

    public static async Task<int> BelevingAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        string csvPad,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (
            !File.Exists(csvPad)
            || await connection.ExecuteScalarAsync<bool>(
                new CommandDefinition(
                    "SELECT EXISTS (SELECT 1 FROM wijk_beleving WHERE is_demo)",
                    transaction: transaction,
                    cancellationToken: cancellationToken
                )
            )
        )
        {
            return 0;
        }
        // Most inhabitants first: with another municipality's areas the example's wijken go to its largest ones.
        var wijken = (
            await connection.QueryAsync<string>(
                new CommandDefinition(
                    "SELECT code FROM wijk ORDER BY inwoners DESC NULLS LAST, code",
                    transaction: transaction,
                    cancellationToken: cancellationToken
                )
            )
        ).ToList();
        var tekst = NaarGeladenWijken(BelevingCsv.Decodeer(await File.ReadAllBytesAsync(csvPad, cancellationToken)) ?? "", wijken);
        var regels = BelevingCsv.Lees(tekst, wijken.ToHashSet(StringComparer.Ordinal)).Regels;
        return await connection.ExecuteAsync(
            new CommandDefinition(
                """
                INSERT INTO wijk_beleving (wijk_code, jaar, indicator, omschrijving, waarde, eenheid, bron, is_demo)
                SELECT *, true FROM unnest(@wijken::text[], @jaren::smallint[], @indicatoren::text[], @omschrijvingen::text[],
                                           @waarden::numeric[], @eenheden::text[], @bronnen::text[])
                ON CONFLICT (gemeente_code, wijk_code, indicator, jaar) DO NOTHING
                """,
                new
                {
                    wijken = regels.Select(r => r.WijkCode).ToArray(),
                    jaren = regels.Select(r => r.Jaar).ToArray(),
                    indicatoren = regels.Select(r => r.Indicator).ToArray(),
                    omschrijvingen = regels.Select(r => r.Omschrijving).ToArray(),
                    waarden = regels.Select(r => r.Waarde).ToArray(),
                    eenheden = regels.Select(r => r.Eenheid).ToArray(),
                    bronnen = regels.Select(r => r.Bron).ToArray(),
                },
                transaction,
                cancellationToken: cancellationToken
            )
        );
    }

    /// <summary>The example file names the demo municipality's wijken. Its wijk codes that are not loaded
    /// are given, in the order they first appear, to the loaded wijken the file does not name, in the
    /// order of <paramref name="wijken"/>; lines of codes left over (more example wijken than loaded
    /// ones) stay as they are and are skipped by the reader. The figures are invented either way, and
    /// say so in their description and source.</summary>
    public static string NaarGeladenWijken(string tekst, IReadOnlyList<string> wijken)
    {
        ArgumentNullException.ThrowIfNull(tekst);
        ArgumentNullException.ThrowIfNull(wijken);
        var regels = tekst.Split('\n');
        static string Code(string regel) => regel.Split(';', 2)[0].Trim();
        var inBestand = regels.Skip(1).Select(Code).Where(c => c.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        var vrij = wijken.Where(w => !inBestand.Contains(w, StringComparer.Ordinal));
        var kaart = inBestand
            .Where(c => !wijken.Contains(c, StringComparer.Ordinal))
            .Zip(vrij)
            .ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal);
        if (kaart.Count == 0)
        {
            return tekst;
        }
        return string.Join(
            '\n',
            regels.Select((regel, i) => i > 0 && kaart.TryGetValue(Code(regel), out var wijk) ? wijk + ";" + regel.Split(';', 2)[1] : regel)
        );
    }
}
