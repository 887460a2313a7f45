namespace Wijkmeldingen.Web.Domein;

/// <summary>A count as shown to the public: the value, or "fewer than the threshold".</summary>
public readonly record struct Aantal(long Waarde, bool Onderdrukt)
{
    /// <summary>The value when it may be shown, else null.</summary>
    public long? Zichtbaar => Onderdrukt ? null : Waarde;
}

/// <summary>
/// Small-count suppression for public figures. A count below the threshold is shown as "&lt; 5",
/// and so is everything derived from it (per 1,000, change, shares, median). Secondary suppression:
/// when exactly one of a group of siblings whose total is shown is suppressed, it could be worked out
/// by subtraction, so the smallest other sibling is suppressed as well (unless the hidden count is 0).
/// </summary>
public static class Onderdrukking
{
    public static Aantal[] Groep(IReadOnlyList<long> waarden, int drempel, bool publiek = true)
    {
        ArgumentNullException.ThrowIfNull(waarden);
        var onderdrukt = waarden.Select(w => publiek && w < drempel).ToArray();
        // A lone hidden zero may be worked out too, but a zero identifies nobody.
        if (publiek && onderdrukt.Count(o => o) == 1 && waarden.Count > 1 && waarden[Array.IndexOf(onderdrukt, true)] > 0)
        {
            var kleinste = Enumerable.Range(0, waarden.Count).Where(i => !onderdrukt[i]).MinBy(i => waarden[i]);
            onderdrukt[kleinste] = true;
        }
        return waarden.Select((w, i) => new Aantal(w, onderdrukt[i])).ToArray();
    }

    public static Aantal Los(long waarde, int drempel, bool publiek = true) => new(waarde, publiek && waarde < drempel);

    /// <summary>Median whole days from a histogram (bucket k = k days, the last bucket "k or more"):
    /// the smallest k at which half of the reports were handled. Null when empty.</summary>
    public static int? Mediaan(IReadOnlyList<long> histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        var totaal = histogram.Sum();
        if (totaal == 0)
        {
            return null;
        }
        long opgeteld = 0;
        for (var k = 0; k < histogram.Count; k++)
        {
            opgeteld += histogram[k];
            if (opgeteld * 2 >= totaal)
            {
                return k;
            }
        }
        return histogram.Count - 1;
    }
}
