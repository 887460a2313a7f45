using System.Net;
using Dapper;
using Ical.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Data;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Features.Wandelingen;

namespace Wijkmeldingen.Tests.Features.Wandelingen;

/// <summary>Residents sign up for walks: capacity under concurrency, the waitlist, the personal
/// cancel link, the calendar file, reminders once, and deletion after the walk.</summary>
public sealed class WandelingenTests : AppTest
{
    private async Task<long> Wandeling(int capaciteit, TimeSpan over, string status = "gepubliceerd", string titel = "Rondje Binnenweg")
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        return await connection.QuerySingleAsync<long>(
            """
            INSERT INTO wandeling (titel, wijk_code, begint_op, duur_minuten, startpunt, startpunt_naam, route, omschrijving,
                                   toegankelijkheid, capaciteit, status)
            VALUES (@titel, 'WK039700', now() + @over, 90,
                    ST_Transform(ST_SetSRID(ST_MakePoint(4.6192, 52.3524), 4326), 28992), 'Raadhuisplein',
                    ST_Transform(ST_SetSRID(ST_GeomFromText('LINESTRING(4.6192 52.3524, 4.6210 52.3530, 4.6230 52.3520)'), 4326), 28992),
                    'We lopen langs de winkels en het station.', 'Rolstoeltoegankelijk, rustig tempo.', @capaciteit, @status)
            RETURNING id
            """,
            new
            {
                titel,
                over,
                capaciteit,
                status,
            }
        );
    }

    private Aanmeldingen Service => App.Services.GetRequiredService<Aanmeldingen>();

    private async Task<(long Personen, long Wachtlijst)> Telling(long id)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        return await connection.QuerySingleAsync<(long, long)>(
            """
            SELECT coalesce(sum(aantal_personen) FILTER (WHERE soort = 'deelnemer'), 0), count(*) FILTER (WHERE soort = 'wachtlijst')
            FROM wandeling_aanmelding WHERE wandeling_id = @id
            """,
            new { id }
        );
    }

    [Fact]
    public async Task Capacity_holds_when_many_sign_up_at_once_for_the_last_places()
    {
        var id = await Wandeling(capaciteit: 5, TimeSpan.FromDays(3));

        var uitkomsten = await Task.WhenAll(
            Enumerable
                .Range(0, 30)
                .Select(i =>
                    Task.Run(() =>
                        Service.AanmeldenAsync(id, $"Bewoner {i}", $"bewoner{i}@example.nl", 1 + (i % 2), CancellationToken.None)
                    )
                )
        );

        var (personen, wachtlijst) = await Telling(id);
        Assert.True(personen <= 5, $"{personen} people on a walk for 5");
        Assert.True(personen >= 4, $"only {personen} of 5 places were given out");
        Assert.Equal(30, uitkomsten.Length);
        Assert.Equal(30 - uitkomsten.Count(u => u.Uitkomst == Aanmeldingen.Uitkomst.Deelnemer), wachtlijst);
        Assert.All(uitkomsten, u =>
            Assert.Contains(u.Uitkomst, new[] { Aanmeldingen.Uitkomst.Deelnemer, Aanmeldingen.Uitkomst.Wachtlijst })
        );
    }

    [Fact]
    public async Task A_cancellation_promotes_the_first_on_the_waitlist_who_fits_and_tells_them()
    {
        var id = await Wandeling(capaciteit: 2, TimeSpan.FromDays(3));
        var a = await Service.AanmeldenAsync(id, "Anna", "anna@example.nl", 1, CancellationToken.None);
        var b = await Service.AanmeldenAsync(id, "Bram", "bram@example.nl", 1, CancellationToken.None);
        var c = await Service.AanmeldenAsync(id, "Cor", "cor@example.nl", 1, CancellationToken.None);
        var d = await Service.AanmeldenAsync(id, "Dina", "dina@example.nl", 2, CancellationToken.None);

        Assert.Equal(
            [
                Aanmeldingen.Uitkomst.Deelnemer,
                Aanmeldingen.Uitkomst.Deelnemer,
                Aanmeldingen.Uitkomst.Wachtlijst,
                Aanmeldingen.Uitkomst.Wachtlijst,
            ],
            new[] { a, b, c, d }.Select(x => x.Uitkomst)
        );
        Assert.True(await Service.AfmeldenAsync(a.Sleutel!, CancellationToken.None));
        Assert.False(await Service.AfmeldenAsync(a.Sleutel!, CancellationToken.None));

        await using var connection = await DataSource.OpenConnectionAsync();
        var soorten = (
            await connection.QueryAsync<(string Email, string Soort)>(
                "SELECT email, soort FROM wandeling_aanmelding WHERE wandeling_id = @id ORDER BY aangemeld_op",
                new { id }
            )
        ).ToList();
        Assert.Equal([("bram@example.nl", "deelnemer"), ("cor@example.nl", "deelnemer"), ("dina@example.nl", "wachtlijst")], soorten);
        Assert.Contains(
            "Er is plaats",
            await connection.QuerySingleAsync<string>(
                "SELECT onderwerp FROM mail_outbox WHERE aan = 'cor@example.nl' AND sleutel LIKE 'wandeling-doorgeschoven:%'"
            )
        );
        Assert.Equal(
            0,
            await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM wandeling_aanmelding WHERE email = 'anna@example.nl'")
        );
    }

    [Fact]
    public async Task Signing_up_through_the_page_sends_details_a_calendar_link_and_a_cancel_link_that_works_once_for_its_owner()
    {
        var id = await Wandeling(capaciteit: 10, TimeSpan.FromDays(3));
        var client = new FormulierClient(App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }));
        var pagina = await client.OpenAsync($"/wijkwandelingen/{id}");
        Assert.Contains("Nog 10 plaatsen vrij", pagina.Html);

        var fout = await client.PostAsync(
            $"/wijkwandelingen/{id}",
            pagina.Token,
            [new("Naam", ""), new("Email", "geen"), new("Personen", "9")]
        );
        var goed = await client.PostAsync(
            $"/wijkwandelingen/{id}",
            pagina.Token,
            [new("Naam", "Fatima"), new("Email", "fatima@example.nl"), new("Personen", "2")]
        );
        var dubbel = await client.PostAsync(
            $"/wijkwandelingen/{id}",
            pagina.Token,
            [new("Naam", "Fatima"), new("Email", "FATIMA@example.nl"), new("Personen", "1")]
        );

        Assert.Equal(HttpStatusCode.BadRequest, fout.StatusCode);
        var foutHtml = await fout.Content.ReadAsStringAsync();
        Assert.Contains("Vul uw naam in.", foutHtml);
        Assert.Contains("Kies 1 tot 4 personen.", foutHtml);
        Assert.Equal(HttpStatusCode.OK, goed.StatusCode);
        Assert.Contains("U bent aangemeld", await goed.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Conflict, dubbel.StatusCode);
        Assert.Contains("Nog 8 plaatsen vrij", await client.Http.GetStringAsync($"/wijkwandelingen/{id}"));

        await using var connection = await DataSource.OpenConnectionAsync();
        var tekst = await connection.QuerySingleAsync<string>("SELECT tekst FROM mail_outbox WHERE aan = 'fatima@example.nl'");
        Assert.Contains($"/wijkwandelingen/{id}/agenda.ics", tekst);
        var link = System.Text.RegularExpressions.Regex.Match(tekst, "/wijkwandelingen/afmelden/[A-Za-z0-9_-]{43}").Value;
        Assert.NotEmpty(link);

        var vreemd = await client.Http.GetAsync($"/wijkwandelingen/afmelden/{Sleutels.Nieuw()}");
        var vraag = await client.OpenAsync(link);
        var afmelden = await client.PostAsync(link, vraag.Token, []);
        var nogmaals = await client.PostAsync(link, vraag.Token, []);

        Assert.Equal(HttpStatusCode.NotFound, vreemd.StatusCode);
        Assert.Contains("Wilt u zich afmelden", vraag.Html);
        Assert.Contains("U bent afgemeld", await afmelden.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, nogmaals.StatusCode);
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM wandeling_aanmelding"));
    }

    [Fact]
    public async Task The_calendar_file_is_valid_icalendar_with_the_walk()
    {
        var id = await Wandeling(capaciteit: 10, TimeSpan.FromDays(3), titel: "Wandeling Zuid");
        var antwoord = await App.CreateClient().GetAsync($"/wijkwandelingen/{id}/agenda.ics");
        var tekst = await antwoord.Content.ReadAsStringAsync();

        Assert.Equal("text/calendar", antwoord.Content.Headers.ContentType?.MediaType);
        var agenda = Calendar.Load(tekst)!;
        var afspraak = Assert.Single(agenda.Events);
        Assert.Equal("Wandeling Zuid", afspraak.Summary);
        Assert.Equal("Raadhuisplein, Heemstede", afspraak.Location);
        await using var connection = await DataSource.OpenConnectionAsync();
        var begin = await connection.QuerySingleAsync<DateTime>("SELECT begint_op FROM wandeling WHERE id = @id", new { id });
        Assert.Equal(begin, afspraak.DtStart!.AsUtc, TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.FromMinutes(90), afspraak.DtEnd!.AsUtc - afspraak.DtStart.AsUtc);
        Assert.Contains("BEGIN:VCALENDAR", tekst);
    }

    [Fact]
    public async Task Reminders_go_to_participants_once_the_day_before()
    {
        var morgen = await Wandeling(capaciteit: 2, TimeSpan.FromHours(20));
        var later = await Wandeling(capaciteit: 2, TimeSpan.FromDays(5));
        await Service.AanmeldenAsync(morgen, "Anna", "anna@example.nl", 1, CancellationToken.None);
        await Service.AanmeldenAsync(morgen, "Bram", "bram@example.nl", 1, CancellationToken.None);
        await Service.AanmeldenAsync(morgen, "Cor", "cor@example.nl", 1, CancellationToken.None); // waitlist
        await Service.AanmeldenAsync(later, "Dina", "dina@example.nl", 1, CancellationToken.None);

        // The app's own reminder round runs in the background too; whoever queues a reminder, each
        // participant gets exactly one and a later round finds nothing left.
        var eerste = await Service.HerinnerAsync(CancellationToken.None);
        var tweede = await Service.HerinnerAsync(CancellationToken.None);

        Assert.InRange(eerste, 0, 2);
        Assert.Equal(0, tweede);
        await using var connection = await DataSource.OpenConnectionAsync();
        Assert.Equal(
            ["anna@example.nl", "bram@example.nl"],
            (
                await connection.QueryAsync<string>("SELECT aan FROM mail_outbox WHERE sleutel LIKE 'wandeling-herinnering:%' ORDER BY aan")
            ).ToList()
        );
    }

    [Fact]
    public async Task Only_published_walks_are_public_and_participants_are_never_shown()
    {
        var concept = await Wandeling(capaciteit: 5, TimeSpan.FromDays(2), status: "concept", titel: "Nog geheim plan");
        var gepubliceerd = await Wandeling(capaciteit: 5, TimeSpan.FromDays(2), titel: "Open wandeling");
        await Service.AanmeldenAsync(gepubliceerd, "Geheime Naam", "geheim@example.nl", 1, CancellationToken.None);
        var client = App.CreateClient();

        var lijst = await client.GetStringAsync("/wijkwandelingen");
        var pagina = await client.GetStringAsync($"/wijkwandelingen/{gepubliceerd}");
        var conceptPagina = await client.GetAsync($"/wijkwandelingen/{concept}");

        Assert.Contains("Open wandeling", lijst);
        Assert.DoesNotContain("Nog geheim plan", lijst);
        Assert.Equal(HttpStatusCode.NotFound, conceptPagina.StatusCode);
        Assert.Contains("Nog 4 plaatsen vrij", pagina);
        Assert.DoesNotContain("Geheime Naam", pagina + lijst);
        Assert.DoesNotContain("geheim@example.nl", pagina + lijst);
    }

    [Fact]
    public async Task A_change_is_mailed_to_everyone_signed_up_and_participants_are_deleted_after_the_walk()
    {
        var id = await Wandeling(capaciteit: 1, TimeSpan.FromDays(2));
        await Service.AanmeldenAsync(id, "Anna", "anna@example.nl", 1, CancellationToken.None);
        await Service.AanmeldenAsync(id, "Bram", "bram@example.nl", 1, CancellationToken.None);
        await using var connection = await DataSource.OpenConnectionAsync();
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await Service.MeldWijzigingAsync(connection, transaction, id, geannuleerd: true, CancellationToken.None);
            await transaction.CommitAsync();
        }
        Assert.Equal(
            2,
            await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM mail_outbox WHERE sleutel LIKE 'wandeling-geannuleerd:%'")
        );

        await connection.ExecuteAsync("UPDATE wandeling SET begint_op = now() - interval '40 days' WHERE id = @id", new { id });
        var opschonen = new Opschonen(
            DataSource,
            [Aanmeldingen.DeelnemersOpschonen(new WandelingenOptions { BewaarDeelnemersDagen = 30 })],
            NullLogger<Opschonen>.Instance
        );
        await opschonen.EenRondeAsync(CancellationToken.None);

        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM wandeling_aanmelding"));
    }
}
