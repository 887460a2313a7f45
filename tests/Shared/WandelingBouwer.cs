using System.Globalization;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Features.Wandelingen.Beheer;

namespace Wijkmeldingen.Testing;

/// <summary>
/// Builds a wijkwandeling and saves it the way the organiser's form does: <see cref="WandelingPlanning.OpslaanAsync"/>
/// (a concept, with its audit row), then <see cref="WandelingPlanning.PublicerenAsync"/> or
/// <see cref="WandelingPlanning.AnnulerenAsync"/> for the status. Those refuse a walk that has already
/// started or ended; for such a walk in the past the status is set afterwards in a plain UPDATE (the
/// one documented adjustment).
/// </summary>
public sealed class WandelingBouwer(IServiceProvider services)
{
    /// <summary>The walks' test organiser (audit rows name it).</summary>
    public static readonly Actor Organisator = new(Guid.Parse("00000000-0000-0000-0000-00000000a11c"), "Test Organisator");

    private string titel = "Rondje Binnenweg";
    private string wijk = TestGemeente.EersteWijk;
    private DateTimeOffset begin = DateTimeOffset.UtcNow.AddDays(7);
    private int duur = 90;
    private string startpuntNaam = "Raadhuisplein";
    private double lat = MeldingBouwer.StandaardLat;
    private double lon = MeldingBouwer.StandaardLon;
    private (double Lat, double Lon)[] route =
    [
        TestGemeente.Plek(52.3524, 4.6192),
        TestGemeente.Plek(52.3530, 4.6210),
        TestGemeente.Plek(52.3520, 4.6230),
    ];
    private string omschrijving = "We lopen langs de winkels en het station.";
    private string toegankelijkheid = "Rolstoeltoegankelijk, rustig tempo.";
    private int capaciteit = 20;
    private string status = "gepubliceerd";

    public WandelingBouwer Titel(string tekst)
    {
        titel = tekst;
        return this;
    }

    public WandelingBouwer Wijk(string code)
    {
        wijk = code;
        return this;
    }

    /// <summary>Starts this long from now (negative: in the past).</summary>
    public WandelingBouwer Over(TimeSpan tijd)
    {
        begin = DateTimeOffset.UtcNow + tijd;
        return this;
    }

    public WandelingBouwer BegintOp(DateTimeOffset moment)
    {
        begin = moment;
        return this;
    }

    /// <summary>Starts at a local (Europe/Amsterdam) time.</summary>
    public WandelingBouwer BegintOp(DateTime lokaal)
    {
        var tijd = DateTime.SpecifyKind(lokaal, DateTimeKind.Unspecified);
        begin = new DateTimeOffset(tijd, Tijd.Amsterdam.GetUtcOffset(tijd));
        return this;
    }

    public WandelingBouwer Duur(int minuten)
    {
        duur = minuten;
        return this;
    }

    public WandelingBouwer Startpunt(string naam, double breedte, double lengte)
    {
        startpuntNaam = naam;
        lat = breedte;
        lon = lengte;
        return this;
    }

    /// <summary>The route's vertices (lat, lon); none for a walk without a drawn route.</summary>
    public WandelingBouwer Route(params (double Lat, double Lon)[] punten)
    {
        route = punten;
        return this;
    }

    public WandelingBouwer Omschrijving(string tekst, string toegankelijk = "")
    {
        omschrijving = tekst;
        toegankelijkheid = toegankelijk;
        return this;
    }

    public WandelingBouwer Capaciteit(int plaatsen)
    {
        capaciteit = plaatsen;
        return this;
    }

    /// <summary>'gepubliceerd' (default), 'concept' or 'geannuleerd'.</summary>
    public WandelingBouwer Status(string code)
    {
        status = code;
        return this;
    }

    public async Task<long> OpgeslagenAsync()
    {
        await using var scope = services.CreateAsyncScope();
        var planning = scope.ServiceProvider.GetRequiredService<WandelingPlanning>();
        var lokaal = TimeZoneInfo.ConvertTime(begin, Tijd.Amsterdam);
        var invoer = new WandelingInvoer
        {
            Titel = titel,
            WijkCode = wijk,
            Begin = lokaal.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
            DuurMinuten = duur,
            StartpuntNaam = startpuntNaam,
            Route =
                route.Length == 0
                    ? null
                    : "["
                        + string.Join(",", route.Select(p => string.Create(CultureInfo.InvariantCulture, $"[{p.Lat:R},{p.Lon:R}]")))
                        + "]",
            Omschrijving = omschrijving,
            Toegankelijkheid = toegankelijkheid,
            Capaciteit = capaciteit,
        };
        invoer.ZetStartpunt(lat, lon);
        var uitkomst = await planning.OpslaanAsync(null, invoer, Organisator, CancellationToken.None);
        if (uitkomst.Fout != PlanningFout.Geen)
        {
            throw new InvalidOperationException($"The walk was not saved: {uitkomst.Fout}");
        }
        var id = uitkomst.Id;
        var fout = status switch
        {
            "concept" => PlanningFout.Geen,
            "gepubliceerd" => await planning.PublicerenAsync(id, Organisator, CancellationToken.None),
            "geannuleerd" => await planning.AnnulerenAsync(id, Organisator, CancellationToken.None),
            _ => throw new ArgumentException($"Unknown walk status '{status}'"),
        };
        if (fout == PlanningFout.Status && begin <= DateTimeOffset.UtcNow)
        {
            // Adjustment: the planning refuses to publish or cancel a walk that has started or ended.
            var dataSource = scope.ServiceProvider.GetRequiredService<NpgsqlDataSource>();
            await using var connection = await dataSource.OpenConnectionAsync();
            await connection.ExecuteAsync("UPDATE wandeling SET status = @status WHERE id = @id", new { id, status });
        }
        else if (fout != PlanningFout.Geen)
        {
            throw new InvalidOperationException($"The walk's status was not set: {fout}");
        }
        return id;
    }
}
