using System.Globalization;
using System.Net;
using Dapper;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Features.Maatregelen;

namespace Wijkmeldingen.Tests.Features.Maatregelen;

/// <summary>The "started" mail goes on the measure's start date, on the portal's clock: a measure that
/// staff set to running with a start date ahead is announced by the background round when that date
/// has come (local time), once, however often the round runs.</summary>
public sealed class MaatregelStartdatumTests : AppTest
{
    /// <summary>A clock that stands still at one moment.</summary>
    private sealed class VasteKlok(DateTimeOffset nu) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => nu;
    }

    private async Task<long> TelAsync(string sql)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>(sql);
    }

    /// <summary>Runs the round in a portal whose clock stands at <paramref name="nu"/> (its own
    /// background round may run it as well when it starts; either way each mail is queued once).</summary>
    private async Task RondeOpAsync(DateTimeOffset nu)
    {
        await using var app = new WijkAppFactory(Database.ConnectionString).WithWebHostBuilder(b =>
            b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(new VasteKlok(nu)))
        );
        await app.Services.GetRequiredService<MaatregelBerichten>().EenRondeAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_running_measure_is_announced_on_its_start_date_once()
    {
        // Far enough ahead that the portal's real clock has not reached it.
        var start = new DateOnly(2027, 3, 20);
        var melding = await Een.Melding(DataSource).Email("melder@example.nl").OpgeslagenAsync();
        await BeheerAccounts.MaakAsync(App.Services, "wim@heemstede.nl", "Wim Wijkprofessional", Rollen.Wijkprofessional);
        var client = await BeheerAccounts.IngelogdAsync(App, "wim@heemstede.nl");
        var pagina = await client.OpenAsync("/beheer/maatregelen/nieuw");
        var velden = MaatregelenTests.Velden(
            meldingen: melding.Volgcode,
            status: "lopend",
            start: start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
        );
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostAsync("/beheer/maatregelen/nieuw", pagina.Token, velden)).StatusCode);
        const string Gestart = "SELECT count(*) FROM mail_outbox WHERE sleutel LIKE 'maatregel-gestart:%'";

        // Running, but on the portal's own clock the start date has not come: no mail.
        await App.Services.GetRequiredService<MaatregelBerichten>().EenRondeAsync(CancellationToken.None);
        // 23:30 on the day before in Amsterdam (22:30 UTC).
        await RondeOpAsync(new DateTimeOffset(2027, 3, 19, 22, 30, 0, TimeSpan.Zero));
        Assert.Equal(0, await TelAsync(Gestart));

        // 00:30 on the start date in Amsterdam (23:30 UTC the day before): the mail goes, once.
        await RondeOpAsync(new DateTimeOffset(2027, 3, 19, 23, 30, 0, TimeSpan.Zero));
        Assert.Equal(1, await TelAsync(Gestart));
        await RondeOpAsync(new DateTimeOffset(2027, 3, 21, 9, 0, 0, TimeSpan.Zero));
        Assert.Equal(1, await TelAsync(Gestart));
        await using var connection = await DataSource.OpenConnectionAsync();
        Assert.Equal(
            "melder@example.nl",
            await connection.ExecuteScalarAsync<string>("SELECT aan FROM mail_outbox WHERE sleutel LIKE 'maatregel-gestart:%'")
        );
    }
}
