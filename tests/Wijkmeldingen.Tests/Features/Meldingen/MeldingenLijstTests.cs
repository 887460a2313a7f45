using System.Net;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Data;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Features.Meldingen;

namespace Wijkmeldingen.Tests.Features.Meldingen;

/// <summary>/beheer/meldingen: filters, sorting, paging and the same selection on the map.</summary>
public sealed class MeldingenLijstTests : AppTest
{
    private MeldingBouwer Melding(string rubriek, string omschrijving) =>
        Een.Melding(DataSource).Rubriek(rubriek).Met(omschrijving).Email("melder@example.nl");

    private async Task<FormulierClient> Wijkagent()
    {
        await BeheerAccounts.MaakAsync(App.Services, "wijkagent@heemstede.nl", "Wim Wijkagent", Rollen.Wijkprofessional);
        return await BeheerAccounts.IngelogdAsync(App, "wijkagent@heemstede.nl");
    }

    private static async Task<int> AantalFeatures(HttpClient client, string query)
    {
        var antwoord = await client.GetAsync("/beheer/meldingen/kaart.geojson" + query);
        Assert.Equal("application/geo+json", antwoord.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await antwoord.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("features").GetArrayLength();
    }

    [Fact]
    public async Task A_new_report_appears_at_once_and_the_filters_narrow_list_and_map_alike()
    {
        var client = await Wijkagent();
        var jeugd = await Melding("jeugdoverlast", "Jongeren met scooters op het schoolplein.").OpgeslagenAsync();
        var parkeren = await Melding("parkeeroverlast", "Bestelbus op de stoep bij de bakker.")
            .In(TestGemeente.AndereWijkBuurt)
            .OpgeslagenAsync();
        await using (var connection = await DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("UPDATE melding SET status = 'afgehandeld' WHERE id = @Id", new { parkeren.Id });
        }

        var alles = await client.Http.GetStringAsync("/beheer/meldingen");
        var open = await client.Http.GetStringAsync("/beheer/meldingen?status=open");
        var thema = await client.Http.GetStringAsync("/beheer/meldingen?rubriek=t:verkeer");
        var tekst = await client.Http.GetStringAsync("/beheer/meldingen?q=schoolplein");
        var code = await client.Http.GetStringAsync("/beheer/meldingen?q=" + parkeren.Volgcode.ToLowerInvariant());
        var niemand = await client.Http.GetStringAsync("/beheer/meldingen?toegewezen=niemand&rubriek=r:jeugdoverlast");
        // Two days ahead: the portal reads dates in Amsterdam time, up to two hours ahead of this machine's UTC.
        var overmorgen = DateTime.Today.AddDays(2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var periode = await client.Http.GetStringAsync($"/beheer/meldingen?van={overmorgen}");

        Assert.Contains(jeugd.Volgcode, alles);
        Assert.Contains(parkeren.Volgcode, alles);
        Assert.Contains(jeugd.Volgcode, open);
        Assert.DoesNotContain(parkeren.Volgcode, open);
        Assert.Contains(parkeren.Volgcode, thema);
        Assert.DoesNotContain(jeugd.Volgcode, thema);
        Assert.Contains(jeugd.Volgcode, tekst);
        Assert.DoesNotContain(parkeren.Volgcode, tekst);
        Assert.Contains(parkeren.Volgcode, code);
        Assert.Contains(jeugd.Volgcode, niemand);
        Assert.Contains("Geen meldingen met deze filters.", periode);
        Assert.Equal(2, await AantalFeatures(client.Http, ""));
        Assert.Equal(1, await AantalFeatures(client.Http, "?status=open"));
        Assert.Equal(1, await AantalFeatures(client.Http, "?rubriek=t:verkeer"));
        Assert.Equal(0, await AantalFeatures(client.Http, "?q=niets-dat-bestaat"));
        // A submitted form leaves empty fields in the query: they mean "no filter" on the map too.
        Assert.Equal(1, await AantalFeatures(client.Http, "?status=&rubriek=t%3Averkeer&gebied=&toegewezen=&van=&tot=&q=&sorteer=nieuw"));
    }

    [Fact]
    public async Task Wijk_and_buurt_filters_use_the_stored_codes()
    {
        var client = await Wijkagent();
        var melding = await Melding("jeugdoverlast", "Vernielingen bij het bushokje.").OpgeslagenAsync();
        await using var connection = await DataSource.OpenConnectionAsync();
        var (buurt, wijk) = await connection.QuerySingleAsync<(string, string)>(
            "SELECT buurt_code, wijk_code FROM melding WHERE id = @Id",
            new { melding.Id }
        );
        var andereWijk = await connection.QuerySingleAsync<string>("SELECT code FROM wijk WHERE code <> @wijk LIMIT 1", new { wijk });

        Assert.Contains(melding.Volgcode, await client.Http.GetStringAsync($"/beheer/meldingen?gebied=b:{buurt}"));
        Assert.Contains(melding.Volgcode, await client.Http.GetStringAsync($"/beheer/meldingen?gebied=w:{wijk}"));
        Assert.DoesNotContain(melding.Volgcode, await client.Http.GetStringAsync($"/beheer/meldingen?gebied=w:{andereWijk}"));
    }

    [Fact]
    public async Task Fifty_a_page_sorted_newest_or_oldest_first()
    {
        var client = await Wijkagent();
        var nu = DateTimeOffset.UtcNow;
        for (var i = 1; i <= 60; i++)
        {
            await Een.Melding(DataSource).Met($"Melding nummer {i}").AangemaaktOp(nu.AddMinutes(-i)).OpgeslagenAsync();
        }

        var eerste = await client.Http.GetStringAsync("/beheer/meldingen");
        var tweede = await client.Http.GetStringAsync("/beheer/meldingen?pagina=2");
        var oudste = await client.Http.GetStringAsync("/beheer/meldingen?sorteer=oud");

        Assert.Contains("60 meldingen gevonden", eerste);
        Assert.Contains("Pagina 1 van 2", eerste);
        Assert.Contains("pagina=2", eerste);
        Assert.Contains("Melding nummer 1<", eerste);
        Assert.DoesNotContain("Melding nummer 51<", eerste);
        Assert.Contains("Melding nummer 51<", tweede);
        Assert.Contains("Pagina 2 van 2", tweede);
        Assert.True(
            oudste.IndexOf("Melding nummer 60<", StringComparison.Ordinal) < oudste.IndexOf("Melding nummer 59<", StringComparison.Ordinal)
        );
    }

    /// <summary>At 100,000 reports the list, its count and its map still answer what the filter asks:
    /// each filter's page holds exactly the rows a plain reference query gives (order and paging
    /// included), the count stops at <see cref="MeldingenZoeken.TelTot"/> + 1, paging stops at the last
    /// countable page, and the map holds the newest <see cref="MeldingenZoeken.KaartMaximum"/>. How fast
    /// it answers is measured by the benchmark (<c>Wijkmeldingen.Bench lijst</c>, docs/benchmarks.md),
    /// not asserted here.</summary>
    [Fact]
    public async Task The_list_pages_counts_and_maps_correctly_with_100000_reports()
    {
        var seeder = new DemoSeeder(EigenaarDataSource, Options.Create(new DatabaseOptions()), NullLogger<DemoSeeder>.Instance);
        await seeder.SeedAsync(100_000);
        await using (var eigenaar = await EigenaarDataSource.OpenConnectionAsync())
        {
            // Only the owner may ANALYZE (the app role would be skipped with a warning).
            await eigenaar.ExecuteAsync("ANALYZE melding");
        }
        await using var connection = await DataSource.OpenConnectionAsync();
        Assert.Equal(100_000, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM melding"));
        const string open = "m.status IN (SELECT code FROM meldingstatus WHERE NOT gesloten)";
        var gevallen = new (MeldingFilter Filter, string Waar, string Volgorde, int Overslaan)[]
        {
            (new MeldingFilter(), "true", "m.aangemaakt_op DESC, m.id DESC", 0),
            (new MeldingFilter { Status = "open" }, open, "m.aangemaakt_op DESC, m.id DESC", 0),
            (new MeldingFilter { Rubriek = "r:jeugdoverlast", Sorteer = "oud" }, "r.code = 'jeugdoverlast'", "m.aangemaakt_op, m.id", 0),
            (new MeldingFilter { Tekst = "scooter" }, "m.omschrijving ILIKE '%scooter%'", "m.aangemaakt_op DESC, m.id DESC", 0),
            (new MeldingFilter { Status = "gemeld", Pagina = 20 }, "m.status = 'gemeld'", "m.aangemaakt_op DESC, m.id DESC", 950),
            (
                new MeldingFilter { Toegewezen = "niemand", Sorteer = "gewijzigd" },
                "m.toegewezen_aan IS NULL",
                "m.gewijzigd_op DESC, m.id DESC",
                0
            ),
            // Beyond the last countable page: the list shows that last page.
            (
                new MeldingFilter { Pagina = 500 },
                "true",
                "m.aangemaakt_op DESC, m.id DESC",
                MeldingenZoeken.TelTot - MeldingenZoeken.PerPagina
            ),
        };
        foreach (var (filter, waar, volgorde, overslaan) in gevallen)
        {
            var naam = JsonSerializer.Serialize(filter);
            var verwacht = (
                await connection.QueryAsync<long>(
                    $"""
                    SELECT m.id FROM melding m JOIN rubriek r ON r.id = m.rubriek_id
                    WHERE {waar} ORDER BY {volgorde} LIMIT {MeldingenZoeken.PerPagina} OFFSET {overslaan}
                    """
                )
            ).ToList();
            var totaal = await connection.ExecuteScalarAsync<int>(
                $"SELECT count(*) FROM melding m JOIN rubriek r ON r.id = m.rubriek_id WHERE {waar}"
            );
            var nieuwste = await connection.QueryFirstOrDefaultAsync<long?>(
                $"""
                SELECT m.id FROM melding m JOIN rubriek r ON r.id = m.rubriek_id
                WHERE {waar} ORDER BY m.aangemaakt_op DESC, m.id DESC LIMIT 1
                """
            );
            Assert.True(totaal > 0, naam);

            var (rijen, aantal) = await MeldingenZoeken.LijstAsync(connection, filter, Guid.Empty, CancellationToken.None);
            using var kaart = JsonDocument.Parse(await MeldingenZoeken.KaartAsync(connection, filter, Guid.Empty, CancellationToken.None));

            Assert.True(verwacht.SequenceEqual(rijen.Select(r => r.Id)), naam);
            Assert.Equal(Math.Min(totaal, MeldingenZoeken.TelTot + 1), aantal);
            var punten = kaart.RootElement.GetProperty("features");
            Assert.Equal(Math.Min(totaal, MeldingenZoeken.KaartMaximum), punten.GetArrayLength());
            Assert.Contains(nieuwste, punten.EnumerateArray().Select(p => (long?)p.GetProperty("properties").GetProperty("id").GetInt64()));
        }
    }

    [Fact]
    public async Task The_map_endpoint_is_for_staff_only()
    {
        var anoniem = App.CreateClient(
            new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false }
        );

        var antwoord = await anoniem.GetAsync("/beheer/meldingen/kaart.geojson");
        var foto = await anoniem.GetAsync("/beheer/fotos/1");

        Assert.Equal(HttpStatusCode.Redirect, antwoord.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, foto.StatusCode);
    }
}
