using Microsoft.Extensions.Options;
using Wijkmeldingen.Testing;

namespace Wijkmeldingen.Tests.Hosting;

/// <summary>A bad setting stops the portal at start with a message naming the key, instead of a 500
/// on every request that reads it. No database needed: validation runs before anything else starts.</summary>
public sealed class OptieValidatieTests
{
    [Theory]
    [InlineData("Wijkbeeld:BurenFactor", "1.5")]
    [InlineData("Wijkbeeld:Celgroottes:0", "3")]
    [InlineData("Wijkbeeld:VerversSeconden", "0")]
    [InlineData("Wijkbeeld:Signalen:RondeMinuten", "0")]
    [InlineData("Melden:OmschrijvingMinLengte", "5000")]
    [InlineData("Melden:RateLimietAantal", "0")]
    [InlineData("Kaart:MaxZoom", "40")]
    [InlineData("Kaart:TegelUrl", "ftp://tegels.example.nl/{z}/{x}/{y}.png")]
    [InlineData("Kaart:OnderdrukOnder", "-1")]
    [InlineData("Kaart:MaxPunten", "0")]
    [InlineData("Beheer:SessieMinuten", "0")]
    [InlineData("Beheer:TevredenheidDagen", "0")]
    [InlineData("Open311:PerSleutelPerMinuut", "0")]
    [InlineData("Database:BewaarContactDagen", "0")]
    [InlineData("Proxy:Netwerken:0", "geen-netwerk")]
    [InlineData("Telemetrie:OtlpEndpoint", "collector:4317")]
    [InlineData("Geocoder:TimeoutMs", "5")]
    [InlineData("Fotos:JpegKwaliteit", "0")]
    public async Task A_bad_setting_stops_the_start_with_a_message_naming_its_key(string sleutel, string waarde)
    {
        await using var app = new WijkAppFactory(
            "Host=127.0.0.1;Port=1;Username=postgres;Database=x;Timeout=2",
            new Dictionary<string, string?> { ["Database:MigrateOnStartup"] = "false", [sleutel] = waarde }
        );

        var fout = Record.Exception(() => app.CreateClient());

        Assert.NotNull(fout);
        var validatie = Assert.IsType<OptionsValidationException>(Binnenste<OptionsValidationException>(fout));
        var sectie = sleutel.Split(':')[0];
        var eigenschap = sleutel.Split(':')[^1] is var laatste && int.TryParse(laatste, out _) ? sleutel.Split(':')[^2] : laatste;
        Assert.Contains(validatie.Failures, f =>
            f.Contains(sectie, StringComparison.Ordinal) && f.Contains(eigenschap, StringComparison.Ordinal)
        );
    }

    private static Exception? Binnenste<T>(Exception fout)
        where T : Exception
    {
        for (Exception? e = fout; e is not null; e = e.InnerException)
        {
            if (e is T)
            {
                return e;
            }
            if (
                e is AggregateException aggregate
                && aggregate.InnerExceptions.Select(Binnenste<T>).FirstOrDefault(x => x is not null) is { } gevonden
            )
            {
                return gevonden;
            }
        }
        return null;
    }
}
