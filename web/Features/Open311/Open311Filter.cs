using System.Globalization;

namespace Wijkmeldingen.Web.Features.Open311;

/// <summary>
/// The filters of GET requests.{format}, read as GeoReport v2 says: a <c>service_request_id</c> list
/// overrides every other filter ("If this parameter is entered, all other parameters are ignored");
/// <c>status</c> takes one value or a comma list of <c>open</c> and <c>closed</c> (both means any);
/// without dates the last 90 days.
/// </summary>
public sealed record Open311Filter(string[]? Codes, string[] Diensten, string? Status, DateTimeOffset? Vanaf, DateTimeOffset? Tot)
{
    /// <summary>The filter, or a Dutch message for a 400 in the spec's error form.</summary>
    public static (Open311Filter? Filter, string? Fout) Lees(Func<string, string?> param, DateTimeOffset nu)
    {
        ArgumentNullException.ThrowIfNull(param);
        var codes = Lijst(param("service_request_id"));
        if (codes.Count > 0)
        {
            return (new Open311Filter(codes.Select(c => Domein.Volgcode.Normaliseer(c) ?? c).ToArray(), [], null, null, null), null);
        }
        var statussen = Lijst(param("status")).Select(s => s.ToLowerInvariant()).Distinct().ToList();
        if (statussen.Any(s => s is not ("open" or "closed")))
        {
            return (null, "status moet 'open', 'closed' of een lijst daarvan zijn, bijvoorbeeld status=open,closed.");
        }
        if (!LeesDatum(param("start_date"), out var start) || !LeesDatum(param("end_date"), out var eind))
        {
            return (null, "start_date en end_date moeten ISO 8601 zijn, met tijdzone, bijvoorbeeld 2026-11-01T00:00:00+01:00.");
        }
        // The spec's defaults: the last 90 days unless dates are given.
        var tot = eind ?? nu;
        var vanaf = start ?? tot.AddDays(-90);
        return (
            new Open311Filter(null, Lijst(param("service_code")).ToArray(), statussen.Count == 1 ? statussen[0] : null, vanaf, tot),
            null
        );
    }

    /// <summary>A comma list, empty entries and spaces around them dropped; at most 1000.</summary>
    public static List<string> Lijst(string? waarde) =>
        waarde?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(1000).ToList() ?? [];

    /// <summary>ISO 8601 with a time zone (a bare date counts as midnight UTC); true for absent.</summary>
    public static bool LeesDatum(string? tekst, out DateTimeOffset? moment)
    {
        moment = null;
        if (tekst is null)
        {
            return true;
        }
        if (
            DateTimeOffset.TryParseExact(
                tekst,
                ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd"],
                CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal,
                out var gelezen
            )
        )
        {
            moment = gelezen;
            return true;
        }
        return false;
    }
}
