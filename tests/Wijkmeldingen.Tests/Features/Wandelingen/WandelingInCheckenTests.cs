using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Data;
using Wijkmeldingen.Web.Features.Wandelingen;

namespace Wijkmeldingen.Tests.Features.Wandelingen;

/// <summary>On the walk the organiser checks people in (code, QR link or name), adds walk-ins and takes
/// people off; attendance, not sign-ups, is what the walk's figures count, also after the sign-ups are
/// deleted.</summary>
public sealed class WandelingInCheckenTests : AppTest
{
    private Aanmeldingen Service => App.Services.GetRequiredService<Aanmeldingen>();

    private async Task<long> AanwezigAsync(long id)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>(
            "SELECT coalesce(sum(aantal_personen), 0) FROM wandeling_aanmelding WHERE wandeling_id = @id AND aanwezig_op IS NOT NULL",
            new { id }
        );
    }

    [Fact]
    public async Task The_organiser_checks_in_by_code_and_by_name_adds_a_walk_in_and_removes_someone_and_attendance_is_counted()
    {
        var id = await Een.Wandeling(App.Services).Capaciteit(10).Over(TimeSpan.FromMinutes(50)).OpgeslagenAsync();
        var anna = await Service.AanmeldenEnBevestigenAsync(id, "Anna", "anna@example.nl", 2, CancellationToken.None);
        var bram = await Service.AanmeldenEnBevestigenAsync(id, "Bram", "bram@example.nl", 1, CancellationToken.None);
        await Service.AanmeldenEnBevestigenAsync(id, "Cor", "cor@example.nl", 3, CancellationToken.None); // does not come
        await Service.AanmeldenAsync(id, "Onbevestigd", "eva@example.nl", 1, CancellationToken.None);
        var organisator = await WandelingBeheerTests.OrganisatorAsync(App);
        var pad = $"/beheer/wandelingen/{id}/inchecken";

        // Scanning Anna's QR code opens the page with her code filled in; typed codes may be lower case with a space.
        var geopend = await organisator.OpenAsync($"{pad}?code={anna.Code}");
        Assert.Contains($"value=\"{anna.Code}\"", geopend.Html);
        Assert.Contains("Cor", geopend.Html);
        Assert.DoesNotContain("Onbevestigd", geopend.Html);
        var metCode = await organisator.PostAsync(pad, geopend.Token, [new("Code", anna.Code!)]);
        var nogmaals = await organisator.PostAsync(
            pad,
            geopend.Token,
            [new("Code", $"{anna.Code![..3].ToLowerInvariant()} {anna.Code[3..]}")]
        );
        var onbekend = await organisator.PostAsync(pad, geopend.Token, [new("Code", "ZZZZZZ")]);
        var onzin = await organisator.PostAsync(pad, geopend.Token, [new("Code", "<b>1")]);

        Assert.Equal(HttpStatusCode.Redirect, metCode.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, nogmaals.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, onbekend.StatusCode);
        var onbekendHtml = await onbekend.Content.ReadAsStringAsync();
        Assert.Contains("Code ZZZZZZ hoort niet bij een bevestigde aanmelding voor deze wandeling.", onbekendHtml);
        Assert.Contains("value=\"ZZZZZZ\"", onbekendHtml);
        Assert.Equal(HttpStatusCode.BadRequest, onzin.StatusCode);
        Assert.Contains("Vul een code van zes tekens in", await onzin.Content.ReadAsStringAsync());
        Assert.Equal(2, await AanwezigAsync(id));

        // Bram has no phone with him: the organiser taps his name.
        var bramId = await BramIdAsync(id);
        var getikt = await organisator.PostAsync($"{pad}?handler=Aanwezig&aanmelding={bramId}", geopend.Token, []);
        Assert.Equal(HttpStatusCode.Redirect, getikt.StatusCode);
        Assert.Contains("Bram is ingecheckt (1 persoon/personen).", await organisator.Http.GetStringAsync(pad));
        Assert.Equal(3, await AanwezigAsync(id));

        // A walk-in: bad input first (Dutch message, input kept), then right.
        var leeg = await organisator.PostAsync($"{pad}?handler=Toevoegen", geopend.Token, [new("Naam", " "), new("Aantal", "9")]);
        Assert.Equal(HttpStatusCode.BadRequest, leeg.StatusCode);
        var leegHtml = await leeg.Content.ReadAsStringAsync();
        Assert.Contains("Vul een naam in", leegHtml);
        Assert.Contains("Kies 1 tot 4 personen.", leegHtml);
        var toegevoegd = await organisator.PostAsync($"{pad}?handler=Toevoegen", geopend.Token, [new("Naam", "Dirk"), new("Aantal", "2")]);
        Assert.Equal(HttpStatusCode.Redirect, toegevoegd.StatusCode);
        Assert.Equal(5, await AanwezigAsync(id));
        // Walk-ins hold no place: the places are for sign-ups.
        Assert.Contains("Nog 4 plaatsen vrij", await App.CreateClient().GetStringAsync($"/wijkwandelingen/{id}"));

        // Bram had to leave before the start: taken off again.
        var weg = await organisator.PostAsync($"{pad}?handler=Verwijderen&aanmelding={bramId}", geopend.Token, []);
        Assert.Equal(HttpStatusCode.Redirect, weg.StatusCode);
        var lijst = WebUtility.HtmlDecode(await organisator.Http.GetStringAsync(pad));
        Assert.Contains("Bram staat niet meer als aanwezig.", lijst);
        Assert.Contains("4 aanwezig · 6 aangemeld", lijst);
        Assert.Equal(4, await AanwezigAsync(id));

        // Anna sees on her own page that she is checked in.
        Assert.Contains("U bent ingecheckt", await App.CreateClient().GetStringAsync($"/wijkwandelingen/aanmelding/{anna.Sleutel}"));
        Assert.DoesNotContain("U bent ingecheckt", await App.CreateClient().GetStringAsync($"/wijkwandelingen/aanmelding/{bram.Sleutel}"));

        // After the walk the public figure and the staff figure are attendance (4), not sign-ups (6);
        // once the sign-ups are deleted the figure is kept.
        await using var connection = await DataSource.OpenConnectionAsync();
        // Raw on purpose: time passing; the walk is over.
        await connection.ExecuteAsync("UPDATE wandeling SET begint_op = now() - interval '3 hours' WHERE id = @id", new { id });
        Assert.Contains("4 deelnemers liepen mee.", await App.CreateClient().GetStringAsync($"/wijkwandelingen/{id}"));
        Assert.Contains("<dd id=\"deelnemers\">4</dd>", await organisator.Http.GetStringAsync($"/beheer/wandelingen/{id}/verslag"));
        await connection.ExecuteAsync("UPDATE wandeling SET begint_op = now() - interval '40 days' WHERE id = @id", new { id });
        var opschonen = new Opschonen(
            DataSource,
            [Aanmeldingen.DeelnemersOpschonen(new WandelingenOptions { BewaarDeelnemersDagen = 30 })],
            NullLogger<Opschonen>.Instance
        );
        await opschonen.EenRondeAsync(CancellationToken.None);
        Assert.Equal(
            0,
            await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM wandeling_aanmelding WHERE wandeling_id = @id", new { id })
        );
        Assert.Equal(4, await connection.QuerySingleAsync<int>("SELECT deelnemers_na_afloop FROM wandeling WHERE id = @id", new { id }));
        Assert.Contains("<dd id=\"aanwezig\">4 personen</dd>", await App.CreateClient().GetStringAsync($"/wijkwandelingen/{id}/verslag"));
    }

    private async Task<long> BramIdAsync(long id)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        return await connection.QuerySingleAsync<long>(
            "SELECT id FROM wandeling_aanmelding WHERE wandeling_id = @id AND email = 'bram@example.nl'",
            new { id }
        );
    }

    [Fact]
    public async Task Check_in_opens_two_hours_before_the_start_and_only_for_organisers()
    {
        var id = await Een.Wandeling(App.Services).Capaciteit(10).Over(TimeSpan.FromDays(2)).OpgeslagenAsync();
        var anna = await Service.AanmeldenEnBevestigenAsync(id, "Anna", "anna@example.nl", 1, CancellationToken.None);
        var organisator = await WandelingBeheerTests.OrganisatorAsync(App);
        var pad = $"/beheer/wandelingen/{id}/inchecken";

        var pagina = await organisator.OpenAsync(pad);
        var teVroeg = await organisator.PostAsync(pad, pagina.Token, [new("Code", anna.Code!)]);
        var anoniem = await App.CreateClient(new() { AllowAutoRedirect = false }).GetAsync(pad);

        Assert.Equal(HttpStatusCode.Conflict, teVroeg.StatusCode);
        Assert.Contains(
            "Inchecken kan bij een gepubliceerde wandeling, vanaf 2 uur voor het begin.",
            await teVroeg.Content.ReadAsStringAsync()
        );
        Assert.Equal(0, await AanwezigAsync(id));
        Assert.NotEqual(HttpStatusCode.OK, anoniem.StatusCode);
    }
}
