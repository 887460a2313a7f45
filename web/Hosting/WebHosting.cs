using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Localization;
using Wijkmeldingen.Web.Data;

namespace Wijkmeldingen.Web.Hosting;

/// <summary>The web plumbing every feature relies on: Dutch culture first, errors as plain pages,
/// security headers, routing (static files are endpoints: MapStaticAssets).</summary>
public static class WebHosting
{
    public static readonly CultureInfo[] Cultures = [new("nl-NL"), new("en")];

    /// <summary>Cookie of the antiforgery token (forms); HttpOnly, SameSite=Strict, Secure over HTTPS.</summary>
    public const string AntiforgeryCookie = "wijk.af";

    public static IServiceCollection AddWebHosting(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services
            .AddOptions<ProxyOptions>()
            .BindConfiguration(ProxyOptions.Section)
            .ValidateDataAnnotations()
            .Validate(
                o => o.Netwerken.All(n => System.Net.IPNetwork.TryParse(n, out _)),
                "Proxy:Netwerken must be networks in CIDR notation, e.g. 10.0.0.0/8."
            )
            .ValidateOnStart();
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = AntiforgeryCookie;
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            // Secure whenever the visitor's connection is HTTPS, also behind a TLS-terminating proxy
            // (Proxy:Netwerken makes X-Forwarded-Proto count).
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        // TempData (the thank-you page's one-time link) travels in a protected cookie: same flags.
        services.Configure<Microsoft.AspNetCore.Mvc.CookieTempDataProviderOptions>(options =>
        {
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        // Behind a load balancer: take the client address and scheme from X-Forwarded-For/-Proto, but
        // only from the proxies' own networks.
        var proxy = configuration.GetSection(ProxyOptions.Section).Get<ProxyOptions>() ?? new ProxyOptions();
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.ForwardLimit = proxy.Hops;
            foreach (var netwerk in proxy.Netwerken)
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(netwerk));
            }
        });
        services.AddProblemDetails();
        services.AddLocalization(options => options.ResourcesPath = "Resources");
        services.Configure<RequestLocalizationOptions>(options =>
        {
            options.DefaultRequestCulture = new RequestCulture(Cultures[0]);
            options.SupportedCultures = Cultures;
            options.SupportedUICultures = Cultures;
            // Dutch unless the visitor switched language (cookie) or a link asks for it (?culture=en);
            // a Dutch municipal site does not follow the browser's language on its own.
            options.RequestCultureProviders = [new QueryStringRequestCultureProvider(), new CookieRequestCultureProvider()];
        });
        return services;
    }

    /// <summary>A database that is down or restarting is answered with 503, not 500 (the rule is
    /// DatabaseResilience.IsUnavailable, beside the retry and circuit breaker it follows).</summary>
    public static bool IsDatabaseUnavailable(Exception exception) => DatabaseResilience.IsUnavailable(exception);

    /// <summary>/taal/{cultuur}?terug=/pad: the language switch. Remembers the choice for a year and
    /// goes back to the page the visitor came from (local paths only).</summary>
    public static IEndpointRouteBuilder MapTaal(this IEndpointRouteBuilder app)
    {
        app.MapGet("/taal/{cultuur}", (string cultuur, string? terug, HttpContext http) =>
        {
            var gekozen = Cultures.FirstOrDefault(c => c.TwoLetterISOLanguageName == cultuur) ?? Cultures[0];
            http.Response.Cookies.Append(
                CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(gekozen)),
                new CookieOptions
                {
                    MaxAge = TimeSpan.FromDays(365),
                    IsEssential = true,
                    SameSite = SameSiteMode.Lax,
                    HttpOnly = true,
                    Secure = http.Request.IsHttps,
                }
            );
            var doel =
                terug is { Length: > 0 }
                && terug.StartsWith('/')
                && !terug.StartsWith("//", StringComparison.Ordinal)
                && !terug.StartsWith("/\\", StringComparison.Ordinal)
                    ? terug
                    : "/";
            return Results.LocalRedirect(doel);
        });
        return app;
    }

    public static WebApplication UseWebHosting(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ProxyOptions>>().Value.Netwerken.Length > 0)
        {
            app.UseForwardedHeaders();
        }
        app.UseExceptionHandler(
            new ExceptionHandlerOptions
            {
                ExceptionHandlingPath = "/fout",
                StatusCodeSelector = e =>
                    IsDatabaseUnavailable(e) ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError,
            }
        );
        app.UseStatusCodePagesWithReExecute("/fout/{0}");
        // JSON and GeoJSON endpoints answer errors as ProblemDetails (Open311 in its own form).
        app.UseMiddleware<ApiFouten>();
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }
        app.UseMiddleware<SecurityHeaders>();
        app.UseMiddleware<OngeldigeTekens>();
        app.UseRequestLocalization();
        // Static files are endpoints (MapStaticAssets in Program.cs): compressed at build/publish,
        // fingerprinted, cached for a year under their fingerprinted name and revalidated (ETag) under
        // their plain name. See docs/operations.md#static-files.
        app.UseRouting();
        return app;
    }
}

/// <summary>Settings under <c>Proxy</c>: the load balancer or reverse proxy in front of the web nodes.</summary>
public sealed class ProxyOptions
{
    public const string Section = "Proxy";

    /// <summary>Networks (CIDR, e.g. 10.0.0.0/8) of the proxies whose X-Forwarded-For and
    /// X-Forwarded-Proto headers are believed. Empty (default): the headers are ignored.</summary>
    public string[] Netwerken { get; set; } = [];

    /// <summary>How many proxies in a row may add X-Forwarded-For entries.</summary>
    [Range(1, 10, ErrorMessage = "Proxy:Hops must be between {1} and {2}.")]
    public int Hops { get; set; } = 1;
}
