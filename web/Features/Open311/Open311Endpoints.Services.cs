using Wijkmeldingen.Web.Data;
using static Wijkmeldingen.Web.Features.Open311.Open311Antwoord;

namespace Wijkmeldingen.Web.Features.Open311;

public static partial class Open311Endpoints
{
    /// <summary>GET services (the categories residents can report) and a service's definition (its
    /// one extra attribute, voorgevallen_op).</summary>
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
                return Schrijf(
                    formaat,
                    new Obj(
                        "service_definition",
                        [
                            ("service_code", code),
                            (
                                "attributes",
                                new Lijst(
                                    "attributes",
                                    "attribute",
                                    [
                                        new Obj(
                                            "attribute",
                                            [
                                                ("variable", true),
                                                ("code", "voorgevallen_op"),
                                                ("datatype", "datetime"),
                                                ("required", false),
                                                (
                                                    "datatype_description",
                                                    "Wanneer gebeurde het? ISO 8601, bijvoorbeeld 2026-11-27T21:30:00+01:00."
                                                ),
                                                ("order", 1),
                                                ("description", "Wanneer gebeurde het?"),
                                            ]
                                        ),
                                    ]
                                )
                            ),
                        ]
                    )
                );
            }
        );
    }
}
