using Microsoft.AspNetCore.Diagnostics;

namespace Wijkmeldingen.Web.Hosting;

/// <summary>
/// Errors of the JSON and GeoJSON endpoints are answered as ProblemDetails (RFC 9457,
/// <c>application/problem+json</c>, with the request's trace id), never as the HTML error page: an
/// unknown route under such a path, a 404/405 without a body, refused input, an exception, a
/// database that is down (503). An API with an <see cref="ApiFoutvorm"/> of its own (Open311) gets
/// its own error form instead. A JSON request is one whose path ends in <c>.json</c> or
/// <c>.geojson</c>, or lies under a path a feature registered as a <see cref="JsonApi"/>.
/// Answers a handler wrote itself (a body, or a ProblemDetails of its own) are left as they are.
/// </summary>
public sealed class ApiFouten(
    RequestDelegate next,
    IEnumerable<ApiFoutvorm> vormen,
    IEnumerable<JsonApi> jsonApis,
    ILogger<ApiFouten> logger
)
{
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var pad = context.Request.Path;
        var vorm = vormen.FirstOrDefault(v => pad.StartsWithSegments(v.Pad));
        if (vorm is null && !IsJson(pad, jsonApis))
        {
            await next(context);
            return;
        }
        // This API answers its errors itself: no re-executed HTML error page.
        if (context.Features.Get<IStatusCodePagesFeature>() is { } statusPaginas)
        {
            statusPaginas.Enabled = false;
        }
        try
        {
            await next(context);
        }
        catch (Exception exception) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            var status = WebHosting.IsDatabaseUnavailable(exception)
                ? StatusCodes.Status503ServiceUnavailable
                : StatusCodes.Status500InternalServerError;
            // The path only: a query string may hold what someone typed.
            logger.LogError(exception, "Unhandled exception on {Path}, answered {Status}", pad.Value, status);
            context.Response.Clear();
            context.Response.StatusCode = status;
            await SchrijfAsync(context, vorm, status);
            return;
        }
        var antwoord = context.Response;
        if (
            antwoord.StatusCode >= 400
            && !antwoord.HasStarted
            && antwoord.ContentLength is null or 0
            && string.IsNullOrEmpty(antwoord.ContentType)
        )
        {
            await SchrijfAsync(context, vorm, antwoord.StatusCode);
        }
    }

    /// <summary>Whether errors under <paramref name="pad"/> are answered as ProblemDetails.</summary>
    public static bool IsJson(PathString pad, IEnumerable<JsonApi> jsonApis)
    {
        ArgumentNullException.ThrowIfNull(jsonApis);
        var waarde = pad.Value ?? "";
        return waarde.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
            || waarde.EndsWith(".geojson", StringComparison.OrdinalIgnoreCase)
            || jsonApis.Any(api => pad.StartsWithSegments(api.Pad));
    }

    private static Task SchrijfAsync(HttpContext context, ApiFoutvorm? vorm, int status)
    {
        var (titel, uitleg) = Tekst(status);
        if (vorm is not null)
        {
            return vorm.SchrijfAsync(context, status, uitleg);
        }
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            context.Response.Headers.RetryAfter = "30";
        }
        context.Response.Headers.CacheControl = "no-store";
        return Results.Problem(title: titel, detail: uitleg, statusCode: status).ExecuteAsync(context);
    }

    /// <summary>Dutch title and explanation per status, like the HTML error page.</summary>
    public static (string Titel, string Uitleg) Tekst(int status) =>
        status switch
        {
            StatusCodes.Status400BadRequest => ("Ongeldige aanvraag", "De aanvraag kon niet worden gelezen; controleer de parameters."),
            StatusCodes.Status401Unauthorized => ("Niet aangemeld", "Meld u eerst aan."),
            StatusCodes.Status403Forbidden => ("Geen toegang", "U heeft geen toegang tot dit onderdeel."),
            StatusCodes.Status404NotFound => ("Niet gevonden", "Dit adres bestaat niet (meer) in de API."),
            StatusCodes.Status405MethodNotAllowed => ("Methode niet toegestaan", "Dit adres kent deze HTTP-methode niet."),
            StatusCodes.Status413PayloadTooLarge => ("Te groot", "De aanvraag is te groot."),
            StatusCodes.Status415UnsupportedMediaType => ("Verkeerd formaat", "Dit formaat van de aanvraag wordt niet ondersteund."),
            StatusCodes.Status429TooManyRequests => ("Te veel verzoeken", "Probeer het over een minuut opnieuw."),
            StatusCodes.Status503ServiceUnavailable => (
                "Tijdelijk niet beschikbaar",
                "De gegevens zijn even niet bereikbaar. Probeer het over een halve minuut opnieuw."
            ),
            >= 500 => ("Er ging iets mis", "Er ging aan onze kant iets mis. Probeer het later opnieuw."),
            _ => ("Fout", "De aanvraag kon niet worden uitgevoerd."),
        };
}

/// <summary>A path whose answers are JSON, registered by the feature that owns it (e.g. <c>/adres</c>):
/// its errors, an unknown route under it included, are ProblemDetails.</summary>
public sealed record JsonApi(PathString Pad);
