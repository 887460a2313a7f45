using Microsoft.Extensions.Localization;
using Wijkmeldingen.Web.Data;
using Wijkmeldingen.Web.Domein;
using static Wijkmeldingen.Web.Features.Open311.Open311Antwoord;

namespace Wijkmeldingen.Web.Features.Open311;

public static partial class Open311Endpoints
{
    /// <summary>GET services (the categories residents can report) and a service's definition (the
    /// attribute voorgevallen_op and the category's extra questions, <see cref="RubriekVragen"/>).</summary>
    private static void MapServices(IEndpointRouteBuilder v2)
    {
        v2.MapGet("/services.{format}", async (HttpContext http, LeesDatabase lezen, CancellationToken cancellationToken) =>
        {
            var diensten = await DienstenAsync(lezen.Bron, null, cancellationToken);
            return Schrijf(
                Formaat(http)!,
                new Lijst(
                    "services",
                    "service",
                    diensten
                        .Select(d =>
                            (object)
                                new Obj(
                                    "service",
                                    [
                                        ("service_code", d.Code),
                                        ("service_name", d.Naam),
                                        ("description", d.Uitleg),
                                        ("metadata", true),
                                        ("type", "realtime"),
                                        ("keywords", $"{d.Prioriteit}, {d.Thema}"),
                                        ("group", d.Thema),
                                    ]
                                )
                        )
                        .ToList()
                )
            );
        });

        v2.MapGet(
            "/services/{code}.{format}",
            async (string code, HttpContext http, LeesDatabase lezen, CancellationToken cancellationToken) =>
            {
                var formaat = Formaat(http)!;
                if ((await DienstenAsync(lezen.Bron, code, cancellationToken)).Count == 0)
                {
                    return Foutmelding(formaat, StatusCodes.Status404NotFound, $"service_code '{code}' is onbekend.");
                }
                await using var connection = await lezen.Bron.OpenConnectionAsync(cancellationToken);
                var vragen = await RubriekVragen.VanRubriekAsync(connection, code, cancellationToken);
                var attributen = new List<object>
                {
                    new Obj(
                        "attribute",
                        [
                            ("variable", true),
                            ("code", "voorgevallen_op"),
                            ("datatype", "datetime"),
                            ("required", false),
                            ("datatype_description", "Wanneer gebeurde het? ISO 8601, bijvoorbeeld 2026-11-27T21:30:00+01:00."),
                            ("order", 1),
                            ("description", "Wanneer gebeurde het?"),
                        ]
                    ),
                };
                var t = http.RequestServices.GetRequiredService<IStringLocalizer<Tekst>>();
                attributen.AddRange(vragen.Select((v, i) => (object)AlsAttribuut(v, i + 2, t)));
                return Schrijf(
                    formaat,
                    new Obj(
                        "service_definition",
                        [("service_code", code), ("attributes", new Lijst("attributes", "attribute", attributen))]
                    )
                );
            }
        );
    }

    /// <summary>A category's extra question as a GeoReport v2 attribute: choices and yes/no as a
    /// singlevaluelist (key = the stored value), a stop that always applies as information only
    /// (variable false), a stop question whose "ja" refuses the request.</summary>
    private static Obj AlsAttribuut(RubriekVragen.Vraag v, int volgorde, IStringLocalizer t)
    {
        var jaNee = new Lijst(
            "values",
            "value",
            [
                new Obj("value", [("key", RubriekVragen.Ja), ("name", t["vraag.ja"].Value)]),
                new Obj("value", [("key", RubriekVragen.Nee), ("name", t["vraag.nee"].Value)]),
            ]
        );
        var (datatype, uitleg, waarden) = v.Soort switch
        {
            RubriekVragen.Soorten.Keuze => (
                "singlevaluelist",
                "Een van de waarden (key).",
                new Lijst(
                    "values",
                    "value",
                    v.Opties.Select(o => (object)new Obj("value", [("key", o.Waarde), ("name", o.Label)])).ToList()
                )
            ),
            RubriekVragen.Soorten.JaNee => ("singlevaluelist", "ja of nee.", jaNee),
            RubriekVragen.Soorten.Stop when v.StopAltijd => ("text", RubriekVragen.StopTekst(v, t), null),
            RubriekVragen.Soorten.Stop => ("singlevaluelist", $"Bij ja wordt de melding geweigerd: {RubriekVragen.StopTekst(v, t)}", jaNee),
            RubriekVragen.Soorten.Datum => ("datetime", "Een datum, yyyy-MM-dd.", null),
            RubriekVragen.Soorten.Tijd => ("string", "Een tijd van de dag, HH:mm.", null),
            _ => ("text", $"Vrije tekst, maximaal {RubriekVragen.MaxAntwoordLengte} tekens.", (Lijst?)null),
        };
        var velden = new List<(string, object?)>
        {
            ("variable", v.Variabel),
            ("code", v.Code),
            ("datatype", datatype),
            ("required", v.Variabel && v.Verplicht),
            ("datatype_description", uitleg),
            ("order", volgorde),
            ("description", v.Tekst),
        };
        if (waarden is not null)
        {
            velden.Add(("values", waarden));
        }
        return new Obj("attribute", velden);
    }
}
