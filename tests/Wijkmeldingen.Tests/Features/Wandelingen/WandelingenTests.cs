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

/// <summary>Residents sign up for walks: confirmation by e-mail before a place is taken, expiry of
/// unconfirmed sign-ups, capacity under concurrent confirmations, the waitlist, the personal cancel
/// link, the calendar file, reminders once, and deletion after the walk.</summary>
public sealed class WandelingenTests : AppTest
{
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
    public async Task Capacity_holds_when_many_confirm_at_once_for_the_last_places()
    {
        var id = await Een.Wandeling(App.Services).Capaciteit(5).Over(TimeSpan.FromDays(3)).OpgeslagenAsync();
        var aanvragen = new List<Aanmeldingen.Resultaat>();
        for (var i = 0; i < 30; i++)
        {
            aanvragen.Add(await Service.AanmeldenAsync(id, $"Bewoner {i}", $"bewoner{i}@example.nl", 1 + (i % 2), CancellationToken.None));
        }
        Assert.All(aanvragen, a => Assert.Equal(Aanmeldingen.Uitkomst.Bevestigen, a.Uitkomst));
        Assert.Equal((0, 0), await Telling(id));

        var uitkomsten = await Task.WhenAll(
            aanvragen.Select(a => Task.Run(() => Service.BevestigenAsync(a.Sleutel!, CancellationToken.None)))
        );

        var (personen, wachtlijst) = await Telling(id);
        Assert.True(personen <= 5, $"{personen} people on a walk for 5");
        Assert.True(personen >= 4, $"only {personen} of 5 places were given out");
        Assert.Equal(30, uitkomsten.Length);
        Assert.Equal(30 - uitkomsten.Count(u => u.Uitkomst == Aanmeldingen.Uitkomst.Deelnemer), wachtlijst);
        Assert.All(uitkomsten, u =>
            Assert.Contains(u.Uitkomst, new[] { Aanmeldingen.Uitkomst.Deelnemer, Aanmeldingen.Uitkomst.Wachtlijst })
        );
        Assert.Equal(30, uitkomsten.Select(u => u.Code).Distinct().Count());
    }

    [Fact]
    public async Task Of_many_parallel_confirmations_for_the_last_place_exactly_one_gets_it()
    {
        var id = await Een.Wandeling(App.Services).Capaciteit(3).Over(TimeSpan.FromDays(3)).OpgeslagenAsync();
        await Service.AanmeldenEnBevestigenAsync(id, "Anna", "anna@example.nl", 2, CancellationToken.None);
        var aanvragen = new List<Aanmeldingen.Resultaat>();
        for (var i = 0; i < 12; i++)
        {
            aanvragen.Add(await Service.AanmeldenAsync(id, $"Bewoner {i}", $"laatste{i}@example.nl", 1, CancellationToken.None));
        }
        using var start = new Barrier(aanvragen.Count);

        var uitkomsten = await Task.WhenAll(
            aanvragen.Select(a =>
                Task.Run(() =>
                {
                    start.SignalAndWait();
                    return Service.BevestigenAsync(a.Sleutel!, CancellationToken.None);
                })
            )
        );

        Assert.Single(uitkomsten, u => u.Uitkomst == Aanmeldingen.Uitkomst.Deelnemer);
        Assert.Equal(11, uitkomsten.Count(u => u.Uitkomst == Aanmeldingen.Uitkomst.Wachtlijst));
        Assert.Equal((3, 11), await Telling(id));
        // Confirming again changes nothing and answers what the first confirmation did.
        var winnaar = aanvragen[Array.FindIndex(uitkomsten, u => u.Uitkomst == Aanmeldingen.Uitkomst.Deelnemer)];
        var nogmaals = await Service.BevestigenAsync(winnaar.Sleutel!, CancellationToken.None);
        Assert.Equal(Aanmeldingen.Uitkomst.Deelnemer, nogmaals.Uitkomst);
        Assert.Equal((3, 11), await Telling(id));
    }

    [Fact]
    public async Task An_unconfirmed_sign_up_holds_no_place_cannot_be_confirmed_late_and_expires()
    {
        var id = await Een.Wandeling(App.Services).Capaciteit(1).Over(TimeSpan.FromDays(3)).OpgeslagenAsync();
        // Someone types another person's address: only that person gets the link, and nothing is held.
        var vreemd = await Service.AanmeldenAsync(id, "Iemand anders", "slachtoffer@example.nl", 1, CancellationToken.None);
        var laat = await Service.AanmeldenAsync(id, "Bram", "bram@example.nl", 1, CancellationToken.None);
        var cor = await Service.AanmeldenEnBevestigenAsync(id, "Cor", "cor@example.nl", 1, CancellationToken.None);
        Assert.Equal(Aanmeldingen.Uitkomst.Deelnemer, cor.Uitkomst);
        await using var connection = await DataSource.OpenConnectionAsync();
        var mail = await connection.QuerySingleAsync<(string Onderwerp, string Tekst)>(
            "SELECT onderwerp, tekst FROM mail_outbox WHERE aan = 'slachtoffer@example.nl'"
        );
        Assert.StartsWith("Bevestig uw aanmelding", mail.Onderwerp);
        Assert.Contains($"/wijkwandelingen/aanmelding/{vreemd.Sleutel}", mail.Tekst);

        // A new request for the same address replaces the unconfirmed one: the old link stops working.
        var opnieuw = await Service.AanmeldenAsync(id, "Slachtoffer", "slachtoffer@example.nl", 1, CancellationToken.None);
        Assert.Equal(Aanmeldingen.Uitkomst.Bevestigen, opnieuw.Uitkomst);
        Assert.Equal(Aanmeldingen.Uitkomst.Onbekend, (await Service.BevestigenAsync(vreemd.Sleutel!, CancellationToken.None)).Uitkomst);

        // Raw on purpose: time passing; Bram's request is older than the 24 hours a link stays valid.
        await connection.ExecuteAsync(
            "UPDATE wandeling_aanmelding SET aangemeld_op = now() - interval '25 hours' WHERE email = 'bram@example.nl'"
        );
        var client = new FormulierClient(App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }));
        var vraag = await client.OpenAsync($"/wijkwandelingen/aanmelding/{laat.Sleutel}");
        var bevestigd = await client.PostAsync($"/wijkwandelingen/aanmelding/{laat.Sleutel}", vraag.Token, []);
        Assert.Equal(HttpStatusCode.Gone, bevestigd.StatusCode);
        Assert.Contains("Deze bevestigingslink is verlopen", await bevestigd.Content.ReadAsStringAsync());
        Assert.Equal(
            0,
            await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM wandeling_aanmelding WHERE email = 'bram@example.nl'")
        );

        // The clean-up removes requests whose link was never used.
        await connection.ExecuteAsync(
            "UPDATE wandeling_aanmelding SET aangemeld_op = now() - interval '25 hours' WHERE email = 'slachtoffer@example.nl'"
        );
        var opschonen = new Opschonen(
            DataSource,
            [Aanmeldingen.OnbevestigdOpschonen(new WandelingenOptions { BevestigenUren = 24 })],
            NullLogger<Opschonen>.Instance
        );
        await opschonen.EenRondeAsync(CancellationToken.None);
        Assert.Equal(
            ["cor@example.nl"],
            (await connection.QueryAsync<string>("SELECT email FROM wandeling_aanmelding WHERE wandeling_id = @id", new { id })).ToList()
        );
    }

    [Fact]
    public async Task A_cancellation_promotes_the_first_on_the_waitlist_who_fits_and_tells_them()
    {
        var id = await Een.Wandeling(App.Services).Capaciteit(2).Over(TimeSpan.FromDays(3)).OpgeslagenAsync();
        var a = await Service.AanmeldenEnBevestigenAsync(id, "Anna", "anna@example.nl", 1, CancellationToken.None);
        var b = await Service.AanmeldenEnBevestigenAsync(id, "Bram", "bram@example.nl", 1, CancellationToken.None);
        var c = await Service.AanmeldenEnBevestigenAsync(id, "Cor", "cor@example.nl", 1, CancellationToken.None);
        var d = await Service.AanmeldenEnBevestigenAsync(id, "Dina", "dina@example.nl", 2, CancellationToken.None);

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
    public async Task Signing_up_through_the_page_needs_the_link_from_the_mail_then_sends_the_code_and_a_cancel_link_that_works_once()
    {
        var id = await Een.Wandeling(App.Services).Capaciteit(10).Over(TimeSpan.FromDays(3)).OpgeslagenAsync();
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

        Assert.Equal(HttpStatusCode.BadRequest, fout.StatusCode);
        var foutHtml = await fout.Content.ReadAsStringAsync();
        Assert.Contains("Vul uw naam in.", foutHtml);
        Assert.Contains("Kies 1 tot 4 personen.", foutHtml);
        Assert.Contains("value=\"geen\"", foutHtml);
        Assert.Equal(HttpStatusCode.OK, goed.StatusCode);
        Assert.Contains("Bevestig uw aanmelding binnen 24 uur", await goed.Content.ReadAsStringAsync());
        Assert.Contains("Nog 10 plaatsen vrij", await client.Http.GetStringAsync($"/wijkwandelingen/{id}"));

        await using var connection = await DataSource.OpenConnectionAsync();
        var bevestigMail = await connection.QuerySingleAsync<string>("SELECT tekst FROM mail_outbox WHERE aan = 'fatima@example.nl'");
        var bevestigLink = System.Text.RegularExpressions.Regex.Match(bevestigMail, "/wijkwandelingen/aanmelding/[A-Za-z0-9_-]{43}").Value;
        Assert.NotEmpty(bevestigLink);

        // Opening the link (a mail scanner does too) only asks; the button confirms.
        var vraagBevestigen = await client.OpenAsync(bevestigLink);
        Assert.Contains("Nog niet bevestigd", vraagBevestigen.Html);
        Assert.Contains("Nog 10 plaatsen vrij", await client.Http.GetStringAsync($"/wijkwandelingen/{id}"));
        var bevestigd = await client.PostAsync(bevestigLink, vraagBevestigen.Token, []);
        var bevestigdHtml = await bevestigd.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, bevestigd.StatusCode);
        Assert.Contains("Uw aanmelding is bevestigd: u loopt mee.", bevestigdHtml);
        var code = await connection.QuerySingleAsync<string>("SELECT code FROM wandeling_aanmelding WHERE email = 'fatima@example.nl'");
        Assert.Matches("^[A-HJ-NP-Z2-9]{6}$", code);
        Assert.Contains($"<p class=\"incheckcode\" id=\"code\">{code}</p>", bevestigdHtml);
        Assert.Contains("id=\"qr\"", bevestigdHtml);
        Assert.Contains("src=\"data:image/png;base64,", bevestigdHtml);
        Assert.Contains("Nog 8 plaatsen vrij", await client.Http.GetStringAsync($"/wijkwandelingen/{id}"));

        var dubbel = await client.PostAsync(
            $"/wijkwandelingen/{id}",
            pagina.Token,
            [new("Naam", "Fatima"), new("Email", "FATIMA@example.nl"), new("Personen", "1")]
        );
        Assert.Equal(HttpStatusCode.Conflict, dubbel.StatusCode);

        var tekst = await connection.QuerySingleAsync<string>(
            "SELECT tekst FROM mail_outbox WHERE aan = 'fatima@example.nl' AND sleutel LIKE 'wandeling-aanmelding:%'"
        );
        Assert.Contains($"/wijkwandelingen/{id}/agenda.ics", tekst);
        Assert.Contains($"Uw code voor de wandeling: {code}", tekst);
        Assert.Contains(bevestigLink, tekst);
        var link = System.Text.RegularExpressions.Regex.Match(tekst, "/wijkwandelingen/afmelden/[A-Za-z0-9_-]{43}").Value;
        Assert.NotEmpty(link);

        var vreemd = await client.Http.GetAsync($"/wijkwandelingen/afmelden/{Sleutels.Nieuw()}");
        var vreemdBevestigen = await client.Http.GetAsync($"/wijkwandelingen/aanmelding/{Sleutels.Nieuw()}");
        var vraag = await client.OpenAsync(link);
        var afmelden = await client.PostAsync(link, vraag.Token, []);
        var nogmaals = await client.PostAsync(link, vraag.Token, []);

        Assert.Equal(HttpStatusCode.NotFound, vreemd.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, vreemdBevestigen.StatusCode);
        Assert.Contains("Wilt u zich afmelden", vraag.Html);
        Assert.Contains("U bent afgemeld", await afmelden.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, nogmaals.StatusCode);
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM wandeling_aanmelding"));
    }

    [Fact]
    public async Task The_calendar_file_is_valid_icalendar_with_the_walk()
    {
        var id = await Een.Wandeling(App.Services).Capaciteit(10).Over(TimeSpan.FromDays(3)).Titel("Wandeling Zuid").OpgeslagenAsync();
        var antwoord = await App.CreateClient().GetAsync($"/wijkwandelingen/{id}/agenda.ics");
        var tekst = await antwoord.Content.ReadAsStringAsync();

        Assert.Equal("text/calendar", antwoord.Content.Headers.ContentType?.MediaType);
        var agenda = Calendar.Load(tekst)!;
        var afspraak = Assert.Single(agenda.Events);
        Assert.Equal("Wandeling Zuid", afspraak.Summary);
        Assert.Equal($"Raadhuisplein, {TestGemeente.Naam}", afspraak.Location);
        await using var connection = await DataSource.OpenConnectionAsync();
        var begin = await connection.QuerySingleAsync<DateTime>("SELECT begint_op FROM wandeling WHERE id = @id", new { id });
        Assert.Equal(begin, afspraak.DtStart!.AsUtc, TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.FromMinutes(90), afspraak.DtEnd!.AsUtc - afspraak.DtStart.AsUtc);
        Assert.Contains("BEGIN:VCALENDAR", tekst);
    }

    [Fact]
    public async Task Reminders_go_to_participants_once_the_day_before()
    {
        var morgen = await Een.Wandeling(App.Services).Capaciteit(2).Over(TimeSpan.FromHours(20)).OpgeslagenAsync();
        var later = await Een.Wandeling(App.Services).Capaciteit(2).Over(TimeSpan.FromDays(5)).OpgeslagenAsync();
        await Service.AanmeldenEnBevestigenAsync(morgen, "Anna", "anna@example.nl", 1, CancellationToken.None);
        await Service.AanmeldenEnBevestigenAsync(morgen, "Bram", "bram@example.nl", 1, CancellationToken.None);
        await Service.AanmeldenEnBevestigenAsync(morgen, "Cor", "cor@example.nl", 1, CancellationToken.None); // waitlist
        await Service.AanmeldenAsync(morgen, "Eva", "eva@example.nl", 1, CancellationToken.None); // never confirmed
        await Service.AanmeldenEnBevestigenAsync(later, "Dina", "dina@example.nl", 1, CancellationToken.None);

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
        var concept = await Een.Wandeling(App.Services)
            .Capaciteit(5)
            .Over(TimeSpan.FromDays(2))
            .Status("concept")
            .Titel("Nog geheim plan")
            .OpgeslagenAsync();
        var gepubliceerd = await Een.Wandeling(App.Services)
            .Capaciteit(5)
            .Over(TimeSpan.FromDays(2))
            .Titel("Open wandeling")
            .OpgeslagenAsync();
        await Service.AanmeldenEnBevestigenAsync(gepubliceerd, "Geheime Naam", "geheim@example.nl", 1, CancellationToken.None);
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
        var id = await Een.Wandeling(App.Services).Capaciteit(1).Over(TimeSpan.FromDays(2)).OpgeslagenAsync();
        await Service.AanmeldenEnBevestigenAsync(id, "Anna", "anna@example.nl", 1, CancellationToken.None);
        await Service.AanmeldenEnBevestigenAsync(id, "Bram", "bram@example.nl", 1, CancellationToken.None);
        await Service.AanmeldenAsync(id, "Cor", "cor@example.nl", 1, CancellationToken.None); // never confirmed: no change mail
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
