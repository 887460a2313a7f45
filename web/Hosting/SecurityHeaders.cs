using Microsoft.Extensions.Options;
using Wijkmeldingen.Web.Geo;

namespace Wijkmeldingen.Web.Hosting;

/// <summary>
/// Security headers on every response. The Content-Security-Policy allows scripts and styles from
/// this origin only (no inline scripts), and images from this origin plus the configured tile server.
/// </summary>
public sealed class SecurityHeaders(RequestDelegate next, IOptions<KaartTegelOptions> kaart)
{
    private readonly string policy = BuildPolicy(kaart.Value);

    public static string BuildPolicy(KaartTegelOptions kaart)
    {
        ArgumentNullException.ThrowIfNull(kaart);
        var tiles = kaart.TegelOrigin() is { } origin ? " " + origin : "";
        return "default-src 'self'; script-src 'self'; style-src 'self'; "
            + $"img-src 'self' data: blob:{tiles}; connect-src 'self'; font-src 'self'; "
            + "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
    }

    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = policy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "same-origin";
        headers.XFrameOptions = "DENY";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(self)";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        return next(context);
    }
}
