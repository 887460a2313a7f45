using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Wijkbeeld;

/// <summary>One line of the picture (a priority, theme, category or buurt) as it may be shown.
/// Every derived figure is null when it may not be shown (or cannot be computed).</summary>
public sealed record Regel(string Niveau, string Code, string Naam, Aantal Aantal, Aantal Vorig, int? Inwoners)
{
    public long Gesloten { get; init; }
    public long Heropend { get; init; }
    public long Afgehandeld { get; init; }
    public int? MediaanRuw { get; init; }

    /// <summary>Reports per 1,000 inhabitants in this period.</summary>
    public double? Per1000 => Aantal.Onderdrukt || Inwoners is not > 0 ? null : Aantal.Waarde * 1000.0 / Inwoners.Value;

    public double? Per1000Vorig => Vorig.Onderdrukt || Inwoners is not > 0 ? null : Vorig.Waarde * 1000.0 / Inwoners.Value;

    /// <summary>Change against the previous period, in percent.</summary>
    public double? Verandering =>
        Aantal.Onderdrukt || Vorig.Onderdrukt || Vorig.Waarde == 0 ? null : (Aantal.Waarde - Vorig.Waarde) * 100.0 / Vorig.Waarde;

    /// <summary>Share now closed (meldingstatus.gesloten), in percent.</summary>
    public double? AandeelAfgehandeld => Aantal.Onderdrukt || Aantal.Waarde == 0 ? null : Gesloten * 100.0 / Aantal.Waarde;

    public double? AandeelHeropend => Aantal.Onderdrukt || Aantal.Waarde == 0 ? null : Heropend * 100.0 / Aantal.Waarde;

    /// <summary>Set by the builder: null when fewer than the threshold reached Afgehandeld.</summary>
    public int? MediaanDagen { get; init; }

    /// <summary>Histogram of whole days to the first Afgehandeld (bucket k = k days).</summary>
    public IReadOnlyList<long> Doorlooptijd { get; init; } = [];

    /// <summary>Share of this period's reports afgehandeld within <paramref name="dagen"/> days
    /// (less than that many whole days after filing), in percent; null when suppressed.</summary>
    public double? AandeelBinnen(int dagen) =>
        Aantal.Onderdrukt || Aantal.Waarde == 0 ? null : Doorlooptijd.Take(Math.Max(0, dagen)).Sum() * 100.0 / Aantal.Waarde;
}

/// <summary>A weekday x hour matrix of one theme (Monday first, hours 0–23), suppressed per cell.</summary>
public sealed record WeekuurMatrix(string ThemaCode, string ThemaNaam, Aantal[] Cellen)
{
    public Aantal Cel(int dag, int uur) => Cellen[(dag * 24) + uur];

    public long Maximum => Cellen.Where(c => !c.Onderdrukt).Select(c => c.Waarde).DefaultIfEmpty(0).Max();
}

/// <summary>
/// The picture of an area for a period as it may be shown: the tree priority &gt; theme &gt;
/// category, the buurten, when in the week, the monthly trend. Public: suppressed as
/// <see cref="Onderdrukking"/> describes; staff (Publiek = false) sees every figure.
/// </summary>
public sealed class WijkbeeldWeergave
{
    public required Gebied Gebied { get; init; }
    public required Periode Periode { get; init; }
    public required bool Publiek { get; init; }
    public required int Drempel { get; init; }
    public required Regel Totaal { get; init; }

    /// <summary>Priorities, themes and categories in tree order (see <see cref="Regel.Niveau"/>).</summary>
    public required IReadOnlyList<Regel> Boom { get; init; }
    public required IReadOnlyList<Regel> Buurten { get; init; }
    public required IReadOnlyList<WeekuurMatrix> Weekuren { get; init; }
    public required IReadOnlyList<(DateTime Maand, Aantal Aantal)> Trend { get; init; }
    public DateTimeOffset? BijgewerktOp { get; init; }

    public IEnumerable<Regel> Themas => Boom.Where(r => r.Niveau == "thema");

    public static WijkbeeldWeergave Maak(WijkbeeldData data, int drempel)
    {
        ArgumentNullException.ThrowIfNull(data);
        var publiek = data.Publiek;
        var inwoners = data.Gebied.Inwoners;

        Regel Lijn(
            string niveau,
            string code,
            string naam,
            Aantal aantal,
            Aantal vorig,
            int? inw,
            long gesloten,
            long heropend,
            IReadOnlyList<long> doorloop
        )
        {
            var afgehandeld = doorloop.Sum();
            var mediaan = Onderdrukking.Mediaan(doorloop);
            return new Regel(niveau, code, naam, aantal, vorig, inw)
            {
                Gesloten = gesloten,
                Heropend = heropend,
                Afgehandeld = afgehandeld,
                MediaanRuw = mediaan,
                Doorlooptijd = doorloop,
                MediaanDagen = publiek && (aantal.Onderdrukt || afgehandeld < drempel) ? null : mediaan,
            };
        }

        static long[] Som(IEnumerable<long[]> histogrammen)
        {
            var som = new long[181];
            foreach (var h in histogrammen)
            {
                for (var k = 0; k < Math.Min(h.Length, som.Length); k++)
                {
                    som[k] += h[k];
                }
            }
            return som;
        }

        var rubrieken = data.Rubrieken;
        var totaal = Lijn(
            "totaal",
            data.Gebied.Code,
            data.Gebied.Naam,
            Onderdrukking.Los(rubrieken.Sum(r => r.Aantal), drempel, publiek),
            Onderdrukking.Los(rubrieken.Sum(r => r.Vorig), drempel, publiek),
            inwoners,
            rubrieken.Sum(r => r.Gesloten),
            rubrieken.Sum(r => r.Heropend),
            Som(rubrieken.Select(r => r.Doorlooptijd))
        );

        // Suppress per level among siblings (secondary suppression needs the group).
        var boom = new List<Regel>();
        var prioriteiten = rubrieken.GroupBy(r => (r.PrioriteitCode, r.PrioriteitNaam)).ToList();
        var pAantal = Onderdrukking.Groep(prioriteiten.Select(g => g.Sum(r => r.Aantal)).ToList(), drempel, publiek);
        var pVorig = Onderdrukking.Groep(prioriteiten.Select(g => g.Sum(r => r.Vorig)).ToList(), drempel, publiek);
        for (var pi = 0; pi < prioriteiten.Count; pi++)
        {
            var p = prioriteiten[pi];
            boom.Add(
                Lijn(
                    "prioriteit",
                    p.Key.PrioriteitCode,
                    p.Key.PrioriteitNaam,
                    pAantal[pi],
                    pVorig[pi],
                    inwoners,
                    p.Sum(r => r.Gesloten),
                    p.Sum(r => r.Heropend),
                    Som(p.Select(r => r.Doorlooptijd))
                )
            );
            var themas = p.GroupBy(r => (r.ThemaCode, r.ThemaNaam)).ToList();
            var tAantal = Onderdrukking.Groep(themas.Select(g => g.Sum(r => r.Aantal)).ToList(), drempel, publiek);
            var tVorig = Onderdrukking.Groep(themas.Select(g => g.Sum(r => r.Vorig)).ToList(), drempel, publiek);
            for (var ti = 0; ti < themas.Count; ti++)
            {
                var t = themas[ti];
                boom.Add(
                    Lijn(
                        "thema",
                        t.Key.ThemaCode,
                        t.Key.ThemaNaam,
                        tAantal[ti],
                        tVorig[ti],
                        inwoners,
                        t.Sum(r => r.Gesloten),
                        t.Sum(r => r.Heropend),
                        Som(t.Select(r => r.Doorlooptijd))
                    )
                );
                var rs = t.ToList();
                var rAantal = Onderdrukking.Groep(rs.Select(r => r.Aantal).ToList(), drempel, publiek);
                var rVorig = Onderdrukking.Groep(rs.Select(r => r.Vorig).ToList(), drempel, publiek);
                for (var ri = 0; ri < rs.Count; ri++)
                {
                    boom.Add(
                        Lijn(
                            "rubriek",
                            rs[ri].RubriekCode,
                            rs[ri].RubriekNaam,
                            rAantal[ri],
                            rVorig[ri],
                            inwoners,
                            rs[ri].Gesloten,
                            rs[ri].Heropend,
                            rs[ri].Doorlooptijd
                        )
                    );
                }
            }
        }

        var bAantal = Onderdrukking.Groep(data.Buurten.Select(b => b.Aantal).ToList(), drempel, publiek);
        var bVorig = Onderdrukking.Groep(data.Buurten.Select(b => b.Vorig).ToList(), drempel, publiek);
        var buurten = data
            .Buurten.Select(
                (b, i) => Lijn("buurt", b.Code, b.Naam, bAantal[i], bVorig[i], b.Inwoners, b.Gesloten, b.Heropend, b.Doorlooptijd)
            )
            .ToList();

        var weekuren = data
            .Weekuren.Select(w => new WeekuurMatrix(
                w.ThemaCode,
                w.ThemaNaam,
                Onderdrukking.Groep(
                    Enumerable.Range(0, 168).Select(k => k < w.Weekuur.Length ? w.Weekuur[k] : 0).ToList(),
                    drempel,
                    publiek
                )
            ))
            .ToList();

        var trendAantal = data.Trend.Select(t => Onderdrukking.Los(t.Aantal, drempel, publiek)).ToList();
        var trend = data.Trend.Select((t, i) => (t.Maand, trendAantal[i])).ToList();

        return new WijkbeeldWeergave
        {
            Gebied = data.Gebied,
            Periode = data.Periode,
            Publiek = publiek,
            Drempel = drempel,
            Totaal = totaal,
            Boom = boom,
            Buurten = buurten,
            Weekuren = weekuren,
            Trend = trend,
            BijgewerktOp = data.BijgewerktOp,
        };
    }
}
