using Microsoft.Extensions.Options;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Info;

/// <summary>The municipality's house style as the layout links it: <c>/huisstijl.css</c> (the profile's
/// colour tokens on <c>:root</c>, loaded before site.css; the Content-Security-Policy allows no inline
/// styles) and <c>/huisstijl/&lt;logo&gt;.svg</c> (the logo file from the profile's folder).</summary>
public static class InfoSetup
{
    public static IEndpointRouteBuilder MapInfo(this IEndpointRouteBuilder app)
    {
        app.MapGet("/huisstijl.css", (HttpContext http, IOptions<GemeenteProfiel> profiel) =>
        {
            http.Response.Headers.CacheControl = "public, max-age=3600";
            return Results.Text(profiel.Value.Huisstijl.Css(), "text/css; charset=utf-8");
        });
        app.MapGet("/huisstijl/{bestand}", (string bestand, HttpContext http, IOptions<GemeenteProfiel> profiel) =>
        {
            var p = profiel.Value;
            if (!string.Equals(bestand, p.Huisstijl.Logo, StringComparison.Ordinal))
            {
                return Results.NotFound();
            }
            http.Response.Headers.CacheControl = "public, max-age=3600";
            return Results.File(Path.Combine(GemeenteSetup.ProfielFolder(p), p.Huisstijl.Logo), "image/svg+xml");
        });
        return app;
    }
}
