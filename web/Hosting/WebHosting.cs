using System.Globalization;
using Microsoft.AspNetCore.Localization;
using Npgsql;
using Polly.CircuitBreaker;

namespace Wijkmeldingen.Web.Hosting;

/// <summary>The web plumbing every feature relies on: Dutch culture first, errors as plain pages,
/// security headers, static files.</summary>
public static class WebHosting
{
    public static readonly CultureInfo[] Cultures = [new("nl-NL"), new("en")];

    public static IServiceCollection AddWebHosting(this IServiceCollection services)
    {
        services.AddLocalization();
        services.Configure<RequestLocalizationOptions>(options =>
        {
            options.DefaultRequestCulture = new RequestCulture(Cultures[0]);
            options.SupportedCultures = Cultures;
            options.SupportedUICultures = Cultures;
        });
        return services;
    }

    /// <summary>A database that is down or restarting is answered with 503, not 500.</summary>
    public static bool IsDatabaseUnavailable(Exception exception) =>
        exception is BrokenCircuitException or TimeoutException
        || (exception is NpgsqlException npgsql && (npgsql.IsTransient || npgsql is not PostgresException));

    public static WebApplication UseWebHosting(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandlingPath = "/fout",
            StatusCodeSelector = e => IsDatabaseUnavailable(e) ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError,
        });
        app.UseStatusCodePagesWithReExecute("/fout/{0}");
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }
        app.UseMiddleware<SecurityHeaders>();
        app.UseRequestLocalization();
        app.UseStaticFiles();
        app.UseRouting();
        return app;
    }
}
