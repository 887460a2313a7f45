using Microsoft.Extensions.Options;
using static Wijkmeldingen.Web.Features.Open311.Open311Antwoord;

namespace Wijkmeldingen.Web.Features.Open311;

public static partial class Open311Endpoints
{
    /// <summary>GET discovery: where the API is, which spec and formats.</summary>
    private static void MapDiscovery(IEndpointRouteBuilder v2)
    {
        v2.MapGet("/discovery.{format}", (HttpContext http, IOptions<Open311Options> options) =>
        {
            var opties = options.Value;
            var basis = $"{http.Request.Scheme}://{http.Request.Host}/open311/v2";
            return Schrijf(
                Formaat(http)!,
                new Obj(
                    "discovery",
                    [
                        ("changeset", Changeset),
                        ("contact", opties.Contact),
                        ("key_service", opties.KeyService),
                        (
                            "endpoints",
                            new Lijst(
                                "endpoints",
                                "endpoint",
                                [
                                    new Obj(
                                        "endpoint",
                                        [
                                            ("specification", Specificatie),
                                            ("url", basis),
                                            ("changeset", Changeset),
                                            ("type", "production"),
                                            ("formats", new Lijst("formats", "format", ["text/xml", "application/json"])),
                                        ]
                                    ),
                                ]
                            )
                        ),
                    ]
                )
            );
        });
    }
}
