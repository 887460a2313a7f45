using System.Net;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Data;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Tests.Features.Melding;

/// <summary>"Mijn meldingen" (issue 18): a password-free link by mail to the melder's own reports of
/// the last 12 months; the same answer whether an address filed reports or not; only hashes stored;
/// short validity, a newer link replaces the old one; rate limited per address and per client; the
/// link rows have a retention rule that the privacy statement shows.</summary>
public sealed partial class MijnMeldingenTests : DatabaseTest
{
    private WijkAppFactory app = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        app = new WijkAppFactory(
            Database.ConnectionString,
            new Dictionary<string, string?> { ["MijnMeldingen:PerAdresPerUur"] = "2", ["MijnMeldingen:RateLimietAantal"] = "6" }
        );
    }

    public override async Task DisposeAsync()
    {
        await app.DisposeAsync();
        await base.DisposeAsync();
    }

    [GeneratedRegex(@"/mijn-meldingen/([A-Za-z0-9_-]{43})")]
    private static partial Regex LinkPatroon();

    private FormulierClient Bewoner() => new(app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }));

    private static async Task<HttpResponseMessage> VraagAsync(FormulierClient bewoner, string email, string taal = "")
    {
        var pagina = await bewoner.OpenAsync("/mijn-meldingen" + taal);
        return await bewoner.PostAsync("/mijn-meldingen" + taal, pagina.Token, [new("Email", email)]);
    }

    private async Task<IReadOnlyList<(string Aan, string Onderwerp, string Tekst)>> MailsAsync()
    {
        await using var db = await DataSource.OpenConnectionAsync();
        return (
            await db.QueryAsync<(string, string, string)>(
                "SELECT aan, onderwerp, tekst FROM mail_outbox WHERE sleutel LIKE 'mijn-meldingen:%' ORDER BY id"
            )
        ).AsList();
    }

    [Fact]
    public async Task A_melder_gets_a_link_to_their_own_reports_of_the_last_year_and_a_stranger_sees_the_same_answer()
    {
        var eigen = await Een.Melding(DataSource)
            .Rubriek("drugsafval")
            .Email("melder@example.nl")
            .AangemaaktDagenGeleden(20)
            .OpgeslagenAsync();
        var nieuwste = await Een.Melding(DataSource).Verschoven(50, 0).Email("Melder@Example.nl").OpgeslagenAsync();
        var oud = await Een.Melding(DataSource).Verschoven(0, 50).Email("melder@example.nl").AangemaaktDagenGeleden(400).OpgeslagenAsync();
        var anders = await Een.Melding(DataSource).Verschoven(80, 80).Email("buurman@example.nl").OpgeslagenAsync();
        var bewoner = Bewoner();

        var metMeldingen = await VraagAsync(bewoner, "  MELDER@example.nl ");
        var bevestiging = await bewoner.Http.GetStringAsync("/mijn-meldingen");
        var zonderMeldingen = await VraagAsync(Bewoner(), "niemand@example.nl");

        // The same answer (a redirect to the same confirmation) for both, and a mail only for the melder.
        Assert.Equal(HttpStatusCode.Redirect, metMeldingen.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, zonderMeldingen.StatusCode);
        Assert.Equal(metMeldingen.Headers.Location, zonderMeldingen.Headers.Location);
        Assert.Contains("Als er meldingen met dit e-mailadres zijn", WebUtility.HtmlDecode(bevestiging));
        var mail = Assert.Single(await MailsAsync());
        Assert.Equal("MELDER@example.nl", mail.Aan);
        Assert.Equal("Uw link naar Mijn meldingen", mail.Onderwerp);
        Assert.Contains("De link werkt 24 uur", mail.Tekst);
        var link = LinkPatroon().Match(mail.Tekst);
        Assert.True(link.Success, mail.Tekst);

        var lijst = await bewoner.Http.GetAsync(link.Value);
        var html = WebUtility.HtmlDecode(await lijst.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, lijst.StatusCode);
        Assert.Contains("no-store", lijst.Headers.CacheControl!.ToString());
        Assert.Equal("no-referrer", lijst.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains($"href=\"/melding/{eigen.Volgcode}\"", html);
        Assert.Contains($"href=\"/melding/{nieuwste.Volgcode}\"", html);
        Assert.True(
            html.IndexOf(nieuwste.Volgcode, StringComparison.Ordinal) < html.IndexOf(eigen.Volgcode, StringComparison.Ordinal),
            "newest first"
        );
        Assert.DoesNotContain(oud.Volgcode, html);
        Assert.DoesNotContain(anders.Volgcode, html);
        Assert.Contains("Drugsafval", html);
        Assert.Contains("Gemeld", html);

        // Only hashes are stored: the token and the address are nowhere in the link table.
        await using var db = await DataSource.OpenConnectionAsync();
        var rij = await db.QuerySingleAsync<(byte[] Sleutel, byte[] Email)>("SELECT sleutel_hash, email_hash FROM mijn_meldingen_link");
        Assert.Equal(Sleutels.Hash(link.Groups[1].Value), rij.Sleutel);
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("melder@example.nl")), rij.Email);
    }

    [Fact]
    public async Task A_bad_address_gets_a_dutch_message_with_the_input_kept_and_sends_nothing()
    {
        await Een.Melding(DataSource).Email("melder@example.nl").OpgeslagenAsync();
        var bewoner = Bewoner();

        var ongeldig = await VraagAsync(bewoner, "melder@example");
        var leeg = await VraagAsync(bewoner, "   ");
        var html = WebUtility.HtmlDecode(await ongeldig.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, ongeldig.StatusCode);
        Assert.Contains("Vul een geldig e-mailadres in", html);
        Assert.Contains("value=\"melder@example\"", html);
        Assert.Contains("aria-invalid=\"true\"", html);
        Assert.Equal(HttpStatusCode.BadRequest, leeg.StatusCode);
        Assert.Contains("Vul uw e-mailadres in.", await leeg.Content.ReadAsStringAsync());
        Assert.Empty(await MailsAsync());
    }

    [Fact]
    public async Task An_unknown_expired_or_replaced_link_shows_no_reports_and_the_clean_up_removes_old_rows()
    {
        var melding = await Een.Melding(DataSource).Email("melder@example.nl").OpgeslagenAsync();
        var bewoner = Bewoner();
        await VraagAsync(bewoner, "melder@example.nl");
        await VraagAsync(bewoner, "melder@example.nl");
        var mails = await MailsAsync();
        Assert.Equal(2, mails.Count);
        var eerste = LinkPatroon().Match(mails[0].Tekst).Value;
        var tweede = LinkPatroon().Match(mails[1].Tekst).Value;

        var vervangen = await bewoner.Http.GetAsync(eerste);
        var nieuw = await bewoner.Http.GetStringAsync(tweede);
        var onbekend = await bewoner.Http.GetAsync($"/mijn-meldingen/{Sleutels.Nieuw()}");

        Assert.Equal(HttpStatusCode.Gone, vervangen.StatusCode);
        var vervangenHtml = WebUtility.HtmlDecode(await vervangen.Content.ReadAsStringAsync());
        Assert.Contains("verlopen of vervangen", vervangenHtml);
        Assert.DoesNotContain(melding.Volgcode, vervangenHtml);
        Assert.Contains(melding.Volgcode, nieuw);
        Assert.Equal(HttpStatusCode.NotFound, onbekend.StatusCode);
        Assert.Contains("Deze link klopt niet.", await onbekend.Content.ReadAsStringAsync());

        await using var db = await DataSource.OpenConnectionAsync();
        // Raw on purpose: expiry is a matter of time, which only the clock makes.
        await db.ExecuteAsync("UPDATE mijn_meldingen_link SET verloopt_op = now() - interval '10 minutes'");
        var verlopen = await bewoner.Http.GetAsync(tweede);
        Assert.Equal(HttpStatusCode.Gone, verlopen.StatusCode);
        Assert.DoesNotContain(melding.Volgcode, await verlopen.Content.ReadAsStringAsync());

        var regel = app.Services.GetServices<OpschoonRegel>().Single(r => r.Naam == "mijn-meldingen");
        Assert.Equal(0, await regel.EenKeerAsync(DataSource, CancellationToken.None));
        await db.ExecuteAsync("UPDATE mijn_meldingen_link SET verloopt_op = now() - interval '2 hours'");
        Assert.Equal(2, await regel.EenKeerAsync(DataSource, CancellationToken.None));
        Assert.Equal(0, await db.QuerySingleAsync<int>("SELECT count(*)::int FROM mijn_meldingen_link"));
        Assert.Equal(new Bewaartermijn("mijn-meldingen", 24, TermijnEenheid.Uren), regel.Termijn);

        var privacy = WebUtility.HtmlDecode(await app.CreateClient().GetStringAsync("/privacy"));
        Assert.Contains("De link werkt 24 uur; een uur daarna wissen wij beide codes.", privacy);
    }

    [Fact]
    public async Task Requests_are_limited_per_address_silently_and_per_client_with_429()
    {
        await Een.Melding(DataSource).Email("melder@example.nl").OpgeslagenAsync();
        var bewoner = Bewoner();

        var antwoorden = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            antwoorden.Add((await VraagAsync(bewoner, "melder@example.nl")).StatusCode);
        }
        var teveel = await VraagAsync(bewoner, "melder@example.nl");

        // The third and later requests of the hour look the same but send nothing.
        Assert.All(antwoorden, a => Assert.Equal(HttpStatusCode.Redirect, a));
        Assert.Equal(2, (await MailsAsync()).Count);
        Assert.Equal((HttpStatusCode)429, teveel.StatusCode);
        var html = WebUtility.HtmlDecode(await teveel.Content.ReadAsStringAsync());
        Assert.Contains("U hebt te vaak een link gevraagd.", html);
        Assert.Contains("value=\"melder@example.nl\"", html);
    }

    [Fact]
    public async Task An_english_visitor_gets_the_page_the_mail_and_the_list_in_english()
    {
        await Een.Melding(DataSource).Rubriek("drugsafval").Email("melder@example.nl").OpgeslagenAsync();
        var bewoner = Bewoner();

        var pagina = WebUtility.HtmlDecode(await bewoner.Http.GetStringAsync("/mijn-meldingen?culture=en"));
        await VraagAsync(bewoner, "melder@example.nl", "?culture=en");
        var mail = Assert.Single(await MailsAsync());
        var lijst = WebUtility.HtmlDecode(await bewoner.Http.GetStringAsync(LinkPatroon().Match(mail.Tekst).Value + "?culture=en"));

        Assert.Contains("Enter the e-mail address you gave with your reports.", pagina);
        Assert.Equal("Your link to My reports", mail.Onderwerp);
        Assert.Contains("The link works for 24 hours.", mail.Tekst);
        Assert.Contains("These are your reports of the last 12 months", lijst);
        Assert.Contains("Drug waste", lijst);
    }
}
