using Npgsql;
using Wijkmeldingen.Testing;

namespace Wijkmeldingen.Tests.Features.Wijkbeeld;

/// <summary>Files test reports through <see cref="Een.Melding"/> at a chosen local time, in a chosen buurt,
/// with a status and (optionally) the history of being handled or reopened.</summary>
public static class TestMeldingen
{
    public static async Task MeldAsync(
        NpgsqlDataSource dataSource,
        string rubriek,
        string buurt,
        DateTime lokaal,
        int aantal = 1,
        string status = "gemeld",
        int? afgehandeldNaDagen = null,
        bool heropend = false
    )
    {
        var melding = Een.Melding(dataSource).Rubriek(rubriek).Met("Testmelding").In(buurt).AangemaaktOp(lokaal);
        if (afgehandeldNaDagen is { } dagen)
        {
            melding.AfgehandeldNa(TimeSpan.FromDays(dagen) + TimeSpan.FromHours(1));
        }
        if (heropend)
        {
            melding.HeropendNa(TimeSpan.FromDays((afgehandeldNaDagen ?? 0) + 1));
        }
        await melding.Status(status).OpgeslagenAsync(aantal);
    }
}
