namespace Wijkmeldingen.Web.Hosting;

/// <summary>
/// Refuses input with NUL characters in the query string or form fields with a 400, before any
/// feature sees it: PostgreSQL cannot store them in text and would otherwise answer with an error
/// the app could only report as a 500. An API that registered an <see cref="ApiFoutvorm"/> (Open311)
/// gets the error in its own form.
/// </summary>
public sealed class OngeldigeTekens(RequestDelegate next, IEnumerable<ApiFoutvorm> vormen)
{
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var ongeldig = context.Request.Query.Any(q =>
            q.Key.Contains('\0', StringComparison.Ordinal) || q.Value.Any(v => v?.Contains('\0', StringComparison.Ordinal) == true)
        );
        if (!ongeldig && context.Request.HasFormContentType)
        {
            try
            {
                var form = await context.Request.ReadFormAsync(context.RequestAborted);
                ongeldig =
                    form.Any(f =>
                        f.Key.Contains('\0', StringComparison.Ordinal)
                        || f.Value.Any(v => v?.Contains('\0', StringComparison.Ordinal) == true)
                    ) || form.Files.Any(f => f.FileName.Contains('\0', StringComparison.Ordinal));
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
        if (vormen.FirstOrDefault(v => context.Request.Path.StartsWithSegments(v.Pad)) is { } vorm)
        {
            await vorm.SchrijfAsync(context, StatusCodes.Status400BadRequest, "De invoer bevat ongeldige tekens.");
            return;
        }
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
    }
}

/// <summary>How an API under <see cref="Pad"/> answers an error the hosting layer raises before any
/// feature sees the request (status code, Dutch message). Registered by the feature that owns the API.</summary>
public sealed record ApiFoutvorm(PathString Pad, Func<HttpContext, int, string, Task> SchrijfAsync);
