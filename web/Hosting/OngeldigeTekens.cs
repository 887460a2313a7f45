using Wijkmeldingen.Web.Features.Open311;

namespace Wijkmeldingen.Web.Hosting;

/// <summary>
/// Refuses input with NUL characters in the query string or form fields with a 400, before any
/// feature sees it: PostgreSQL cannot store them in text and would otherwise answer with an error
/// the app could only report as a 500. The Open311 API gets its error in the spec's form.
/// </summary>
public sealed class OngeldigeTekens(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var ongeldig = context.Request.Query.Any(q => q.Key.Contains('\0', StringComparison.Ordinal) || q.Value.Any(v => v?.Contains('\0', StringComparison.Ordinal) == true));
        if (!ongeldig && context.Request.HasFormContentType)
        {
            try
            {
                var form = await context.Request.ReadFormAsync(context.RequestAborted);
                ongeldig = form.Any(f => f.Key.Contains('\0', StringComparison.Ordinal) || f.Value.Any(v => v?.Contains('\0', StringComparison.Ordinal) == true))
                    || form.Files.Any(f => f.FileName.Contains('\0', StringComparison.Ordinal));
            }
            catch (Exception e) when (e is InvalidDataException or IOException or BadHttpRequestException)
            {
                ongeldig = true;
            }
        }
        if (!ongeldig)
        {
            await next(context);
            return;
        }
        if (context.Request.Path.StartsWithSegments("/open311/v2"))
        {
            var formaat = context.Request.Path.Value?.EndsWith(".xml", StringComparison.OrdinalIgnoreCase) == true ? "xml" : "json";
            await Open311Antwoord.Foutmelding(formaat, StatusCodes.Status400BadRequest, "De invoer bevat ongeldige tekens.").ExecuteAsync(context);
            return;
        }
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
    }
}
