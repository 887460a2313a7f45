using System.Globalization;
using System.Net;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Data;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Features.Melding;

namespace Wijkmeldingen.Tests.Features.Melding;

/// <summary>What any resident may say about a public report without an account (issue 18): "Ik heb dit
/// ook" (one per person: a signed cookie and a daily-salted address hash; rate limited; the count is
/// public and lifts the report in staff triage) and "Nog niet opgelost" (a reopen request staff accept or
/// reject with a reason; never an automatic reopen; audited).</summary>
public sealed class BewonersTests : DatabaseTest
{
    private WijkAppFactory app = null!;
    private FormulierClient wijkagent = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        app = new WijkAppFactory(Database.ConnectionString, new Dictionary<string, string?> { ["Bewoners:RateLimietAantal"] = "5" });
        await BeheerAccounts.MaakAsync(app.Services, "wijkagent@heemstede.nl", "Wim Wijkagent", Rollen.Wijkprofessional);
        wijkagent = await BeheerAccounts.IngelogdAsync(app, "wijkagent@heemstede.nl");
    }

    public override async Task DisposeAsync()
    {
        await app.DisposeAsync();
        await base.DisposeAsync();
    }

    /// <summary>A resident's browser: its own cookies, no redirects followed.</summary>
    private FormulierClient Bewoner() => new(app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }));

    private static async Task<HttpResponseMessage> Zeg(
        FormulierClient bewoner,
        string volgcode,
        string handler,
        params (string Naam, string Waarde)[] velden
    )
    {
        var pagina = await bewoner.OpenAsync($"/melding/{volgcode}");
        return await bewoner.PostAsync(
            $"/melding/{volgcode}?handler={handler}",
            pagina.Token,
            velden.Select(v => new KeyValuePair<string, string>(v.Naam, v.Waarde))
        );
    }

    private async Task<int> Steun(long id)
    {
        await using var db = await DataSource.OpenConnectionAsync();
        return await db.QuerySingleAsync<int>("SELECT steun_aantal FROM melding WHERE id = @id", new { id });
    }

    private static async Task<string> Pagina(FormulierClient bewoner, string volgcode) =>
        await bewoner.Http.GetStringAsync($"/melding/{volgcode}");

    [Fact]
    public async Task Ik_heb_dit_ook_counts_once_per_browser_shows_publicly_and_lifts_the_report_in_triage()
    {
        var gesteund = await Een.Melding(DataSource)
            .Met("Auto's parkeren op de stoep bij de school.")
            .AangemaaktDagenGeleden(3)
            .OpgeslagenAsync();
        var nieuwer = await Een.Melding(DataSource).Met("Nieuwere melding zonder steun.").OpgeslagenAsync();
        var bewoner = Bewoner();

        var eerste = await Zeg(bewoner, gesteund.Volgcode, "Steunen");
        var pagina = await Pagina(bewoner, gesteund.Volgcode);
        var tweede = await Zeg(bewoner, gesteund.Volgcode, "Steunen");
        var daarna = await Pagina(bewoner, gesteund.Volgcode);

        Assert.Equal(HttpStatusCode.Redirect, eerste.StatusCode);
        Assert.Contains("We tellen u mee bij deze melding.", pagina);
        Assert.Contains("<dd id=\"steun-aantal\">1 buurtbewoner</dd>", pagina);
        Assert.Contains("id=\"steun-gedaan\"", pagina);
        Assert.DoesNotContain("id=\"steun-knop\"", pagina);
        Assert.Equal(HttpStatusCode.Redirect, tweede.StatusCode);
        Assert.Contains("U had al aangegeven", daarna);
        Assert.Equal(1, await Steun(gesteund.Id));
        Assert.Equal(0, await Steun(nieuwer.Id));
        // The cookie carries no report number or address readable to anyone: it is protected.
        var cookie = eerste.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(Bewoners.CookieNaam, StringComparison.Ordinal));
        Assert.DoesNotContain($"={gesteund.Id.ToString(CultureInfo.InvariantCulture)};", cookie);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);

        // Staff: the count is visible, and "meeste steun" puts the supported report above the newer one.
        var triage = await wijkagent.Http.GetStringAsync("/beheer/meldingen?sorteer=steun");
        Assert.True(
            triage.IndexOf(gesteund.Volgcode, StringComparison.Ordinal) < triage.IndexOf(nieuwer.Volgcode, StringComparison.Ordinal),
            "the supported report comes first"
        );
        Assert.Contains("1× ook last", WebUtility.HtmlDecode(triage));
        var standaard = await wijkagent.Http.GetStringAsync("/beheer/meldingen");
        Assert.True(
            standaard.IndexOf(nieuwer.Volgcode, StringComparison.Ordinal) < standaard.IndexOf(gesteund.Volgcode, StringComparison.Ordinal)
        );
        Assert.Contains("<dd id=\"steun-aantal\">1</dd>", await wijkagent.Http.GetStringAsync($"/beheer/meldingen/{gesteund.Id}"));
    }

    [Fact]
    public async Task A_second_browser_from_the_same_address_on_the_same_day_is_not_counted_again()
    {
        var melding = await Een.Melding(DataSource).OpgeslagenAsync();
        var eerste = Bewoner();
        var andereBrowser = Bewoner();

        await Zeg(eerste, melding.Volgcode, "Steunen");
        var opnieuw = await Zeg(andereBrowser, melding.Volgcode, "Steunen");

        Assert.Equal(HttpStatusCode.Redirect, opnieuw.StatusCode);
        Assert.Contains("U had al aangegeven", await Pagina(andereBrowser, melding.Volgcode));
        Assert.Equal(1, await Steun(melding.Id));
        await using var db = await DataSource.OpenConnectionAsync();
        Assert.Equal(
            1,
            await db.QuerySingleAsync<int>("SELECT count(*)::int FROM melding_steun WHERE melding_id = @Id", new { melding.Id })
        );
        // Only the hash is stored, never the address itself.
        var hash = await db.QuerySingleAsync<byte[]>("SELECT ip_dag_hash FROM melding_steun WHERE melding_id = @Id", new { melding.Id });
        Assert.Equal(32, hash.Length);
    }

    [Fact]
    public async Task The_rate_limit_refuses_with_a_dutch_message_and_counts_nothing()
    {
        var meldingen = new List<MeldingOpslaan.Resultaat>();
        for (var i = 0; i < 6; i++)
        {
            meldingen.Add(await Een.Melding(DataSource).Verschoven(i * 30, 0).OpgeslagenAsync());
        }
        var bewoner = Bewoner();

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Redirect, (await Zeg(bewoner, meldingen[i].Volgcode, "Steunen")).StatusCode);
        }
        var zesde = await Zeg(bewoner, meldingen[5].Volgcode, "Steunen");

        Assert.Equal(HttpStatusCode.TooManyRequests, zesde.StatusCode);
        Assert.Contains("kort na elkaar vaak gedaan", await zesde.Content.ReadAsStringAsync());
        Assert.Equal(0, await Steun(meldingen[5].Id));
        Assert.Equal(1, await Steun(meldingen[4].Id));
    }

    [Fact]
    public async Task A_closed_report_takes_no_support_and_an_open_one_no_reopen_request()
    {
        var gesloten = await Een.Melding(DataSource).Status("afgehandeld").OpgeslagenAsync();
        var open = await Een.Melding(DataSource).Verschoven(60, 0).OpgeslagenAsync();
        var bewoner = Bewoner();

        var steun = await Zeg(bewoner, gesloten.Volgcode, "Steunen");
        var heropen = await Zeg(bewoner, open.Volgcode, "NietOpgelost", ("NietOpgelostToelichting", "Nog steeds"));

        Assert.Equal(HttpStatusCode.BadRequest, steun.StatusCode);
        Assert.Contains("Deze melding is al afgesloten.", await steun.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, heropen.StatusCode);
        Assert.Contains("Deze melding is niet afgesloten", await heropen.Content.ReadAsStringAsync());
        Assert.Equal(0, await Steun(gesloten.Id));
        await using var db = await DataSource.OpenConnectionAsync();
        Assert.Equal(0, await db.QuerySingleAsync<int>("SELECT count(*)::int FROM melding_heropenverzoek"));
    }

    [Fact]
    public async Task Nog_niet_opgelost_is_a_request_staff_reject_with_a_public_reason_never_an_automatic_reopen()
    {
        var melding = await Een.Melding(DataSource).Met("Kapotte lantaarnpaal.").Status("afgehandeld").OpgeslagenAsync();
        var bewoner = Bewoner();
        var tekst = "De lamp brandt nog steeds niet. " + new string('x', 1000);

        var token = (await bewoner.OpenAsync($"/melding/{melding.Volgcode}")).Token;
        Task<HttpResponseMessage> Post(string toelichting) =>
            bewoner.PostAsync($"/melding/{melding.Volgcode}?handler=NietOpgelost", token, [new("NietOpgelostToelichting", toelichting)]);

        var teLang = await Post(tekst);
        var goed = await Post("De lamp brandt nog steeds niet.");
        // The page no longer offers the form; a second post (an old tab) is still counted once.
        var nogmaals = await Post("Echt niet.");

        Assert.Equal(HttpStatusCode.BadRequest, teLang.StatusCode);
        var teLangHtml = await teLang.Content.ReadAsStringAsync();
        Assert.Contains("Uw toelichting is te lang", teLangHtml);
        Assert.Contains("De lamp brandt nog steeds niet. xxxx", teLangHtml);
        Assert.Equal(HttpStatusCode.Redirect, goed.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, nogmaals.StatusCode);
        await using var db = await DataSource.OpenConnectionAsync();
        Assert.Equal("afgehandeld", await db.QuerySingleAsync<string>("SELECT status FROM melding WHERE id = @Id", new { melding.Id }));
        var verzoek = await db.QuerySingleAsync<long>("SELECT id FROM melding_heropenverzoek WHERE melding_id = @Id", new { melding.Id });
        Assert.Contains(
            "heropenverzoek-bewoner",
            await db.QueryAsync<string>("SELECT actie FROM audit WHERE melding_id = @Id", new { melding.Id })
        );
        Assert.Contains("id=\"heropen-gedaan\"", await Pagina(bewoner, melding.Volgcode));

        var staff = await wijkagent.Http.GetStringAsync($"/beheer/meldingen/{melding.Id}");
        Assert.Contains("De lamp brandt nog steeds niet.", staff);
        Assert.Contains("wacht op besluit", staff);
        Assert.Contains("Nog niet opgelost?", await wijkagent.Http.GetStringAsync("/beheer/meldingen"));
        // Recorded as a resident's act, not as "systeem"; and listed with the requests waiting for staff.
        Assert.Equal(
            "bewoner",
            await db.QuerySingleAsync<string>(
                "SELECT door FROM audit WHERE melding_id = @Id AND actie = 'heropenverzoek-bewoner'",
                new { melding.Id }
            )
        );
        var signalering = WebUtility.HtmlDecode(await wijkagent.Http.GetStringAsync("/beheer/signalering"));
        Assert.Contains(melding.Volgcode, signalering);
        Assert.Matches(
            @"<span class=""label"">Buurtbewoner: nog niet opgelost\.\s*</span>\s*De lamp brandt nog steeds niet\.",
            signalering
        );

        var zonderReden = await Staf(melding.Id, "NietOpgelostAfwijzen", verzoek, "  ");
        var afgewezen = await Staf(
            melding.Id,
            "NietOpgelostAfwijzen",
            verzoek,
            "De lamp is op 3 december vervangen; het is een andere paal."
        );
        var tweedeKeer = await Staf(melding.Id, "NietOpgelostAccepteren", verzoek, null);

        Assert.Equal(HttpStatusCode.BadRequest, zonderReden.StatusCode);
        Assert.Contains("Geef een reden van afwijzen", await zonderReden.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, afgewezen.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, tweedeKeer.StatusCode);
        Assert.Equal("afgehandeld", await db.QuerySingleAsync<string>("SELECT status FROM melding WHERE id = @Id", new { melding.Id }));
        Assert.Contains("De lamp is op 3 december vervangen", await Pagina(Bewoner(), melding.Volgcode));
        Assert.DoesNotContain(melding.Volgcode, await wijkagent.Http.GetStringAsync("/beheer/signalering"));
        Assert.Contains(
            "nietopgelost-afgewezen",
            await db.QueryAsync<string>("SELECT actie FROM audit WHERE melding_id = @Id", new { melding.Id })
        );
    }

    [Fact]
    public async Task Accepting_nog_niet_opgelost_reopens_with_a_history_entry_and_answers_every_open_request()
    {
        var melding = await Een.Melding(DataSource).Status("afgehandeld").Email("melder@example.nl").OpgeslagenAsync();
        await Zeg(Bewoner(), melding.Volgcode, "NietOpgelost", ("NietOpgelostToelichting", "Nog steeds kapot."));
        await using var db = await DataSource.OpenConnectionAsync();
        // A second resident the same day from another address (the test server has one address, so the
        // row is written as the app would write it for another one).
        await db.ExecuteAsync(
            "INSERT INTO melding_heropenverzoek (melding_id, toelichting, ip_dag_hash) VALUES (@Id, 'Ook hier.', '\\x01')",
            new { melding.Id }
        );
        var verzoek = await db.QueryFirstAsync<long>(
            "SELECT id FROM melding_heropenverzoek WHERE melding_id = @Id ORDER BY id",
            new { melding.Id }
        );

        var antwoord = await Staf(melding.Id, "NietOpgelostAccepteren", verzoek, "We kijken er opnieuw naar.");

        Assert.Equal(HttpStatusCode.Redirect, antwoord.StatusCode);
        Assert.Equal("heropend", await db.QuerySingleAsync<string>("SELECT status FROM melding WHERE id = @Id", new { melding.Id }));
        Assert.Equal(
            ("afgehandeld", "We kijken er opnieuw naar."),
            await db.QuerySingleAsync<(string, string)>(
                "SELECT van_status, bericht FROM melding_historie WHERE melding_id = @Id AND naar_status = 'heropend'",
                new { melding.Id }
            )
        );
        Assert.Equal(
            ["geaccepteerd", "geaccepteerd"],
            await db.QueryAsync<string>("SELECT status FROM melding_heropenverzoek WHERE melding_id = @Id ORDER BY id", new { melding.Id })
        );
        var acties = (await db.QueryAsync<string>("SELECT actie FROM audit WHERE melding_id = @Id", new { melding.Id })).AsList();
        Assert.Contains("nietopgelost-geaccepteerd", acties);
        Assert.Contains("status", acties);
        Assert.Contains(
            "We kijken er opnieuw naar.",
            await db.QuerySingleAsync<string>("SELECT tekst FROM mail_outbox WHERE aan = 'melder@example.nl' ORDER BY id DESC LIMIT 1")
        );
        // Open again: the public page offers "Ik heb dit ook" instead of "Nog niet opgelost".
        var pagina = await Pagina(Bewoner(), melding.Volgcode);
        Assert.Contains("id=\"steun-knop\"", pagina);
        Assert.DoesNotContain("id=\"heropen-knop\"", pagina);
    }

    [Fact]
    public async Task The_daily_salt_goes_after_a_day_and_the_address_hashes_after_two()
    {
        var melding = await Een.Melding(DataSource).OpgeslagenAsync();
        await Zeg(Bewoner(), melding.Volgcode, "Steunen");
        await using var db = await DataSource.OpenConnectionAsync();
        // Raw on purpose: the rule acts on age, which only the clock makes.
        await db.ExecuteAsync(
            """
            INSERT INTO bewoner_zout (dag, zout) VALUES ((now() AT TIME ZONE 'Europe/Amsterdam')::date - 2, '\x02');
            UPDATE melding_steun SET gegeven_op = now() - interval '3 days';
            """
        );
        var regel = app.Services.GetServices<OpschoonRegel>().Single(r => r.Naam == "bewoner-zout");

        await regel.UitvoerenAsync(db, CancellationToken.None);

        Assert.Equal(1, await db.QuerySingleAsync<int>("SELECT count(*)::int FROM bewoner_zout"));
        Assert.Null(await db.QuerySingleAsync<byte[]?>("SELECT ip_dag_hash FROM melding_steun WHERE melding_id = @Id", new { melding.Id }));
        Assert.Equal(1, await Steun(melding.Id));
        Assert.Contains("Na 2 dagen wissen we die code", WebUtility.HtmlDecode(await app.CreateClient().GetStringAsync("/privacy")));
    }

    private async Task<HttpResponseMessage> Staf(long id, string handler, long verzoek, string? tekst)
    {
        var pagina = await wijkagent.OpenAsync($"/beheer/meldingen/{id}");
        return await wijkagent.PostAsync(
            $"/beheer/meldingen/{id}?handler={handler}",
            pagina.Token,
            [new("NietOpgelostId", verzoek.ToString(CultureInfo.InvariantCulture)), new("NietOpgelostTekst", tekst ?? "")]
        );
    }
}
