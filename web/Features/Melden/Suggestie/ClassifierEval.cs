using System.Globalization;
using System.Text;
using CsvHelper;
using Microsoft.Extensions.Options;
using Wijkmeldingen.Web.Csv;

namespace Wijkmeldingen.Web.Features.Melden;

/// <summary>
/// <c>infra/wijk classifier-eval [--csv FILE] [--test FRACTIE]</c>: trains the suggestion model on the
/// labelled set written for the project (db/seed/suggestie/rubriek-teksten.csv: rubriek,tekst) minus a
/// held-out test split (stratified per category, fixed seed, duplicates removed before splitting), and
/// prints macro-F1, per-category precision/recall/F1, the confusion matrix, and what the threshold does.
/// </summary>
public static class ClassifierEval
{
    public const string StandaardCsv = "db/seed/suggestie/rubriek-teksten.csv";

    public sealed record Uitslag(
        int Train,
        int Test,
        double MacroF1,
        double Nauwkeurigheid,
        IReadOnlyList<string> Rubrieken,
        int[,] Matrix,
        IReadOnlyList<(string Werkelijk, string Voorspeld, float Kans)> Voorspellingen
    );

    public static List<RubriekModel.Rij> LeesCsv(string pad)
    {
        using var stream = File.OpenRead(pad);
        using var reader = CsvReader.Create(stream, CsvRegels.Import(','), leaveOpen: false);
        var rijen = new List<RubriekModel.Rij>();
        var eerste = true;
        while (reader.Read())
        {
            if (CsvRegels.IsLeeg(reader))
            {
                continue;
            }
            var velden = CsvRegels.Velden(reader);
            // The header line: rubriek,tekst.
            if (eerste)
            {
                eerste = false;
                continue;
            }
            if (velden.Length >= 2 && velden[0].Trim().Length > 0 && velden[1].Trim().Length > 0)
            {
                rijen.Add(new RubriekModel.Rij { Rubriek = velden[0].Trim(), Tekst = velden[1].Trim() });
            }
        }
        return rijen;
    }

    /// <summary>Stratified split: per category, a shuffled <paramref name="testFractie"/> goes to the test set.</summary>
    public static (List<RubriekModel.Rij> Train, List<RubriekModel.Rij> Test) Splits(
        IEnumerable<RubriekModel.Rij> rijen,
        double testFractie
    )
    {
        var random = new Random(18);
        var train = new List<RubriekModel.Rij>();
        var test = new List<RubriekModel.Rij>();
        var uniek = rijen.DistinctBy(r => r.Tekst.ToLowerInvariant());
        foreach (var groep in uniek.GroupBy(r => r.Rubriek).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var geschud = groep.OrderBy(_ => random.Next()).ToList();
            var n = (int)Math.Round(geschud.Count * testFractie);
            test.AddRange(geschud.Take(n));
            train.AddRange(geschud.Skip(n));
        }
        return (train, test);
    }

    public static Uitslag Evalueer(List<RubriekModel.Rij> train, List<RubriekModel.Rij> test)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        var (ml, model, _) = RubriekModel.Train(train);
        using var engine = ml.Model.CreatePredictionEngine<RubriekModel.Rij, RubriekModel.Voorspelling>(model);
        var rubrieken = train.Select(r => r.Rubriek).Concat(test.Select(r => r.Rubriek)).Distinct().Order(StringComparer.Ordinal).ToList();
        var index = rubrieken.Select((r, i) => (r, i)).ToDictionary(x => x.r, x => x.i);
        var matrix = new int[rubrieken.Count, rubrieken.Count];
        var voorspellingen = new List<(string, string, float)>();
        foreach (var rij in test)
        {
            var (rubriek, kans) = RubriekModel.Voorspel(engine, rij.Tekst);
            matrix[index[rij.Rubriek], index[rubriek]]++;
            voorspellingen.Add((rij.Rubriek, rubriek, kans));
        }
        var f1s = new List<double>();
        for (var i = 0; i < rubrieken.Count; i++)
        {
            var (p, r, f1) = Scores(matrix, i);
            f1s.Add(f1);
        }
        var goed = Enumerable.Range(0, rubrieken.Count).Sum(i => matrix[i, i]);
        return new Uitslag(train.Count, test.Count, f1s.Average(), (double)goed / test.Count, rubrieken, matrix, voorspellingen);
    }

    public static (double Precisie, double Recall, double F1) Scores(int[,] matrix, int i)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var n = matrix.GetLength(0);
        var tp = matrix[i, i];
        var voorspeld = Enumerable.Range(0, n).Sum(j => matrix[j, i]);
        var werkelijk = Enumerable.Range(0, n).Sum(j => matrix[i, j]);
        var p = voorspeld == 0 ? 0 : (double)tp / voorspeld;
        var r = werkelijk == 0 ? 0 : (double)tp / werkelijk;
        return (p, r, p + r == 0 ? 0 : 2 * p * r / (p + r));
    }

    public static async Task<int> CommandoAsync(IServiceProvider services, string[] args)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(args);
        var pad = Path.Combine(AppContext.BaseDirectory, StandaardCsv);
        var fractie = 0.25;
        for (var i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--csv" when i + 1 < args.Length:
                    pad = args[++i];
                    break;
                case "--test"
                    when i + 1 < args.Length
                        && double.TryParse(args[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out var f)
                        && f is > 0 and < 1:
                    fractie = f;
                    i++;
                    break;
                default:
                    await Console.Error.WriteLineAsync($"classifier-eval: unknown argument '{args[i]}' (use --csv FILE, --test FRACTION)");
                    return 2;
            }
        }
        if (!File.Exists(pad))
        {
            await Console.Error.WriteLineAsync($"classifier-eval: no labelled set at {pad}");
            return 2;
        }
        var (train, test) = Splits(LeesCsv(pad), fractie);
        var uitslag = Evalueer(train, test);
        Console.WriteLine(Rapport(uitslag, services.GetRequiredService<IOptions<SuggestieOptions>>().Value.Drempel));
        return 0;
    }

    public static string Rapport(Uitslag u, double drempel)
    {
        ArgumentNullException.ThrowIfNull(u);
        var inv = CultureInfo.InvariantCulture;
        var s = new StringBuilder();
        s.AppendLine(inv, $"labelled set: {u.Train} train, {u.Test} test (held out, stratified per category, seed 18)");
        s.AppendLine(inv, $"macro-F1: {u.MacroF1:0.000}   accuracy: {u.Nauwkeurigheid:0.000}");
        s.AppendLine();
        s.AppendLine("category                precision  recall  F1     n");
        for (var i = 0; i < u.Rubrieken.Count; i++)
        {
            var (p, r, f1) = Scores(u.Matrix, i);
            var n = Enumerable.Range(0, u.Rubrieken.Count).Sum(j => u.Matrix[i, j]);
            s.AppendLine(inv, $"{u.Rubrieken[i], -22}  {p, 9:0.000}  {r, 6:0.000}  {f1:0.000}  {n, 3}");
        }
        s.AppendLine();
        s.AppendLine("confusion matrix (rows: true category, columns: predicted)");
        var kort = u.Rubrieken.Select(r => r.Length > 6 ? r[..6] : r).ToList();
        s.Append(new string(' ', 22));
        foreach (var k in kort)
        {
            s.Append(inv, $" {k, 6}");
        }
        s.AppendLine();
        for (var i = 0; i < u.Rubrieken.Count; i++)
        {
            s.Append(inv, $"{u.Rubrieken[i], -22}");
            for (var j = 0; j < u.Rubrieken.Count; j++)
            {
                s.Append(inv, $" {u.Matrix[i, j], 6}");
            }
            s.AppendLine();
        }
        s.AppendLine();
        s.AppendLine("threshold  suggested  correct among suggested");
        foreach (var d in new[] { 0.0, 0.3, 0.4, drempel, 0.5, 0.6, 0.7 }.Distinct().Order())
        {
            var boven = u.Voorspellingen.Where(v => v.Kans >= d).ToList();
            var juist = boven.Count == 0 ? 0 : (double)boven.Count(v => v.Werkelijk == v.Voorspeld) / boven.Count;
            var teken = Math.Abs(d - drempel) < 1e-9 ? " (configured)" : "";
            s.AppendLine(inv, $"{d, 9:0.00}  {(double)boven.Count / u.Test, 9:0.0%}  {juist, 9:0.0%}{teken}");
        }
        return s.ToString();
    }
}
