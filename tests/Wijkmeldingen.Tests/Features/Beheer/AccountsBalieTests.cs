using System.Net;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OtpNet;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Features.Beheer.Accounts;

namespace Wijkmeldingen.Tests.Features.Beheer;

/// <summary>"Forgot password": the same answer for every address, a link only to an active account,
/// the link works once, at most three mails per account per hour, a 429 per client address, audited.</summary>
public sealed partial class WachtwoordVergetenTests : AppTest
{
    [Fact]
    public async Task Known_and_unknown_addresses_get_the_same_answer_and_only_the_account_gets_a_link_that_works_once()
    {
        var medewerker = await BeheerAccounts.MaakAsync(App.Services, "wijkagent@heemstede.nl", "Wim Wijkagent", Rollen.Wijkprofessional);
        var client = Anoniem();

        var bekend = await VraagAan(client, "Wijkagent@Heemstede.nl ");
        var onbekend = await VraagAan(client, "niemand@heemstede.nl");
        var fout = await VraagAan(client, "geen-adres");

        Assert.Equal(HttpStatusCode.OK, bekend.StatusCode);
        Assert.Equal(HttpStatusCode.OK, onbekend.StatusCode);
        Assert.Equal(Melding(await bekend.Content.ReadAsStringAsync()), Melding(await onbekend.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.BadRequest, fout.StatusCode);
        var foutHtml = await fout.Content.ReadAsStringAsync();
        Assert.Contains("vergetenfout", foutHtml, StringComparison.Ordinal);
        Assert.Contains("value=\"geen-adres\"", foutHtml, StringComparison.Ordinal);

        await using var db = await DataSource.OpenConnectionAsync();
        var mails = (await db.QueryAsync<(string Aan, string Tekst)>("SELECT aan, tekst FROM mail_outbox")).ToList();
        var mail = Assert.Single(mails);
        Assert.Equal("wijkagent@heemstede.nl", mail.Aan);
        Assert.Equal(1, await db.ExecuteScalarAsync<int>("SELECT count(*) FROM audit WHERE actie = 'wachtwoord-vergeten'"));

        var link = new Uri(LinkPattern().Match(mail.Tekst).Value);
        var pad = link.PathAndQuery;
        Assert.StartsWith($"/beheer/wachtwoord/{medewerker.Id}?vergeten=1&token=", pad, StringComparison.Ordinal);
        var pagina = await client.OpenAsync(pad);
        var nieuw = "een heel nieuw wachtwoord";
        var gezet = await client.PostAsync(pad, pagina.Token, [new("Nieuw", nieuw), new("Herhaal", nieuw)]);
        var nogEens = await client.PostAsync(pad, pagina.Token, [new("Nieuw", nieuw + "!"), new("Herhaal", nieuw + "!")]);

        Assert.Equal(HttpStatusCode.Redirect, gezet.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, nogEens.StatusCode);
        Assert.Contains("wachtwoordfout", await nogEens.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await BeheerAccounts.IngelogdAsync(App, "wijkagent@heemstede.nl", nieuw);
        Assert.Equal(1, await db.ExecuteScalarAsync<int>("SELECT count(*) FROM audit WHERE actie = 'wachtwoord-hersteld'"));
    }

    [Fact]
    public async Task An_invitation_token_is_not_a_forgot_password_token()
    {
        var medewerker = await BeheerAccounts.MaakAsync(App.Services, "wijkagent@heemstede.nl", "Wim Wijkagent", Rollen.Wijkprofessional);
        using var scope = App.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Medewerker>>();
        var uitnodiging = await users.GeneratePasswordResetTokenAsync(medewerker);
        var client = Anoniem();
        var pad = $"/beheer/wachtwoord/{medewerker.Id}?vergeten=1&token={Uri.EscapeDataString(uitnodiging)}";
        var pagina = await client.OpenAsync(pad);

        var antwoord = await client.PostAsync(
            pad,
            pagina.Token,
            [new("Nieuw", "een heel nieuw wachtwoord"), new("Herhaal", "een heel nieuw wachtwoord")]
        );

        Assert.Equal(HttpStatusCode.BadRequest, antwoord.StatusCode);
    }

    [Fact]
    public async Task At_most_three_mails_per_account_an_hour_and_a_429_per_client_address()
    {
        await BeheerAccounts.MaakAsync(App.Services, "wijkagent@heemstede.nl", "Wim Wijkagent", Rollen.Wijkprofessional);
        var client = Anoniem();
        var statussen = new List<HttpStatusCode>();
        for (var i = 0; i < 11; i++)
        {
            statussen.Add((await VraagAan(client, "wijkagent@heemstede.nl")).StatusCode);
        }

        Assert.All(statussen.Take(10), s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, statussen[10]);
        await using var db = await DataSource.OpenConnectionAsync();
        Assert.Equal(3, await db.ExecuteScalarAsync<int>("SELECT count(*) FROM mail_outbox"));
    }

    [Fact]
    public async Task The_per_address_limit_is_shared_by_every_web_node_and_kept_in_the_database()
    {
        // A second app on the same database: another web node, with its own memory.
        await using var tweede = new WijkAppFactory(Database.ConnectionString);
        var hier = Anoniem();
        var daar = new FormulierClient(tweede.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }));
        var statussen = new List<HttpStatusCode>();
        for (var i = 0; i < 10; i++)
        {
            statussen.Add((await VraagAan(i % 2 == 0 ? hier : daar, "onbekend@heemstede.nl")).StatusCode);
        }
        Assert.All(statussen, s => Assert.Equal(HttpStatusCode.OK, s));

        // The eleventh request is refused on either node, and a third node started now sees it too.
        var teveel = await VraagAan(daar, "onbekend@heemstede.nl");
        Assert.Equal(HttpStatusCode.TooManyRequests, teveel.StatusCode);
        Assert.Contains("vergeten", await teveel.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await VraagAan(hier, "onbekend@heemstede.nl")).StatusCode);
        await using (var derde = new WijkAppFactory(Database.ConnectionString))
        {
            var vers = new FormulierClient(derde.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }));
            Assert.Equal(HttpStatusCode.TooManyRequests, (await VraagAan(vers, "onbekend@heemstede.nl")).StatusCode);
        }

        // Only hashes are kept; refused requests are not counted; after an hour the window has moved on,
        // and the retention rule removes rows older than a day.
        await using var db = await DataSource.OpenConnectionAsync();
        Assert.Equal(10, await db.ExecuteScalarAsync<int>("SELECT count(*) FROM wachtwoord_vergeten_poging"));
        Assert.Equal(1, await db.ExecuteScalarAsync<int>("SELECT count(DISTINCT adres_hash) FROM wachtwoord_vergeten_poging"));
        await db.ExecuteAsync("UPDATE wachtwoord_vergeten_poging SET tijdstip = tijdstip - interval '61 minutes'");
        Assert.Equal(HttpStatusCode.OK, (await VraagAan(hier, "onbekend@heemstede.nl")).StatusCode);
        await db.ExecuteAsync(
            "UPDATE wachtwoord_vergeten_poging SET tijdstip = tijdstip - interval '1 day' WHERE tijdstip < now() - interval '1 hour'"
        );
        var opschonen = App.Services.GetServices<IHostedService>().OfType<Wijkmeldingen.Web.Data.Opschonen>().Single();
        var verwijderd = await opschonen.EenRondeAsync(CancellationToken.None);
        Assert.Equal(10, verwijderd["wachtwoord-vergeten tellers"]);
        Assert.Equal(1, await db.ExecuteScalarAsync<int>("SELECT count(*) FROM wachtwoord_vergeten_poging"));
    }

    private FormulierClient Anoniem() => new(App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }));

    private static async Task<HttpResponseMessage> VraagAan(FormulierClient client, string email)
    {
        var pagina = await client.OpenAsync("/beheer/wachtwoord-vergeten");
        return await client.PostAsync("/beheer/wachtwoord-vergeten", pagina.Token, [new("Email", email)]);
    }

    private static string Melding(string html) => MeldingPattern().Match(html).Value;

    [GeneratedRegex("<div[^>]*id=\"vergeten-verstuurd\".*?</div>", RegexOptions.Singleline)]
    private static partial Regex MeldingPattern();

    [GeneratedRegex(@"https?://\S+")]
    private static partial Regex LinkPattern();
}

/// <summary>Two-step sign-in: a QR code and the key as text; ten recovery codes shown once, stored
/// only hashed, each working once; a beheerder resets it (audited); mandatory for beheerders.</summary>
public sealed partial class HerstelcodesTests : AppTest
{
    [Fact]
    public async Task Recovery_codes_are_shown_once_stored_hashed_and_work_once()
    {
        var medewerker = await BeheerAccounts.MaakAsync(App.Services, "wijkagent@heemstede.nl", "Wim Wijkagent", Rollen.Wijkprofessional);
        var client = await BeheerAccounts.IngelogdAsync(App, "wijkagent@heemstede.nl");
        var pagina = await client.OpenAsync("/beheer/tweestaps");
        Assert.Contains("id=\"tweestaps-qr\" src=\"data:image/png;base64,", pagina.Html, StringComparison.Ordinal);
        var sleutel = await Sleutel(medewerker.Id);

        var aan = await client.PostAsync("/beheer/tweestaps?handler=Aanzetten", pagina.Token, [new("Code", Code(sleutel))]);

        Assert.Equal(HttpStatusCode.OK, aan.StatusCode);
        var codes = CodePattern().Matches(await aan.Content.ReadAsStringAsync()).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(10, codes.Count);
        Assert.Equal(10, codes.Distinct().Count());
        Assert.Empty(CodePattern().Matches(await client.Http.GetStringAsync("/beheer/tweestaps")));
        await using var db = await DataSource.OpenConnectionAsync();
        var hashes = (
            await db.QueryAsync<byte[]>("SELECT hash FROM medewerker_herstelcode WHERE medewerker_id = @Id", new { medewerker.Id })
        ).ToList();
        Assert.Equal(10, hashes.Count);
        Assert.Contains(hashes, h => h.AsSpan().SequenceEqual(MedewerkerStore.HerstelcodeHash(medewerker.Id, codes[0])));
        var alles = await db.QuerySingleAsync<string>(
            "SELECT string_agg(encode(hash, 'escape'), '') FROM medewerker_herstelcode WHERE medewerker_id = @Id",
            new { medewerker.Id }
        );
        Assert.DoesNotContain(codes[0], alles, StringComparison.Ordinal);

        var eerste = await MetHerstelcode(codes[0].ToLowerInvariant());
        var tweede = await MetHerstelcode(codes[0]);

        Assert.Equal(HttpStatusCode.Redirect, eerste.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, tweede.StatusCode);
        Assert.Contains("herstelfout", await tweede.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(9, await db.ExecuteScalarAsync<int>("SELECT count(*) FROM medewerker_herstelcode"));
        Assert.Equal(1, await db.ExecuteScalarAsync<int>("SELECT count(*) FROM audit WHERE actie = 'herstelcode-gebruikt'"));
    }

    [Fact]
    public async Task A_beheerder_resets_a_staff_members_two_step_sign_in_and_it_is_audited()
    {
        await BeheerAccounts.MaakAsync(App.Services, "beheerder@heemstede.nl", "Bea Beheerder", Rollen.Beheerder);
        var medewerker = await BeheerAccounts.MaakAsync(App.Services, "wijkagent@heemstede.nl", "Wim Wijkagent", Rollen.Wijkprofessional);
        var client = await BeheerAccounts.IngelogdAsync(App, "wijkagent@heemstede.nl");
        var pagina = await client.OpenAsync("/beheer/tweestaps");
        await client.PostAsync("/beheer/tweestaps?handler=Aanzetten", pagina.Token, [new("Code", Code(await Sleutel(medewerker.Id)))]);
        Assert.Equal(HttpStatusCode.OK, (await client.Http.GetAsync("/beheer/meldingen")).StatusCode);

        var beheerder = await BeheerAccounts.IngelogdAsync(App, "beheerder@heemstede.nl");
        var bewerken = await beheerder.OpenAsync($"/beheer/medewerkers/{medewerker.Id}");
        var reset = await beheerder.PostAsync($"/beheer/medewerkers/{medewerker.Id}?handler=TweestapsResetten", bewerken.Token, []);

        Assert.Equal(HttpStatusCode.Redirect, reset.StatusCode);
        await using var db = await DataSource.OpenConnectionAsync();
        var staat = await db.QuerySingleAsync<(bool Aan, string? Sleutel)>(
            "SELECT tweestaps_actief, authenticator_sleutel FROM medewerker WHERE id = @Id",
            new { medewerker.Id }
        );
        Assert.Equal((false, null), staat);
        Assert.Equal(0, await db.ExecuteScalarAsync<int>("SELECT count(*) FROM medewerker_herstelcode"));
        var audit = await db.QuerySingleAsync<(string Door, int Codes)>(
            "SELECT door, (voor->>'herstelcodes')::int FROM audit WHERE actie = 'tweestaps-gereset'"
        );
        Assert.Equal(("Bea Beheerder", 10), audit);
        // The staff member's open session ended (new security stamp); signing in again needs no code.
        Assert.Equal(HttpStatusCode.Redirect, (await client.Http.GetAsync("/beheer/meldingen")).StatusCode);

        var wijkagentPagina = await BeheerAccounts.IngelogdAsync(App, "wijkagent@heemstede.nl");
        Assert.Equal(HttpStatusCode.OK, (await wijkagentPagina.Http.GetAsync("/beheer/meldingen")).StatusCode);
    }

    [Fact]
    public async Task Two_step_sign_in_is_mandatory_for_beheerders_when_configured()
    {
        await using var app = new WijkAppFactory(
            Database.ConnectionString,
            new Dictionary<string, string?> { ["Beheer:TweestapsVerplichtVoorBeheerders"] = "true" }
        );
        var beheerder = await BeheerAccounts.MaakAsync(app.Services, "beheerder@heemstede.nl", "Bea Beheerder", Rollen.Beheerder);
        await BeheerAccounts.MaakAsync(app.Services, "wijkagent@heemstede.nl", "Wim Wijkagent", Rollen.Wijkprofessional);
        var client = await BeheerAccounts.IngelogdAsync(app, "beheerder@heemstede.nl");
        var wijkagent = await BeheerAccounts.IngelogdAsync(app, "wijkagent@heemstede.nl");

        var start = await client.Http.GetAsync("/beheer/medewerkers");
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        Assert.Equal("/beheer/tweestaps?verplicht=1", start.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await wijkagent.Http.GetAsync("/beheer/meldingen")).StatusCode);

        var pagina = await client.OpenAsync("/beheer/tweestaps?verplicht=1");
        Assert.Contains("tweestaps-verplicht", pagina.Html, StringComparison.Ordinal);
        var aan = await client.PostAsync(
            "/beheer/tweestaps?handler=Aanzetten",
            pagina.Token,
            [new("Code", Code(await Sleutel(beheerder.Id)))]
        );

        Assert.Equal(HttpStatusCode.OK, aan.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.Http.GetAsync("/beheer/medewerkers")).StatusCode);
    }

    private async Task<HttpResponseMessage> MetHerstelcode(string code)
    {
        var client = new FormulierClient(App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }));
        var inloggen = await client.OpenAsync("/beheer/inloggen");
        var wachtwoord = await client.PostAsync(
            "/beheer/inloggen",
            inloggen.Token,
            [new("Email", "wijkagent@heemstede.nl"), new("Wachtwoord", BeheerAccounts.Wachtwoord)]
        );
        Assert.StartsWith("/beheer/inloggen/code", wachtwoord.Headers.Location?.OriginalString, StringComparison.Ordinal);
        var pagina = await client.OpenAsync("/beheer/inloggen/code");
        return await client.PostAsync("/beheer/inloggen/code?handler=Herstel", pagina.Token, [new("Herstelcode", code)]);
    }

    private async Task<string> Sleutel(Guid id)
    {
        await using var db = await DataSource.OpenConnectionAsync();
        return await db.QuerySingleAsync<string>("SELECT authenticator_sleutel FROM medewerker WHERE id = @id", new { id });
    }

    private static string Code(string sleutel) => new Totp(Base32Encoding.ToBytes(sleutel)).ComputeTotp();

    [GeneratedRegex("<li><code>([^<]+)</code></li>")]
    private static partial Regex CodePattern();
}

/// <summary>/beheer/teams and a staff member's team: beheerder only, bad input kept with a 400, audited.</summary>
public sealed class TeamsBeherenTests : AppTest
{
    [Fact]
    public async Task A_beheerder_sets_a_teams_mailbox_and_a_staff_members_team()
    {
        await BeheerAccounts.MaakAsync(App.Services, "beheerder@heemstede.nl", "Bea Beheerder", Rollen.Beheerder);
        var wijkagent = await BeheerAccounts.MaakAsync(App.Services, "wijkagent@heemstede.nl", "Wim Wijkagent", Rollen.Wijkprofessional);
        var beheerder = await BeheerAccounts.IngelogdAsync(App, "beheerder@heemstede.nl");
        var gewoon = await BeheerAccounts.IngelogdAsync(App, "wijkagent@heemstede.nl");
        await using var db = await DataSource.OpenConnectionAsync();
        var handhaving = await db.QuerySingleAsync<short>("SELECT id FROM team WHERE code = 'handhaving'");
        var id = handhaving.ToString(System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(HttpStatusCode.Forbidden, (await gewoon.Http.GetAsync("/beheer/teams")).StatusCode);
        var pagina = await beheerder.OpenAsync("/beheer/teams");
        var fout = await beheerder.PostAsync("/beheer/teams", pagina.Token, [new("id", id), new("email", "handhaving@@heemstede")]);
        var goed = await beheerder.PostAsync("/beheer/teams", pagina.Token, [new("id", id), new("email", " handhaving@heemstede.nl ")]);

        Assert.Equal(HttpStatusCode.BadRequest, fout.StatusCode);
        var foutHtml = await fout.Content.ReadAsStringAsync();
        Assert.Contains("teamfout", foutHtml, StringComparison.Ordinal);
        Assert.Contains("value=\"handhaving@@heemstede\"", foutHtml, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, goed.StatusCode);
        Assert.Equal(
            "handhaving@heemstede.nl",
            await db.QuerySingleAsync<string>("SELECT email FROM team WHERE id = @handhaving", new { handhaving })
        );
        Assert.Equal(
            ("Bea Beheerder", (string?)null, "handhaving@heemstede.nl"),
            await db.QuerySingleAsync<(string, string?, string)>(
                "SELECT door, voor->>'Email', na->>'Email' FROM audit WHERE actie = 'team-mailbox'"
            )
        );

        var bewerken = await beheerder.OpenAsync($"/beheer/medewerkers/{wijkagent.Id}");
        var slecht = await beheerder.PostAsync(
            $"/beheer/medewerkers/{wijkagent.Id}?handler=Opslaan",
            bewerken.Token,
            [new("Naam", "Wim Wijkagent"), new("Rollen", Rollen.Wijkprofessional), new("Team", "9999")]
        );
        var team = await beheerder.PostAsync(
            $"/beheer/medewerkers/{wijkagent.Id}?handler=Opslaan",
            bewerken.Token,
            [new("Naam", "Wim Wijkagent"), new("Rollen", Rollen.Wijkprofessional), new("Team", id)]
        );

        Assert.Equal(HttpStatusCode.BadRequest, slecht.StatusCode);
        Assert.Contains("fout-team", await slecht.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, team.StatusCode);
        Assert.Equal(handhaving, await db.QuerySingleAsync<short>("SELECT team_id FROM medewerker WHERE id = @Id", new { wijkagent.Id }));
        Assert.Equal(
            handhaving,
            await db.QuerySingleAsync<short>(
                "SELECT (na->>'team')::smallint FROM audit WHERE actie = 'medewerker-gewijzigd' ORDER BY id DESC LIMIT 1"
            )
        );
    }
}

/// <summary>V72: the status history is append-only for the app role, as the audit trail is; the two
/// changes the data's own rules need (anonymisation blanks a message, a deleted report takes its
/// history along) still work.</summary>
public sealed class HistorieAlleenToevoegenTests : DatabaseTest
{
    [Fact]
    public async Task The_app_role_cannot_change_or_remove_history_rows()
    {
        var melding = await Een.Melding(DataSource).Met("Fietswrak bij het station.").OpgeslagenAsync();
        await using var db = await DataSource.OpenConnectionAsync();
        await db.ExecuteAsync(
            """
            INSERT INTO melding_historie (melding_id, van_status, naar_status, door, bericht)
            VALUES (@Id, 'gemeld', 'in-behandeling', 'Wim', 'We gaan kijken.')
            """,
            new { melding.Id }
        );

        foreach (
            var sql in new[]
            {
                "UPDATE melding_historie SET bericht = 'iets anders' WHERE melding_id = @Id",
                "UPDATE melding_historie SET bericht = NULL WHERE melding_id = @Id",
                "UPDATE melding_historie SET naar_status = 'afgehandeld' WHERE melding_id = @Id",
                "DELETE FROM melding_historie WHERE melding_id = @Id",
                "TRUNCATE melding_historie",
            }
        )
        {
            var fout = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => db.ExecuteAsync(sql, new { melding.Id }));
            Assert.True(fout.SqlState is "WK002" or "42501", $"{sql}: {fout.SqlState} {fout.MessageText}");
        }
        Assert.Equal(
            2,
            await db.ExecuteScalarAsync<int>("SELECT count(*) FROM melding_historie WHERE melding_id = @Id", new { melding.Id })
        );
        Assert.Equal(
            "We gaan kijken.",
            await db.QuerySingleAsync<string>(
                "SELECT bericht FROM melding_historie WHERE melding_id = @Id AND bericht IS NOT NULL",
                new { melding.Id }
            )
        );

        // An anonymised report's messages may be blanked; a deleted report takes its history along.
        await db.ExecuteAsync("UPDATE melding SET geanonimiseerd_op = now() WHERE id = @Id", new { melding.Id });
        await db.ExecuteAsync("UPDATE melding_historie SET bericht = NULL WHERE melding_id = @Id", new { melding.Id });
        await Assert.ThrowsAsync<Npgsql.PostgresException>(() =>
            db.ExecuteAsync("UPDATE melding_historie SET door = 'iemand' WHERE melding_id = @Id", new { melding.Id })
        );
        await db.ExecuteAsync("DELETE FROM melding WHERE id = @Id", new { melding.Id });
        Assert.Equal(
            0,
            await db.ExecuteScalarAsync<int>("SELECT count(*) FROM melding_historie WHERE melding_id = @Id", new { melding.Id })
        );
    }
}
