using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CsvHelper;
using Wijkmeldingen.Web.Csv;

namespace Wijkmeldingen.Web.Features.Wijkbeeld.Beheer.Beleving;

/// <summary>One perceived-safety figure from the CSV, ready for wijk_beleving.</summary>
public sealed record BelevingRegel(
    int Regel,
    string WijkCode,
    short Jaar,
    string Indicator,
    string Omschrijving,
    decimal Waarde,
    string Eenheid,
    string Bron
);

/// <summary>A problem on one line of the file (line 0: the file as a whole): a text key in
/// WijkbeeldBeheer.resx and its arguments, so the page can say it in the reader's language.</summary>
public sealed record BelevingFout(int Regel, string Sleutel, params object[] Argumenten);

/// <summary>
/// Reads the perceived-safety CSV: <c>wijk_code;jaar;indicator;omschrijving;waarde;eenheid;bron</c>,
/// separated by semicolons or commas (whichever the first line uses), UTF-8 with or without BOM, an
/// optional header line, fields optionally in double quotes (needed for a comma inside a
/// comma-separated field; "" is a quote, a line break may be inside; read by CsvHelper with the shared
/// rule of <see cref="CsvRegels"/>), decimal comma or point ("81,5", "7.2"). Every line is checked; the caller
/// imports only when there is no error at all.
/// </summary>
public static partial class BelevingCsv
{
    public static readonly string[] Kolommen = ["wijk_code", "jaar", "indicator", "omschrijving", "waarde", "eenheid", "bron"];
    public static readonly string[] Eenheden = ["%", "rapportcijfer"];
    public const int MaxRegels = 5000;
    public const int MaxBytes = 1024 * 1024;

    public sealed record Resultaat(IReadOnlyList<BelevingRegel> Regels, IReadOnlyList<BelevingFout> Fouten);

    /// <summary>Decodes the uploaded bytes: strict UTF-8, the BOM dropped. Null when not UTF-8.</summary>
    public static string? Decodeer(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith(Encoding.UTF8.GetPreamble()))
        {
            bytes = bytes[3..];
        }
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    public static Resultaat Lees(string tekst, IReadOnlySet<string> wijken)
    {
        ArgumentNullException.ThrowIfNull(tekst);
        ArgumentNullException.ThrowIfNull(wijken);
        var regels = new List<BelevingRegel>();
        var fouten = new List<BelevingFout>();
        tekst = tekst.TrimStart('\uFEFF');
        var eerste = tekst.Split('\n', '\r').FirstOrDefault(l => !string.IsNullOrWhiteSpace(l)) ?? "";
        var scheiding = CsvRegels.Scheiding(eerste);
        // A quote that is never closed runs to the end of the file: that record is refused whole.
        var open = new HashSet<long>();
        var opties = CsvRegels.Import(scheiding) with
        {
            OnMalformedRecord = m =>
            {
                if (m.Reason == CsvMalformedReason.UnterminatedQuote)
                {
                    open.Add(m.LineNumber);
                }
            },
        };
        var gezien = new Dictionary<(string, string, short), int>();
        using var reader = CsvReader.FromText(tekst, opties);
        while (reader.Read())
        {
            var nummer = (int)reader.LineNumber;
            if (CsvRegels.IsLeeg(reader))
            {
                continue;
            }
            if (open.Contains(reader.LineNumber))
            {
                fouten.Add(new BelevingFout(nummer, "beleving.fout.aanhalingstekens"));
                continue;
            }
            var velden = CsvRegels.Velden(reader);
            if (regels.Count == 0 && fouten.Count == 0 && velden[0].Trim().Equals("wijk_code", StringComparison.OrdinalIgnoreCase))
            {
                if (!velden.Select(v => v.Trim().ToLowerInvariant()).SequenceEqual(Kolommen))
                {
                    fouten.Add(new BelevingFout(nummer, "beleving.fout.kop", string.Join(scheiding, Kolommen)));
                }
                continue;
            }
            if (regels.Count + fouten.Count >= MaxRegels)
            {
                fouten.Add(new BelevingFout(nummer, "beleving.fout.teveel", MaxRegels));
                break;
            }
            if (velden.Length != Kolommen.Length)
            {
                fouten.Add(new BelevingFout(nummer, "beleving.fout.kolommen", velden.Length, Kolommen.Length));
                continue;
            }
            var v = velden.Select(x => x.Trim()).ToArray();
            var aantalFouten = fouten.Count;
            var wijk = v[0].ToUpperInvariant();
            if (!wijken.Contains(wijk))
            {
                fouten.Add(new BelevingFout(nummer, "beleving.fout.wijk", v[0]));
            }
            if (!short.TryParse(v[1], NumberStyles.None, CultureInfo.InvariantCulture, out var jaar) || jaar is < 2000 or > 2100)
            {
                fouten.Add(new BelevingFout(nummer, "beleving.fout.jaar", v[1]));
            }
            if (!IndicatorPatroon().IsMatch(v[2]))
            {
                fouten.Add(new BelevingFout(nummer, "beleving.fout.indicator", v[2]));
            }
            if (v[3].Length is 0 or > 300)
            {
                fouten.Add(new BelevingFout(nummer, "beleving.fout.omschrijving"));
            }
            var eenheid = v[5].ToLowerInvariant();
            if (!Eenheden.Contains(eenheid))
            {
                fouten.Add(new BelevingFout(nummer, "beleving.fout.eenheid", v[5]));
            }
            var waarde = Getal(v[4]);
            if (waarde is null)
            {
                fouten.Add(new BelevingFout(nummer, "beleving.fout.waarde", v[4]));
            }
            else if (eenheid == "%" && waarde is < 0 or > 100)
            {
                fouten.Add(new BelevingFout(nummer, "beleving.fout.procent", v[4]));
            }
            else if (eenheid == "rapportcijfer" && waarde is < 1 or > 10)
            {
                fouten.Add(new BelevingFout(nummer, "beleving.fout.rapportcijfer", v[4]));
            }
            if (v[6].Length is 0 or > 200)
            {
                fouten.Add(new BelevingFout(nummer, "beleving.fout.bron"));
            }
            if (fouten.Count > aantalFouten)
            {
                continue;
            }
            if (gezien.TryGetValue((wijk, v[2], jaar), out var eerder))
            {
                fouten.Add(new BelevingFout(nummer, "beleving.fout.dubbel", eerder));
                continue;
            }
            gezien[(wijk, v[2], jaar)] = nummer;
            regels.Add(new BelevingRegel(nummer, wijk, jaar, v[2], v[3], waarde!.Value, eenheid, v[6]));
        }
        if (regels.Count == 0 && fouten.Count == 0)
        {
            fouten.Add(new BelevingFout(0, "beleving.fout.leeg"));
        }
        return new Resultaat(regels, fouten);
    }

    /// <summary>"81,5", "81.5", "1.234,5" and "-2" as a decimal with at most two decimals; else null.</summary>
    public static decimal? Getal(string tekst)
    {
        ArgumentNullException.ThrowIfNull(tekst);
        var t = tekst.Replace(" ", "", StringComparison.Ordinal);
        if (t.Contains(',', StringComparison.Ordinal))
        {
            t = t.Replace(".", "", StringComparison.Ordinal).Replace(',', '.');
        }
        return
            decimal.TryParse(t, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d)
            && decimal.Round(d, 2) == d
            && Math.Abs(d) < 100000
            ? d
            : null;
    }

    [GeneratedRegex("^[a-z0-9-]{1,60}$")]
    private static partial Regex IndicatorPatroon();
}
