using System.Globalization;

namespace Wijkmeldingen.Web.Data;

/// <summary>
/// Progress of a long command-line task (seeding, the address import, migrations): on an interactive
/// terminal one bar redrawn in place, when the output goes to a file or a log plain lines
/// ("seed: 40% wandelingen"), one each time the figure passes the next step of
/// <see cref="RegelStap"/> percent or the stage changes. Shared by the technical parts; no feature
/// knowledge.
/// </summary>
public sealed class Voortgang(string taak, TextWriter uit, bool terminal, int regelStap = 10)
{
    public const int BalkBreedte = 30;

    private int laatstePercentage = -1;
    private string? laatsteWat;
    private int laatsteLengte;
    private bool klaar;

    public string Taak { get; } = taak;

    public int RegelStap { get; } = regelStap is >= 1 and <= 100 ? regelStap : 10;

    /// <summary>Progress on standard output: a bar when it is a terminal, lines when redirected.</summary>
    public static Voortgang OpConsole(string taak) => new(taak, Console.Out, terminal: !Console.IsOutputRedirected);

    /// <summary>The percentage of <paramref name="gedaan"/> out of <paramref name="totaal"/>, 0-100
    /// (rounded down, so 100 only when all is done; an empty task is done).</summary>
    public static int Percentage(long gedaan, long totaal) =>
        totaal <= 0 ? 100 : (int)Math.Clamp(Math.Clamp(gedaan, 0, totaal) * 100 / totaal, 0, 100);

    /// <summary>A bar of <paramref name="breedte"/> cells for <paramref name="percentage"/>: "[######------]".</summary>
    public static string Balk(int percentage, int breedte = BalkBreedte)
    {
        var vol = (int)Math.Round(Math.Clamp(percentage, 0, 100) * breedte / 100.0, MidpointRounding.ToZero);
        return "[" + new string('#', vol) + new string('-', breedte - vol) + "]";
    }

    /// <summary>Reports <paramref name="gedaan"/> of <paramref name="totaal"/>; <paramref name="wat"/>
    /// names the stage or the thing now running.</summary>
    public void Meld(long gedaan, long totaal, string? wat = null) =>
        MeldPercentage(Percentage(gedaan, totaal), wat, string.Create(CultureInfo.InvariantCulture, $"{gedaan:N0}/{totaal:N0}"));

    /// <summary>Reports a percentage; <paramref name="teller"/> ("1,000/5,000") is shown beside it but,
    /// unlike a new <paramref name="wat"/>, does not by itself make a new line in a log.</summary>
    public void MeldPercentage(int percentage, string? wat = null, string? teller = null)
    {
        percentage = Math.Clamp(percentage, 0, 100);
        var anderWat = !string.Equals(wat, laatsteWat, StringComparison.Ordinal);
        if (terminal)
        {
            if (percentage == laatstePercentage && !anderWat && teller is null)
            {
                return;
            }
            var regel = string.Create(
                CultureInfo.InvariantCulture,
                $"{Taak} {Balk(percentage)} {percentage, 3}%{(teller is null ? "" : " " + teller)}{(wat is null ? "" : " " + wat)}"
            );
            // Overwrite the previous bar, also when the new one is shorter.
            var geschreven = regel.PadRight(laatsteLengte);
            uit.Write("\r" + geschreven);
            uit.Flush();
            laatsteLengte = geschreven.Length;
        }
        else
        {
            var volgendeStap = laatstePercentage < 0 ? 0 : (laatstePercentage / RegelStap + 1) * RegelStap;
            if (!anderWat && percentage < volgendeStap && !(percentage == 100 && laatstePercentage < 100))
            {
                return;
            }
            if (percentage == laatstePercentage && !anderWat)
            {
                return;
            }
            uit.WriteLine(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"{Taak}: {percentage}%{(teller is null ? "" : " " + teller)}{(wat is null ? "" : " " + wat)}"
                )
            );
        }
        laatstePercentage = percentage;
        laatsteWat = wat;
        klaar = false;
    }

    /// <summary>Ends the task: 100 %, and on a terminal the line is closed so later output starts on a
    /// new one. Calling it twice writes nothing more.</summary>
    public void Klaar(string? wat = null)
    {
        if (klaar)
        {
            return;
        }
        MeldPercentage(100, wat);
        if (terminal)
        {
            uit.WriteLine();
        }
        klaar = true;
    }
}
