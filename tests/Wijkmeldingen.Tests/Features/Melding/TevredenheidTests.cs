using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Dapper;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Tests.Features.Melding;

/// <summary>Satisfaction after a report is handled: the one-click links in the melder's mail (token
/// stored as a hash, valid Beheer:TevredenheidDagen, one answer per closed episode), the same form on
/// the melder's private follow-up page (never on the public tracking page), and "niet tevreden" as a
/// reopen request staff accept or answer.</summary>
public sealed partial class TevredenheidTests : DatabaseTest
{
    private WijkAppFactory app = null!;
    private FormulierClient wijkagent = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        app = new WijkAppFactory(Database.ConnectionString, new Dictionary<string, string?> { ["Beheer:TevredenheidDagen"] = "3" });
        await BeheerAccounts.MaakAsync(app.Services, "wijkagent@heemstede.nl", "Wim Wijkagent", Rollen.Wijkprofessional);
        wijkagent = await BeheerAccounts.IngelogdAsync(app, "wijkagent@heemstede.nl");
    }

    public override async Task DisposeAsync()
    {
        await app.DisposeAsync();
        await base.DisposeAsync();
    }

    [GeneratedRegex(@"/beoordelen\?t=([A-Za-z0-9_-]+)&keuze=tevreden\b")]
    private static partial Regex TevredenLink();

    private MeldingBouwer Melding() => Een.Melding(DataSource).Met("Bestelbus staat elke dag op het trottoir.").Email("melder@example.nl");

    private async Task<HttpResponseMessage> Actie(long id, string handler, params (string Naam, string Waarde)[] velden)
    {
        var pagina = await wijkagent.OpenAsync($"/beheer/meldingen/{id}");
        return await wijkagent.PostAsync(
            $"/beheer/meldingen/{id}?handler={handler}",
            pagina.Token,
            velden.Select(v => new KeyValuePair<string, string>(v.Naam, v.Waarde))
        );
    }

    /// <summary>Handles the report and returns the token from the melder's mail.</summary>
    private async Task<string> Afhandelen(MeldingOpslaan.Resultaat melding, string van = "gemeld", string? bericht = null)
    {
        var antwoord = await Actie(melding.Id, "Status", ("Huidig", van), ("NaarStatus", "afgehandeld"), ("Tekst", bericht ?? ""));
        Assert.Equal(HttpStatusCode.Redirect, antwoord.StatusCode);
        await using var db = await DataSource.OpenConnectionAsync();
        var tekst = await db.QuerySingleAsync<string>(
            "SELECT tekst FROM mail_outbox WHERE aan = 'melder@example.nl' AND sleutel LIKE 'melding-bericht:%' ORDER BY id DESC LIMIT 1"
        );
        return TevredenLink().Match(tekst).Groups[1].Value;
    }

    private async Task<HttpResponseMessage> Beoordelen(
        string volgcode,
        string? sleutel,
        string keuze,
        string toelichting = "",
        string? melderSleutel = null
    )
    {
        var client = new FormulierClient(
            app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false })
        );
        // Any form of the site gives an antiforgery token; the rating form is gone once answered or expired.
        var pagina = await client.OpenAsync("/melden");
        var velden = new List<KeyValuePair<string, string>> { new("Keuze", keuze), new("Toelichting", toelichting) };
        if (sleutel is not null)
        {
            velden.Add(new("t", sleutel));
        }
        if (melderSleutel is not null)
        {
            velden.Add(new("m", melderSleutel));
        }
        return await client.PostAsync($"/melding/{volgcode}/beoordelen", pagina.Token, velden);
    }

    [Fact]
    public async Task Handling_mails_the_melder_two_one_click_links_with_a_hashed_token()
    {
        var melding = await Melding().OpgeslagenAsync();
        await using var db = await DataSource.OpenConnectionAsync();
        await db.ExecuteAsync(
            "INSERT INTO melding_volger (melding_id, email, sleutel_hash) VALUES (@Id, 'buur@example.nl', '\\x00')",
            new { melding.Id }
        );

        var sleutel = await Afhandelen(melding, bericht: "De bus is weggesleept.");

        var mail = await db.QuerySingleAsync<string>(
            "SELECT tekst FROM mail_outbox WHERE aan = 'melder@example.nl' AND sleutel LIKE 'melding-bericht:%'"
        );
        Assert.Contains("De bus is weggesleept.", mail);
        Assert.Contains($"/melding/{melding.Volgcode}/beoordelen?t={sleutel}&keuze=tevreden", mail);
        Assert.Contains($"/melding/{melding.Volgcode}/beoordelen?t={sleutel}&keuze=niet-tevreden", mail);
        Assert.Contains("3 dagen", mail);
        // The follower hears the message but gets no rating links.
        var volger = await db.QuerySingleAsync<string>(
            "SELECT tekst FROM mail_outbox WHERE aan = 'buur@example.nl' AND sleutel LIKE 'melding-bericht:%'"
        );
        Assert.Contains("De bus is weggesleept.", volger);
        Assert.DoesNotContain("beoordelen", volger);
        var (hash, dagen) = await db.QuerySingleAsync<(byte[], double)>(
            "SELECT sleutel_hash, extract(epoch FROM geldig_tot - aangemaakt_op) / 86400 FROM melding_beoordeling WHERE melding_id = @Id",
            new { melding.Id }
        );
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(sleutel)), hash);
        Assert.Equal(3, dagen, 2);
    }

    [Fact]
    public async Task A_link_preselects_the_choice_stores_once_and_then_says_so()
    {
        var melding = await Melding().OpgeslagenAsync();
        var sleutel = await Afhandelen(melding);
        var publiek = app.CreateClient();

        var pagina = await publiek.GetStringAsync($"/melding/{melding.Volgcode}/beoordelen?t={sleutel}&keuze=niet-tevreden");
        Assert.Matches("id=\"keuze-niet-tevreden\" value=\"niet-tevreden\" checked", pagina);
        Assert.DoesNotMatch("id=\"keuze-tevreden\" value=\"tevreden\" checked", pagina);
        await using var db = await DataSource.OpenConnectionAsync();
        Assert.Null(
            await db.QuerySingleAsync<bool?>("SELECT tevreden FROM melding_beoordeling WHERE melding_id = @Id", new { melding.Id })
        );
        var opvolgen = $"/melding/{melding.Volgcode}/opvolgen/{melding.MelderSleutel}";
        Assert.Contains("id=\"beoordelen\"", await publiek.GetStringAsync(opvolgen));

        var eerste = await Beoordelen(melding.Volgcode, sleutel, "tevreden", "Snel opgelost, dank!");
        var tweede = await Beoordelen(melding.Volgcode, sleutel, "niet-tevreden");

        Assert.Equal(HttpStatusCode.Redirect, eerste.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, tweede.StatusCode);
        Assert.Contains("al laten weten", await tweede.Content.ReadAsStringAsync());
        var opgeslagen = await db.QuerySingleAsync<(bool Tevreden, string Toelichting, string? Verzoek)>(
            "SELECT tevreden, toelichting, verzoek_status FROM melding_beoordeling WHERE melding_id = @Id",
            new { melding.Id }
        );
        Assert.Equal((true, "Snel opgelost, dank!", null), opgeslagen);
        Assert.DoesNotContain("id=\"beoordelen\"", await publiek.GetStringAsync(opvolgen));
        Assert.Contains(
            "al laten weten",
            await publiek.GetStringAsync($"/melding/{melding.Volgcode}/beoordelen?t={sleutel}&keuze=tevreden")
        );
        Assert.Contains("Snel opgelost, dank!", await wijkagent.Http.GetStringAsync($"/beheer/meldingen/{melding.Id}"));
    }

    [Fact]
    public async Task A_stranger_with_only_the_public_code_cannot_answer_only_the_melder_can()
    {
        var melding = await Melding().OpgeslagenAsync();
        var sleutel = await Afhandelen(melding);
        var publiek = app.CreateClient();
        await using var db = await DataSource.OpenConnectionAsync();

        // The public tracking page (its code is on the map, in open data, Open311, feeds) has no form.
        Assert.DoesNotContain("id=\"beoordelen\"", await publiek.GetStringAsync($"/melding/{melding.Volgcode}"));
        // A stranger who knows only the code is refused, with a Dutch message, and nothing is stored.
        var vreemde = await Beoordelen(melding.Volgcode, null, "niet-tevreden", "Stiekem van een ander.");
        Assert.Equal(HttpStatusCode.Forbidden, vreemde.StatusCode);
        Assert.Contains("Alleen de melder", WebUtility.HtmlDecode(await vreemde.Content.ReadAsStringAsync()));
        var zonderLink = await publiek.GetAsync($"/melding/{melding.Volgcode}/beoordelen?keuze=niet-tevreden");
        Assert.Equal(HttpStatusCode.Forbidden, zonderLink.StatusCode);
        Assert.DoesNotContain("id=\"beoordelen\"", await zonderLink.Content.ReadAsStringAsync());
        // A wrong private link is no better.
        Assert.Equal(
            HttpStatusCode.NotFound,
            (await Beoordelen(melding.Volgcode, null, "niet-tevreden", melderSleutel: "verkeerd")).StatusCode
        );
        Assert.Equal(
            (null, null, null),
            await db.QuerySingleAsync<(bool?, string?, string?)>(
                "SELECT tevreden, toelichting, verzoek_status FROM melding_beoordeling WHERE melding_id = @Id",
                new { melding.Id }
            )
        );

        // The melder's private follow-up page has the form, and its key answers.
        var opvolgen = await publiek.GetStringAsync($"/melding/{melding.Volgcode}/opvolgen/{melding.MelderSleutel}");
        Assert.Contains("id=\"beoordelen\"", opvolgen);
        Assert.Equal(
            HttpStatusCode.Redirect,
            (await Beoordelen(melding.Volgcode, null, "tevreden", "Netjes.", melderSleutel: melding.MelderSleutel)).StatusCode
        );
        Assert.Equal(
            (true, "Netjes."),
            await db.QuerySingleAsync<(bool, string)>(
                "SELECT tevreden, toelichting FROM melding_beoordeling WHERE melding_id = @Id",
                new { melding.Id }
            )
        );
        // The mail's token leads to the same, now answered, episode.
        Assert.Equal(HttpStatusCode.Conflict, (await Beoordelen(melding.Volgcode, sleutel, "niet-tevreden")).StatusCode);
    }

    [Fact]
    public async Task Links_expire_wrong_tokens_are_unknown_and_a_choice_is_required()
    {
        var melding = await Melding().OpgeslagenAsync();
        var sleutel = await Afhandelen(melding);
        var publiek = app.CreateClient();

        Assert.Equal(
            HttpStatusCode.NotFound,
            (await publiek.GetAsync($"/melding/{melding.Volgcode}/beoordelen?t=verkeerd&keuze=tevreden")).StatusCode
        );
        var zonderKeuze = await Beoordelen(melding.Volgcode, sleutel, "");
        Assert.Equal(HttpStatusCode.BadRequest, zonderKeuze.StatusCode);
        Assert.Contains("Kies of u tevreden of niet tevreden bent.", await zonderKeuze.Content.ReadAsStringAsync());

        await using var db = await DataSource.OpenConnectionAsync();
        await db.ExecuteAsync(
            "UPDATE melding_beoordeling SET geldig_tot = now() - interval '1 minute' WHERE melding_id = @Id",
            new { melding.Id }
        );

        Assert.Contains(
            "termijn is voorbij",
            await publiek.GetStringAsync($"/melding/{melding.Volgcode}/beoordelen?t={sleutel}&keuze=tevreden")
        );
        Assert.DoesNotContain(
            "id=\"beoordelen\"",
            await publiek.GetStringAsync($"/melding/{melding.Volgcode}/opvolgen/{melding.MelderSleutel}")
        );
        Assert.Equal(HttpStatusCode.Conflict, (await Beoordelen(melding.Volgcode, sleutel, "tevreden")).StatusCode);
        Assert.Null(
            await db.QuerySingleAsync<bool?>("SELECT tevreden FROM melding_beoordeling WHERE melding_id = @Id", new { melding.Id })
        );
    }

    [Fact]
    public async Task Not_satisfied_is_a_reopen_request_that_staff_accept()
    {
        var melding = await Melding().OpgeslagenAsync();
        var sleutel = await Afhandelen(melding);

        Assert.Equal(
            HttpStatusCode.Redirect,
            (await Beoordelen(melding.Volgcode, sleutel, "niet-tevreden", "De bus staat er gewoon weer.")).StatusCode
        );

        var signalering = await wijkagent.Http.GetStringAsync("/beheer/signalering");
        Assert.Contains("id=\"heropenverzoeken\"", signalering);
        Assert.Contains("De bus staat er gewoon weer.", signalering);
        var pagina = await wijkagent.Http.GetStringAsync($"/beheer/meldingen/{melding.Id}");
        Assert.Contains("wacht op een medewerker", pagina);
        await using var db = await DataSource.OpenConnectionAsync();
        var beoordeling = await db.QuerySingleAsync<long>("SELECT id FROM melding_beoordeling WHERE melding_id = @Id", new { melding.Id });

        var accepteren = await Actie(
            melding.Id,
            "HeropenAccepteren",
            ("BeoordelingId", beoordeling.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("Tekst", "We pakken het opnieuw op.")
        );
        var nogmaals = await Actie(
            melding.Id,
            "HeropenAccepteren",
            ("BeoordelingId", beoordeling.ToString(System.Globalization.CultureInfo.InvariantCulture))
        );

        Assert.Equal(HttpStatusCode.Redirect, accepteren.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, nogmaals.StatusCode);
        Assert.Equal("heropend", await db.QuerySingleAsync<string>("SELECT status FROM melding WHERE id = @Id", new { melding.Id }));
        Assert.Equal(
            ("geaccepteerd", "Wim Wijkagent"),
            await db.QuerySingleAsync<(string, string)>(
                "SELECT verzoek_status, behandeld_door FROM melding_beoordeling WHERE id = @beoordeling",
                new { beoordeling }
            )
        );
        Assert.Equal(
            ["heropenverzoek-geaccepteerd", "status", "status"],
            await db.QueryAsync<string>("SELECT actie FROM audit WHERE melding_id = @Id ORDER BY actie", new { melding.Id })
        );
        Assert.Contains(
            "We pakken het opnieuw op.",
            await db.QuerySingleAsync<string>("SELECT tekst FROM mail_outbox WHERE aan = 'melder@example.nl' ORDER BY id DESC LIMIT 1")
        );
        Assert.DoesNotContain("id=\"heropenverzoeken\"", await wijkagent.Http.GetStringAsync("/beheer/signalering"));

        // Handled again: a new episode with a new link; the old link is spent.
        var nieuw = await Afhandelen(melding, van: "heropend");
        Assert.NotEqual(sleutel, nieuw);
        Assert.Contains(
            "al laten weten",
            await app.CreateClient().GetStringAsync($"/melding/{melding.Volgcode}/beoordelen?t={sleutel}&keuze=tevreden")
        );
        // The private follow-up link answers the current episode.
        Assert.Equal(
            HttpStatusCode.Redirect,
            (await Beoordelen(melding.Volgcode, null, "tevreden", melderSleutel: melding.MelderSleutel)).StatusCode
        );
        Assert.Equal(
            [false, true],
            await db.QueryAsync<bool>("SELECT tevreden FROM melding_beoordeling WHERE melding_id = @Id ORDER BY id", new { melding.Id })
        );
    }

    [Fact]
    public async Task Staff_can_answer_a_reopen_request_instead()
    {
        var melding = await Melding().OpgeslagenAsync();
        await Afhandelen(melding);
        // Through the form on the melder's private follow-up page, without the mail's token.
        Assert.Equal(
            HttpStatusCode.Redirect,
            (await Beoordelen(melding.Volgcode, null, "niet-tevreden", "Niemand is komen kijken.", melding.MelderSleutel)).StatusCode
        );
        await using var db = await DataSource.OpenConnectionAsync();
        var beoordeling = (
            await db.QuerySingleAsync<long>("SELECT id FROM melding_beoordeling WHERE melding_id = @Id", new { melding.Id })
        ).ToString(System.Globalization.CultureInfo.InvariantCulture);

        var leeg = await Actie(melding.Id, "HeropenBeantwoorden", ("BeoordelingId", beoordeling), ("Antwoord", " "));
        var goed = await Actie(
            melding.Id,
            "HeropenBeantwoorden",
            ("BeoordelingId", beoordeling),
            ("Antwoord", "Handhaving is twee keer geweest; de bus stond er toen niet.")
        );

        Assert.Equal(HttpStatusCode.BadRequest, leeg.StatusCode);
        Assert.Contains("Schrijf een antwoord", await leeg.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, goed.StatusCode);
        Assert.Equal("afgehandeld", await db.QuerySingleAsync<string>("SELECT status FROM melding WHERE id = @Id", new { melding.Id }));
        var mail = await db.QuerySingleAsync<(string Onderwerp, string Tekst)>(
            "SELECT onderwerp, tekst FROM mail_outbox WHERE sleutel = 'heropen-antwoord:' || @beoordeling",
            new { beoordeling }
        );
        Assert.Contains(melding.Volgcode, mail.Onderwerp);
        Assert.Contains("Handhaving is twee keer geweest", mail.Tekst);
        Assert.Equal(
            "beantwoord",
            await db.QuerySingleAsync<string>("SELECT verzoek_status FROM melding_beoordeling WHERE melding_id = @Id", new { melding.Id })
        );
        Assert.Equal(
            1,
            await db.ExecuteScalarAsync<long>(
                "SELECT count(*) FROM audit WHERE melding_id = @Id AND actie = 'heropenverzoek-beantwoord'",
                new { melding.Id }
            )
        );
        Assert.Contains("Handhaving is twee keer geweest", await app.CreateClient().GetStringAsync($"/melding/{melding.Volgcode}"));
        Assert.DoesNotContain("id=\"heropenverzoeken\"", await wijkagent.Http.GetStringAsync("/beheer/signalering"));
    }

    [Fact]
    public async Task The_wijk_picture_shows_the_share_of_satisfied_melders_above_the_threshold()
    {
        await using var db = await DataSource.OpenConnectionAsync();
        async Task Antwoord(string rubriek, bool tevreden)
        {
            var melding = await Melding().Rubriek(rubriek).Email(null).OpgeslagenAsync();
            // Raw on purpose: a given rating at a fixed date, without the e-mailed rating link.
            await db.ExecuteAsync(
                """
                WITH h AS (
                    INSERT INTO melding_historie (melding_id, van_status, naar_status, door)
                    VALUES (@Id, 'gemeld', 'afgehandeld', 'test') RETURNING id)
                INSERT INTO melding_beoordeling (melding_id, historie_id, sleutel_hash, geldig_tot, tevreden, gegeven_op)
                SELECT @Id, h.id, gen_random_bytes(32), now(), @tevreden, '2025-10-15 12:00 Europe/Amsterdam' FROM h
                """,
                new { melding.Id, tevreden }
            );
        }
        var wijk = await db.QuerySingleAsync<string>(
            "SELECT wijk_code FROM buurt WHERE ST_Covers(geom, ST_Transform(ST_SetSRID(ST_MakePoint(@Lon, @Lat), 4326), 28992))",
            new { TestGemeente.Lat, TestGemeente.Lon }
        );
        for (var i = 0; i < 3; i++)
        {
            await Antwoord("parkeeroverlast", true);
        }
        await Antwoord("parkeeroverlast", false);
        // Sensitive categories never count, not even in a share.
        await Antwoord("drugsafval", false);
        await Antwoord("drugsafval", false);

        var weinig = WebUtility.HtmlDecode(await app.CreateClient().GetStringAsync($"/wijken/{wijk}?soort=kwartaal&kwartaal=2025-4"));
        await Antwoord("parkeeroverlast", true);
        var genoeg = WebUtility.HtmlDecode(await app.CreateClient().GetStringAsync($"/wijken/{wijk}?soort=kwartaal&kwartaal=2025-4"));
        var anderKwartaal = WebUtility.HtmlDecode(
            await app.CreateClient().GetStringAsync($"/wijken/{wijk}?soort=kwartaal&kwartaal=2025-3")
        );

        Assert.Contains("Melders tevreden over afhandeling", weinig);
        Assert.Contains("data-kern=\"tevreden\">–<", weinig);
        Assert.Contains("data-kern=\"tevreden\">80 %<", genoeg);
        Assert.Contains("data-kern=\"tevreden\">–<", anderKwartaal);
    }
}
