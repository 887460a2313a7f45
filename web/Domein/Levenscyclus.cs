namespace Wijkmeldingen.Web.Domein;

/// <summary>The report life cycle of DESIGN.md as staff may walk it: Gemeld → In behandeling →
/// (Doorgezet) → Afgehandeld / Afgewezen; Heropend from a closed state. Ingetrokken is the melder's
/// own closed state: staff never set it and never reopen it. Keeping the status while sending a
/// message is always allowed (a reply without a transition).</summary>
public static class Levenscyclus
{
    public static readonly string[] Partners = ["politie", "handhaving", "omgevingsdienst", "zorg"];

    private static readonly Dictionary<string, string[]> Overgangen = new()
    {
        ["gemeld"] = ["in-behandeling", "doorgezet", "afgehandeld", "afgewezen"],
        ["in-behandeling"] = ["doorgezet", "afgehandeld", "afgewezen"],
        ["doorgezet"] = ["in-behandeling", "afgehandeld", "afgewezen"],
        ["heropend"] = ["in-behandeling", "doorgezet", "afgehandeld", "afgewezen"],
        ["afgehandeld"] = ["heropend"],
        ["afgewezen"] = ["heropend"],
        ["ingetrokken"] = [],
    };

    /// <summary>The states staff can move a report in <paramref name="status"/> to.</summary>
    public static IReadOnlyList<string> Volgende(string status) => Overgangen.TryGetValue(status, out var volgende) ? volgende : [];

    public static bool Mag(string van, string naar) => van == naar ? van != "ingetrokken" : Volgende(van).Contains(naar);
}
