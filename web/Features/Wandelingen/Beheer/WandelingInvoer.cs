using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Localization;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Wandelingen.Beheer;

/// <summary>What the walk form posts. Everything binds as text so the form always comes back with
/// the organiser's input; <see cref="Valideer"/> decides and gives Dutch messages per field.</summary>
public sealed class WandelingInvoer
{
    public string? Titel { get; set; }
    public string? WijkCode { get; set; }

    /// <summary>From an &lt;input type="datetime-local"&gt;: yyyy-MM-ddTHH:mm, Dutch local time.</summary>
    public string? Begin { get; set; }
    public int? DuurMinuten { get; set; }
    public string? StartpuntNaam { get; set; }

    /// <summary>Meeting point as text with a decimal point (culture-independent, as on /melden).
    /// Empty: the server looks the meeting point's name up as an address.</summary>
    public string? Lat { get; set; }
    public string? Lon { get; set; }

    /// <summary>The route the map script drew: JSON <c>[[lat, lon], ...]</c>; empty means no route.</summary>
    public string? Route { get; set; }
    public string? Omschrijving { get; set; }
    public string? Toegankelijkheid { get; set; }
    public int? Capaciteit { get; set; }

    public const int MaxRoutePunten = 500;

    public double? LatGetal => Getal(Lat);
    public double? LonGetal => Getal(Lon);

    private static double? Getal(string? tekst) =>
        double.TryParse(tekst, NumberStyles.Float, CultureInfo.InvariantCulture, out var getal) && double.IsFinite(getal) ? getal : null;

    public void ZetStartpunt(double lat, double lon)
    {
        Lat = lat.ToString("0.0######", CultureInfo.InvariantCulture);
        Lon = lon.ToString("0.0######", CultureInfo.InvariantCulture);
    }

    public DateTimeOffset? BeginMoment()
    {
        if (
            !DateTime.TryParseExact(
                Begin,
                ["yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss"],
                CultureInfo.InvariantCulture,
                DateTimeStyles.None,
                out var lokaal
            )
        )
        {
            return null;
        }
        return new DateTimeOffset(lokaal, Tijd.Amsterdam.GetUtcOffset(lokaal));
    }

    /// <summary>The drawn route as vertices (lat, lon), or null when the text is not a route.</summary>
    public IReadOnlyList<(double Lat, double Lon)>? RoutePunten()
    {
        if (string.IsNullOrWhiteSpace(Route))
        {
            return [];
        }
        try
        {
            var punten = JsonSerializer.Deserialize<double[][]>(Route);
            if (
                punten is null
                || punten.Any(p =>
                    p.Length != 2 || !double.IsFinite(p[0]) || !double.IsFinite(p[1]) || p[0] is < -90 or > 90 || p[1] is < -180 or > 180
                )
            )
            {
                return null;
            }
            return punten.Select(p => (p[0], p[1])).ToList();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>WKT (lon lat, EPSG:4326) of the route, or null without one.</summary>
    public string? RouteWkt() =>
        RoutePunten() is { Count: >= 2 } punten
            ? "LINESTRING("
                + string.Join(", ", punten.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Lon:0.0######} {p.Lat:0.0######}")))
                + ")"
            : null;

    public static WandelingInvoer Van(WandelingPlanning.Wandeling w)
    {
        ArgumentNullException.ThrowIfNull(w);
        var invoer = new WandelingInvoer
        {
            Titel = w.Titel,
            WijkCode = w.WijkCode,
            DuurMinuten = w.DuurMinuten,
            StartpuntNaam = w.StartpuntNaam,
            Route = w.RouteJson,
            Omschrijving = w.Omschrijving,
            Toegankelijkheid = w.Toegankelijkheid,
            Capaciteit = w.Capaciteit,
            Begin = Tijd.Lokaal(w.Begin).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture),
        };
        invoer.ZetStartpunt(w.StartLat, w.StartLon);
        return invoer;
    }

    /// <summary>Field → Dutch message. The database checks (meeting point inside the municipality,
    /// capacity against sign-ups) happen in <see cref="WandelingPlanning.OpslaanAsync"/>.</summary>
    public Dictionary<string, string> Valideer(
        IStringLocalizer b,
        IReadOnlyCollection<string> wijken,
        DateTimeOffset nu,
        DateTimeOffset? bestaandBegin
    )
    {
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(wijken);
        var fouten = new Dictionary<string, string>();
        if (Titel?.Trim() is not { Length: >= 3 and <= 200 })
        {
            fouten[nameof(Titel)] = b["wandeling.fout.titel"];
        }
        if (WijkCode is null || !wijken.Contains(WijkCode))
        {
            fouten[nameof(WijkCode)] = b["wandeling.fout.wijk"];
        }
        if (BeginMoment() is not { } begin)
        {
            fouten[nameof(Begin)] = b["wandeling.fout.begin"];
        }
        else if (begin <= nu && begin != bestaandBegin)
        {
            fouten[nameof(Begin)] = b["wandeling.fout.begin.verleden"];
        }
        if (DuurMinuten is not (>= 15 and <= 480))
        {
            fouten[nameof(DuurMinuten)] = b["wandeling.fout.duur"];
        }
        if (StartpuntNaam?.Trim() is not { Length: >= 1 and <= 200 })
        {
            fouten[nameof(StartpuntNaam)] = b["wandeling.fout.startpuntnaam"];
        }
        if (
            (Lat is { Length: > 0 } || Lon is { Length: > 0 })
            && (LatGetal is not (>= -90 and <= 90) || LonGetal is not (>= -180 and <= 180))
        )
        {
            fouten[nameof(Lat)] = b["wandeling.fout.startpunt"];
        }
        if (RoutePunten() is not { } route || route.Count == 1 || route.Count > MaxRoutePunten)
        {
            fouten[nameof(Route)] = b["wandeling.fout.route", MaxRoutePunten];
        }
        if (Omschrijving is { Length: > 5000 })
        {
            fouten[nameof(Omschrijving)] = b["wandeling.fout.omschrijving"];
        }
        if (Toegankelijkheid is { Length: > 2000 })
        {
            fouten[nameof(Toegankelijkheid)] = b["wandeling.fout.toegankelijkheid"];
        }
        if (Capaciteit is not (>= 1 and <= 500))
        {
            fouten[nameof(Capaciteit)] = b["wandeling.fout.capaciteit"];
        }
        return fouten;
    }
}
