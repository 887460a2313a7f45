using Microsoft.Extensions.Options;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Info;

/// <summary>The municipality's house style as the layout links it: <c>/huisstijl.css</c> (the profile's
/// colour tokens on <c>:root</c>, loaded before site.css; the Content-Security-Policy allows no inline
/// styles) and <c>/huisstijl/logo.svg</c> (the profile's logo file, whatever its name: one fixed address,
/// so the service worker can keep it for offline use).</summary>
public static class InfoSetup
{
    public static IEndpointRouteBuilder MapInfo(this IEndpointRouteBuilder app)
    {
        app.MapGet("/huisstijl.css", (HttpContext http, IOptions<GemeenteProfiel> profiel) =>
        {
            http.Response.Headers.CacheControl = "public, max-age=3600";
            return Results.Text(profiel.Value.Huisstijl.Css(), "text/css; charset=utf-8");
        });
        app.MapGet("/huisstijl/logo.svg", (HttpContext http, IOptions<GemeenteProfiel> profiel) =>
        {
            var p = profiel.Value;
            http.Response.Headers.CacheControl = "public, max-age=3600";
            return Results.File(Path.Combine(GemeenteSetup.ProfielFolder(p), p.Huisstijl.Logo), "image/svg+xml");
        });
        return app;
    }
}
