using System.Net;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Features.Wandelingen;

namespace Wijkmeldingen.Tests.Features.Wandelingen;

/// <summary>A sign-up for several people can be checked in partly (3 signed up, 2 came) and the
/// attendance figures follow; the staff sign-up list shows unconfirmed sign-ups apart, marked, and
/// does not count them.</summary>
public sealed class WandelingAanwezigheidTests : AppTest
{
    private Aanmeldingen Service => App.Services.GetRequiredService<Aanmeldingen>();

    private async Task<(long Id, int? Personen)> AnnaAsync(long id)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        return await connection.QuerySingleAsync<(long, int?)>(
            "SELECT id, aanwezig_personen FROM wandeling_aanmelding WHERE wandeling_id = @id AND email = 'anna@example.nl'",
            new { id }
        );
    }

    [Fact]
    public async Task A_sign_up_for_three_of_whom_two_came_counts_two_everywhere()
    {
        var id = await Een.Wandeling(App.Services).Capaciteit(10).Over(TimeSpan.FromMinutes(50)).OpgeslagenAsync();
        await Service.AanmeldenEnBevestigenAsync(id, "Anna", "anna@example.nl", 3, CancellationToken.None);
        var bram = await Service.AanmeldenEnBevestigenAsync(id, "Bram", "bram@example.nl", 1, CancellationToken.None);
        var organisator = await WandelingBeheerTests.OrganisatorAsync(App);
        var pad = $"/beheer/wandelingen/{id}/inchecken";
        var (anna, _) = await AnnaAsync(id);

        var pagina = await organisator.OpenAsync(pad);
        Assert.Contains($"<select id=\"personen-{anna}\" name=\"personen\">", pagina.Html);

        // Out of range: a Dutch message, nothing checked in.
        var teVeel = await organisator.PostAsync($"{pad}?handler=Aanwezig&aanmelding={anna}", pagina.Token, [new("personen", "4")]);
        Assert.Equal(HttpStatusCode.BadRequest, teVeel.StatusCode);
        Assert.Contains("Kies 1 tot 3 personen.", await teVeel.Content.ReadAsStringAsync());
        Assert.Null((await AnnaAsync(id)).Personen);

        // Two of Anna's three came.
        var twee = await organisator.PostAsync($"{pad}?handler=Aanwezig&aanmelding={anna}", pagina.Token, [new("personen", "2")]);
        Assert.Equal(HttpStatusCode.Redirect, twee.StatusCode);
        Assert.Equal(2, (await AnnaAsync(id)).Personen);
        var lijst = WebUtility.HtmlDecode(await organisator.Http.GetStringAsync(pad));
        Assert.Contains("Anna is ingecheckt (2 persoon/personen).", lijst);
        Assert.Contains("2 van 3 aanwezig", lijst);
        Assert.Contains("2 aanwezig · 4 aangemeld", lijst);

        // Bram by code: all of his sign-up (one person).
        await organisator.PostAsync(pad, pagina.Token, [new("Code", bram.Code!)]);
        Assert.Contains("3 aanwezig · 4 aangemeld", WebUtility.HtmlDecode(await organisator.Http.GetStringAsync(pad)));

        // The third one turns up after all, then leaves again; a wrong number changes nothing.
        var drie = await organisator.PostAsync($"{pad}?handler=Personen&aanmelding={anna}", pagina.Token, [new("personen", "3")]);
        Assert.Equal(HttpStatusCode.Redirect, drie.StatusCode);
        Assert.Equal(3, (await AnnaAsync(id)).Personen);
        var nul = await organisator.PostAsync($"{pad}?handler=Personen&aanmelding={anna}", pagina.Token, [new("personen", "0")]);
        Assert.Equal(HttpStatusCode.BadRequest, nul.StatusCode);
        Assert.Contains("Kies 1 tot 3 personen.", await nul.Content.ReadAsStringAsync());
        await organisator.PostAsync($"{pad}?handler=Personen&aanmelding={anna}", pagina.Token, [new("personen", "2")]);
        Assert.Equal(2, (await AnnaAsync(id)).Personen);

        // After the walk: attendance is 3 (2 + 1) on the public report, the staff report and, once the
        // sign-ups are deleted, in the frozen figure.
        await using var connection = await DataSource.OpenConnectionAsync();
        // Raw on purpose: time passing; the walk is over.
        await connection.ExecuteAsync("UPDATE wandeling SET begint_op = now() - interval '3 hours' WHERE id = @id", new { id });
        Assert.Contains("<dd id=\"aanwezig\">3 personen</dd>", await App.CreateClient().GetStringAsync($"/wijkwandelingen/{id}/verslag"));
        Assert.Contains("<dd id=\"deelnemers\">3</dd>", await organisator.Http.GetStringAsync($"/beheer/wandelingen/{id}/verslag"));
        // Raw on purpose: the retention clean-up deletes the sign-ups; the trigger keeps the figure.
        await connection.ExecuteAsync("DELETE FROM wandeling_aanmelding WHERE wandeling_id = @id", new { id });
        Assert.Equal(3, await connection.QuerySingleAsync<int>("SELECT deelnemers_na_afloop FROM wandeling WHERE id = @id", new { id }));
    }

    [Fact]
    public async Task The_staff_sign_up_list_shows_unconfirmed_sign_ups_marked_and_not_counted()
    {
        var id = await Een.Wandeling(App.Services).Capaciteit(10).Over(TimeSpan.FromDays(5)).OpgeslagenAsync();
        await Service.AanmeldenEnBevestigenAsync(id, "Anna", "anna@example.nl", 2, CancellationToken.None);
        var eva = await Service.AanmeldenAsync(id, "Eva Onbevestigd", "eva@example.nl", 3, CancellationToken.None);
        var organisator = await WandelingBeheerTests.OrganisatorAsync(App);

        var html = WebUtility.HtmlDecode(await organisator.Http.GetStringAsync($"/beheer/wandelingen/{id}/aanmeldingen"));
        var onbevestigd = Regex.Match(html, "<table[^>]*id=\"onbevestigd\".*?</table>", RegexOptions.Singleline).Value;
        var deelnemers = Regex.Match(html, "<table[^>]*id=\"deelnemers\".*?</table>", RegexOptions.Singleline).Value;
        Assert.Contains("Eva Onbevestigd", onbevestigd);
        Assert.Contains("eva@example.nl", onbevestigd);
        Assert.Contains("data-soort=\"onbevestigd\"", onbevestigd);
        Assert.Contains(">Onbevestigd</span>", onbevestigd);
        Assert.DoesNotContain("Anna", onbevestigd);
        Assert.Contains("Anna", deelnemers);
        Assert.DoesNotContain("Eva", deelnemers);
        // Counted: Anna's sign-up and her two places only.
        Assert.Contains("1 aanmeldingen met samen 2 van 10 plaatsen; 0 op de wachtlijst.", html);
        // Not in the participant list for Excel either.
        var csv = await organisator.Http.GetStringAsync($"/beheer/wandelingen/{id}/aanmeldingen?handler=Csv");
        Assert.Contains("Anna", csv);
        Assert.DoesNotContain("Eva", csv);

        // Once confirmed (the link in her e-mail) she moves to the participants.
        await Service.BevestigenAsync(eva.Sleutel!, CancellationToken.None);
        var daarna = WebUtility.HtmlDecode(await organisator.Http.GetStringAsync($"/beheer/wandelingen/{id}/aanmeldingen"));
        Assert.Contains("id=\"geen-onbevestigd\"", daarna);
        Assert.Contains("2 aanmeldingen met samen 5 van 10 plaatsen; 0 op de wachtlijst.", daarna);
    }
}
