using System.Globalization;
using CsvHelper;
using Microsoft.Extensions.Options;
using NetTopologySuite.Features;
using Wijkmeldingen.Web.Csv;
using Wijkmeldingen.Web.Data;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Wijkbeeld;

/// <summary>
/// Downloads of the public figures: GET /wijken/hotspots.geojson (the coarse hotspot cells with
/// their Gi* class) and GET /wijken/cijfers.csv, /wijken/{wijkcode}/cijfers.csv (the picture's
/// table) and GET /wijken/{wijkcode}/buurten.geojson (the buurten map). All carry exactly what the pages
/// show: no 'verborgen' category, small counts suppressed.
/// </summary>
public static class WijkenExports
{
    public static IEndpointRouteBuilder MapWijkenExports(this IEndpointRouteBuilder app)
    {
        app.MapGet(
            "/wijken/hotspots.geojson",
            async (
                HttpRequest request,
                HotspotEngine hotspots,
                IOptions<WijkbeeldOptions> options,
                TimeProvider klok,
                CancellationToken cancellationToken
            ) =>
            {
                var cellen = await hotspots.BerekenAsync(
                    PubliekFilter(request, options.Value, klok),
                    metGeometrie: true,
                    cancellationToken
                );
                var drempel = options.Value.Drempel;
                var collectie = new FeatureCollection();
                foreach (var c in cellen)
                {
                    var aantal = Onderdrukking.Los(c.Aantal, drempel);
                    collectie.Add(
                        new Feature(
                            c.Geom,
                            new AttributesTable
                            {
                                { "cel", $"{c.I.ToString(CultureInfo.InvariantCulture)},{c.J.ToString(CultureInfo.InvariantCulture)}" },
                                { "buurtcode", c.BuurtCode },
                                { "buurt", c.BuurtNaam },
                                { "aantal", aantal.Zichtbaar },
                                {
                                    "aantalTekst",
                                    aantal.Onderdrukt
                                        ? $"< {drempel.ToString(CultureInfo.InvariantCulture)}"
                                        : c.Aantal.ToString(CultureInfo.InvariantCulture)
                                },
                                { "z", Math.Round(c.Z, 2) },
                                { "klasse", (int)c.Klasse },
                            }
                        )
                    );
                }
                return Results.Json(collectie, contentType: "application/geo+json; charset=utf-8");
            }
        );

        // The wijk's own map of its buurten: the figures of the page's buurten table, with their class.
        app.MapGet(
            "/wijken/{wijkcode:regex(^WK[0-9]{{6}}$)}/buurten.geojson",
            async (
                string wijkcode,
                HttpRequest request,
                WijkbeeldCijfers cijfers,
                LeesDatabase lezen,
                TimeProvider klok,
                CancellationToken cancellationToken
            ) =>
            {
                var data = await cijfers.LaadAsync(wijkcode, LeesPeriode(request, klok), publiek: true, cancellationToken);
                if (data is null)
                {
                    return Results.NotFound();
                }
                var beeld = WijkbeeldWeergave.Maak(data, cijfers.Drempel);
                var collectie = await BuurtKaart.GeoJsonAsync(lezen.Bron, beeld, cancellationToken);
                return Results.Json(collectie, contentType: "application/geo+json; charset=utf-8");
            }
        );

        app.MapGet(
            "/wijken/cijfers.csv",
            (HttpRequest request, WijkbeeldCijfers cijfers, TimeProvider klok, CancellationToken cancellationToken) =>
                CsvAsync(null, request, cijfers, klok, cancellationToken)
        );
        app.MapGet(
            "/wijken/{wijkcode:regex(^WK[0-9]{{6}}$)}/cijfers.csv",
            (string wijkcode, HttpRequest request, WijkbeeldCijfers cijfers, TimeProvider klok, CancellationToken cancellationToken) =>
                CsvAsync(wijkcode, request, cijfers, klok, cancellationToken)
        );
        return app;
    }

    public static Periode LeesPeriode(HttpRequest request, TimeProvider klok)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(klok);
        var q = request.Query;
        return Periode.Lees(q["soort"], q["maand"], q["kwartaal"], q["jaar"], q["van"], q["tot"], Vandaag(klok));
    }

    public static DateTime Vandaag(TimeProvider klok)
    {
        ArgumentNullException.ThrowIfNull(klok);
        return Tijd.Lokaal(klok.GetUtcNow()).Date;
    }

    /// <summary>The public hotspot filter from the query: period, optional theme (?thema=overlast) and
    /// status (?status=open|gesloten). Always the coarse grid and public categories only.</summary>
    public static HotspotFilter PubliekFilter(HttpRequest request, WijkbeeldOptions options, TimeProvider klok)
    {
        ArgumentNullException.ThrowIfNull(request);
        string? thema = request.Query["thema"];
        var status = (string?)request.Query["status"];
        return new HotspotFilter(
            options?.PubliekeCelgrootte ?? throw new ArgumentNullException(nameof(options)),
            HotspotPeriode(request, options, klok),
            Publiek: true,
            Thema: thema is { Length: > 0 and <= 40 } ? thema : null,
            Gesloten: status switch
            {
                "open" => false,
                "gesloten" => true,
                _ => null,
            }
        );
    }

    /// <summary>The query string of a hotspot filter (for the map's data URL and the download).</summary>
    public static string HotspotQuery(HotspotFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var q = filter.Periode.Query;
        if (filter.Thema is { } thema)
        {
            q += "&thema=" + Uri.EscapeDataString(thema);
        }
        if (filter.Gesloten is { } gesloten)
        {
            q += gesloten ? "&status=gesloten" : "&status=open";
        }
        return q;
    }

    /// <summary>The hotspot map's period: the chosen one, else the last HotspotMaanden complete months.</summary>
    public static Periode HotspotPeriode(HttpRequest request, WijkbeeldOptions options, TimeProvider klok)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        if (request.Query.ContainsKey("soort"))
        {
            return LeesPeriode(request, klok);
        }
        var tot = Periode.MaandVan(Vandaag(klok)).AddMonths(-1);
        return new Periode("vrij", tot.AddMonths(1 - Math.Clamp(options.HotspotMaanden, 1, Periode.MaxMaanden)), tot);
    }

    private static async Task<IResult> CsvAsync(
        string? wijkcode,
        HttpRequest request,
        WijkbeeldCijfers cijfers,
        TimeProvider klok,
        CancellationToken cancellationToken
    )
    {
        var periode = LeesPeriode(request, klok);
        var data = await cijfers.LaadAsync(wijkcode, periode, true, Taal.Nederlands, cancellationToken);
        if (data is null)
        {
            return Results.NotFound();
        }
        var beeld = WijkbeeldWeergave.Maak(data, cijfers.Drempel);
        var naam = $"wijkbeeld-{beeld.Gebied.Code}-{periode.MaandWaarde}-{periode.TotWaarde}.csv";
        return Results.File(Csv(beeld), "text/csv; charset=utf-8", naam);
    }

    /// <summary>One row per line of the picture; suppressed counts as "&lt; 5", derived figures empty.
    /// UTF-8 with BOM, semicolons and LF line ends: what Dutch Excel opens without asking; names are
    /// quoted and formula characters defused by the shared rule (<see cref="CsvRegels"/>).</summary>
    public static byte[] Csv(WijkbeeldWeergave beeld)
    {
        ArgumentNullException.ThrowIfNull(beeld);
        var kleiner = "< " + beeld.Drempel.ToString(CultureInfo.InvariantCulture);
        return CsvRegels.Schrijf(CsvRegels.Export(';', "\n", bom: true), csv =>
        {
            csv.WriteHeader(Kolommen);
            foreach (var r in new[] { beeld.Totaal }.Concat(beeld.Boom).Concat(beeld.Buurten))
            {
                csv.WriteField(beeld.Gebied.Code);
                csv.WriteField(beeld.Periode.MaandWaarde);
                csv.WriteField(beeld.Periode.TotWaarde);
                csv.WriteField(r.Niveau);
                csv.WriteField(r.Code);
                csv.WriteField(r.Naam);
                SchrijfAantal(csv, r.Aantal, kleiner);
                SchrijfAantal(csv, r.Vorig, kleiner);
                csv.WriteField(Eendecimaal(r.Per1000), "0.0");
                csv.WriteField(Eendecimaal(r.Verandering), "0.0");
                csv.WriteField(Eendecimaal(r.AandeelAfgehandeld), "0.0");
                csv.WriteField(r.MediaanDagen, "");
                csv.WriteField(Eendecimaal(r.AandeelHeropend), "0.0");
                csv.EndRecord();
            }
        });
    }

    private static readonly string[] Kolommen =
    [
        "gebied",
        "periode_van",
        "periode_tot",
        "niveau",
        "code",
        "naam",
        "meldingen",
        "meldingen_vorige_periode",
        "per_1000_inwoners",
        "verandering_pct",
        "afgehandeld_pct",
        "mediaan_dagen_tot_afgehandeld",
        "heropend_pct",
    ];

    private static void SchrijfAantal(CsvWriter csv, Aantal aantal, string kleiner)
    {
        if (aantal.Onderdrukt)
        {
            csv.WriteField(kleiner);
        }
        else
        {
            csv.WriteField(aantal.Waarde, "");
        }
    }

    private static double? Eendecimaal(double? d) => d is { } v ? Math.Round(v, 1) : null;
}
