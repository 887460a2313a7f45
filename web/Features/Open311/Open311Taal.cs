using System.Globalization;
using Microsoft.Net.Http.Headers;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Open311;

/// <summary>
/// The language of the API's service and state names. GeoReport v2 has no language of its own, so the
/// API answers in Dutch, the municipality's language, unless the client asks for English with
/// <c>locale=en</c> (the parameter some GeoReport servers add) or an Accept-Language that prefers
/// English over Dutch. The site's language cookie does not count here: an API answer should not
/// depend on what a browser chose on the portal.
/// </summary>
public static class Open311Taal
{
    private static readonly CultureInfo Engels = CultureInfo.GetCultureInfo("en");
    private static readonly CultureInfo Nederlands = CultureInfo.GetCultureInfo("nl-NL");

    public static ValueTask<object?> ZetAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        CultureInfo.CurrentUICulture = Kies(http.Request) == Taal.Engels ? Engels : Nederlands;
        http.Response.Headers.Append(HeaderNames.Vary, HeaderNames.AcceptLanguage);
        return next(context);
    }

    /// <summary>"en" or "nl" for this request.</summary>
    public static string Kies(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Query["locale"].FirstOrDefault() is { Length: > 0 } locale)
        {
            return TaalVan(locale) == Taal.Engels ? Taal.Engels : Taal.Nederlands;
        }
        var voorkeur = request
            .GetTypedHeaders()
            .AcceptLanguage.Where(t => t.Quality is null or > 0)
            .OrderByDescending(t => t.Quality ?? 1)
            .Select(t => TaalVan(t.Value.Value ?? ""))
            .FirstOrDefault(t => t is Taal.Engels or Taal.Nederlands);
        return voorkeur ?? Taal.Nederlands;
    }

    /// <summary>The melder's language of a POSTed request: GeoReport v2's <c>locale</c> field in the body
    /// when given, else the request's language (<see cref="Kies"/>).</summary>
    public static string VanMelder(string? locale, HttpRequest request) =>
        locale is { Length: > 0 } && TaalVan(locale) is { } taal ? taal : Kies(request);

    private static string? TaalVan(string tag)
    {
        var taal = tag.Split('-', '_')[0].Trim().ToLowerInvariant();
        return taal is Taal.Engels or Taal.Nederlands ? taal : null;
    }
}
