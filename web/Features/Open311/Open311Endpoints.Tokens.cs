using Microsoft.Extensions.Options;
using Npgsql;
using Wijkmeldingen.Web.Domein;
using static Wijkmeldingen.Web.Features.Open311.Open311Antwoord;

namespace Wijkmeldingen.Web.Features.Open311;

public static partial class Open311Endpoints
{
    /// <summary>GET a token: we answer POST with the service_request_id at once, so a token is the same
    /// tracking code.</summary>
    private static void MapTokens(IEndpointRouteBuilder v2)
    {
        v2.MapGet(
            "/tokens/{token}.{format}",
            async (
                string token,
                HttpContext http,
                NpgsqlDataSource dataSource,
                IOptions<PubliekOptions> kaart,
                CancellationToken cancellationToken
            ) =>
            {
                var formaat = Formaat(http)!;
                var code = Volgcode.Normaliseer(token);
                var verzoeken = code is null
                    ? []
                    : await VerzoekenAsync(dataSource, kaart.Value.PubliekRasterMeters, [code], [], null, null, null, 1, cancellationToken);
                return verzoeken.Count == 0
                    ? Foutmelding(formaat, StatusCodes.Status404NotFound, $"token '{token}' is onbekend.")
                    : Schrijf(
                        formaat,
                        new Lijst(
                            "service_requests",
                            "request",
                            [new Obj("request", [("service_request_id", verzoeken[0].Volgcode), ("token", verzoeken[0].Volgcode)])]
                        )
                    );
            }
        );
    }
}
