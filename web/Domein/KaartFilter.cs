using System.Globalization;

namespace Wijkmeldingen.Web.Domein;

/// <summary>
/// The public selection of reports, as it stands in the URL (so a view can be shared):
/// <c>?thema=verkeer&amp;rubriek=parkeeroverlast&amp;status=open&amp;periode=90</c>. Unknown values fall back
/// to the defaults rather than failing: a hand-edited link still shows a map.
/// </summary>
public sealed record KaartFilter(string? Thema, IReadOnlyList<string> Rubrieken, string Status, int Periode)
{
    public static readonly int[] Periodes = [7, 30, 90, 365];
    public static readonly string[] Statussen = ["alle", "open", "gesloten"];

    public static KaartFilter Standaard { get; } = new(null, [], "alle", 90);

    public static KaartFilter Lees(IQueryCollection query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var thema = query["thema"].FirstOrDefault(t => t is { Length: > 0 and <= 50 });
        var rubrieken = query["rubriek"].Where(r => r is { Length: > 0 and <= 50 }).Select(r => r!).Distinct().Take(20).ToList();
        var status = Statussen.Contains(query["status"].FirstOrDefault()) ? query["status"].First()! : "alle";
        var periode =
            int.TryParse(query["periode"].FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var p)
            && Periodes.Contains(p)
                ? p
                : 90;
        return new KaartFilter(thema, rubrieken, status, periode);
    }

    public DateTimeOffset Vanaf(DateTimeOffset nu) => nu.ToUniversalTime().AddDays(-Periode);

    /// <summary>The query string for links (list paging, feeds).</summary>
    public string AlsQuery()
    {
        var delen = new List<string>();
        if (Thema is not null)
        {
            delen.Add("thema=" + Uri.EscapeDataString(Thema));
        }
        delen.AddRange(Rubrieken.Select(r => "rubriek=" + Uri.EscapeDataString(r)));
        if (Status != "alle")
        {
            delen.Add("status=" + Status);
        }
        if (Periode != 90)
        {
            delen.Add("periode=" + Periode.ToString(CultureInfo.InvariantCulture));
        }
        return string.Join('&', delen);
    }

    /// <summary>The WHERE conditions of a public query for this filter, for table aliases m (melding),
    /// r (rubriek), t (thema) and s (meldingstatus). Sensitive categories and withdrawn reports are
    /// never public; that part does not depend on the filter. Only the filter's own conditions are
    /// written out (no catch-all <c>@x IS NULL OR ...</c>), so each kind of filter gets its own plan.</summary>
    public string Voorwaarden
    {
        get
        {
            var delen = new List<string> { "r.openbaarheid <> 'verborgen'", "m.status <> 'ingetrokken'", "m.aangemaakt_op >= @vanaf" };
            if (Rubrieken.Count > 0)
            {
                delen.Add("r.code = ANY(@rubrieken)");
            }
            if (Thema is not null)
            {
                delen.Add("t.code = @thema");
            }
            if (Status != "alle")
            {
                delen.Add(Status == "open" ? "NOT s.gesloten" : "s.gesloten");
            }
            return string.Join("\n  AND ", delen);
        }
    }

    public object Parameters(DateTimeOffset nu) =>
        new
        {
            vanaf = Vanaf(nu),
            rubrieken = Rubrieken.ToArray(),
            thema = Thema,
            status = Status,
        };
}
