using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Melden;

/// <summary>
/// Limits how many reports one client files per window. Checked inside the handler (not as
/// middleware) so a refused melder gets the form back with their input and a Dutch message.
/// </summary>
public sealed class MeldenRateLimiter(IOptions<MeldenOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> limiter = PartitionedRateLimiter.Create<string, string>(client =>
        RateLimitPartition.GetFixedWindowLimiter(client, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(1, options.Value.RateLimietAantal),
            Window = TimeSpan.FromMinutes(Math.Max(1, options.Value.RateLimietVensterMinuten)),
            QueueLimit = 0,
        })
    );

    public bool Toegestaan(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var client = context.Connection.RemoteIpAddress?.ToString() ?? "onbekend";
        using var lease = limiter.AttemptAcquire(client);
        return lease.IsAcquired;
    }

    public void Dispose() => limiter.Dispose();
}
