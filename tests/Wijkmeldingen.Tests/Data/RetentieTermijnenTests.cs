using System.Net;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Data;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Features.Beheer;

namespace Wijkmeldingen.Tests.Data;

/// <summary>
/// Retention terms of confirmed buurt subscriptions and staff accounts (issue 21), through the portal's
/// registered clean-up rules on the portal's clock: a confirmed subscription gets a renewal mail
/// Kaart:AbonnementHerinneringDagen (14) before its Kaart:AbonnementMaanden (12) end and is deleted at
/// the end unless renewed; a staff account switched off more than Beheer:GedeactiveerdBewarenDagen (180)
/// days ago loses its name, address and credentials.
/// </summary>
public sealed partial class RetentieTermijnenTests : DatabaseTest
{
    /// <summary>The portal's clock, moved by the test.</summary>
    private sealed class Klok : TimeProvider
    {
        public DateTimeOffset Nu { get; set; } = DateTimeOffset.UtcNow;

        public override DateTimeOffset GetUtcNow() => Nu;
    }

    private readonly Klok klok = new();

    private WebApplicationFactory<Program> Portaal() =>
        new WijkAppFactory(Database.ConnectionString).WithWebHostBuilder(b =>
            b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(klok))
        );

    private static Task<IReadOnlyDictionary<string, int>> RondeAsync(WebApplicationFactory<Program> app) =>
        app.Services.GetServices<IHostedService>().OfType<Opschonen>().Single().EenRondeAsync(CancellationToken.None);

    private async Task<DateTimeOffset> AbonneerAsync(WebApplicationFactory<Program> app, string email)
    {
        var client = new FormulierClient(app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }));
        var pagina = await client.OpenAsync("/kaart/volgen?buurt=" + TestGemeente.EersteBuurt);
        var aanmelden = await client.PostAsync(
            "/kaart/volgen",
            pagina.Token,
            [new("Soort", "buurt"), new("Buurt", TestGemeente.EersteBuurt), new("Email", email), new("Frequentie", "wekelijks")]
        );
        Assert.Equal(HttpStatusCode.OK, aanmelden.StatusCode);
        await using var connection = await DataSource.OpenConnectionAsync();
        var mail = await connection.QuerySingleAsync<string>("SELECT tekst FROM mail_outbox WHERE aan = @email", new { email });
        Assert.Equal(HttpStatusCode.OK, (await client.Http.GetAsync(Link().Match(mail).Value)).StatusCode);
        return await connection.QuerySingleAsync<DateTime>("SELECT bevestigd_op FROM abonnement WHERE email = @email", new { email });
    }

    [GeneratedRegex("/kaart/volgen/(bevestigen|verlengen)/[A-Za-z0-9_-]+")]
    private static partial Regex Link();

    private async Task<long> Tel(string sql, object? param = null)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>(sql, param);
    }

    [Fact]
    public async Task A_confirmed_subscription_gets_one_reminder_before_its_end_and_is_deleted_at_the_end_unless_renewed()
    {
        await using var app = Portaal();
        var bevestigd = await AbonneerAsync(app, "verlenger@example.nl");
        await AbonneerAsync(app, "vergeter@example.nl");
        var einde = bevestigd.AddMonths(12);

        // 15 days before the end: nothing yet.
        klok.Nu = einde.AddDays(-15);
        await RondeAsync(app);
        Assert.Equal(0, await Tel("SELECT count(*) FROM mail_outbox WHERE sleutel LIKE 'abonnement-verlengen:%'"));

        // 13 days before the end: one reminder each, with a renewal and an unsubscribe link; once only.
        klok.Nu = einde.AddDays(-13);
        await RondeAsync(app);
        await RondeAsync(app);
        Assert.Equal(2, await Tel("SELECT count(*) FROM mail_outbox WHERE sleutel LIKE 'abonnement-verlengen:%'"));
        await using var connection = await DataSource.OpenConnectionAsync();
        var herinnering = await connection.QuerySingleAsync<(string Onderwerp, string Tekst)>(
            "SELECT onderwerp, tekst FROM mail_outbox WHERE sleutel LIKE 'abonnement-verlengen:%' AND aan = 'verlenger@example.nl'"
        );
        Assert.Contains("loopt af", herinnering.Onderwerp, StringComparison.Ordinal);
        Assert.Contains("/kaart/volgen/opzeggen/", herinnering.Tekst, StringComparison.Ordinal);
        var verlengLink = Link().Match(herinnering.Tekst).Value;
        Assert.StartsWith("/kaart/volgen/verlengen/", verlengLink, StringComparison.Ordinal);

        // The resident renews; the other does nothing.
        var client = app.CreateClient();
        var verlengd = await client.GetAsync(verlengLink);
        Assert.Equal(HttpStatusCode.OK, verlengd.StatusCode);
        Assert.Contains("Uw abonnement is verlengd", WebUtility.HtmlDecode(await verlengd.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/kaart/volgen/verlengen/onzin")).StatusCode);

        // A day past the end: the one not renewed is gone with its address, the renewed one runs on.
        klok.Nu = einde.AddDays(1);
        var ronde = await RondeAsync(app);
        Assert.Equal(1, ronde["verlopen abonnementen"]);
        Assert.Equal(0, await Tel("SELECT count(*) FROM abonnement WHERE email = 'vergeter@example.nl'"));
        Assert.Equal(1, await Tel("SELECT count(*) FROM abonnement WHERE email = 'verlenger@example.nl'"));
        // Its next reminder comes 14 days before the end of the term that began at the renewal.
        var nieuwEinde = einde.AddDays(-13).AddMonths(12);
        klok.Nu = nieuwEinde.AddDays(-15);
        await RondeAsync(app);
        Assert.Equal(2, await Tel("SELECT count(*) FROM mail_outbox WHERE sleutel LIKE 'abonnement-verlengen:%'"));
        klok.Nu = nieuwEinde.AddDays(-13);
        await RondeAsync(app);
        Assert.Equal(3, await Tel("SELECT count(*) FROM mail_outbox WHERE sleutel LIKE 'abonnement-verlengen:%'"));
        // Unconfirmed subscriptions keep their own one-week rule.
        Assert.Equal(0, await Tel("SELECT count(*) FROM abonnement WHERE bevestigd_op IS NULL"));
    }

    [Fact]
    public async Task A_deactivated_staff_account_is_anonymised_after_its_term_and_can_no_longer_sign_in()
    {
        await using var app = Portaal();
        var weg = await BeheerAccounts.MaakAsync(app.Services, "oud@heemstede.nl", "Olga Oud", Rollen.Wijkprofessional);
        var recent = await BeheerAccounts.MaakAsync(app.Services, "recent@heemstede.nl", "Rik Recent", Rollen.Wijkprofessional);
        await BeheerAccounts.MaakAsync(app.Services, "actief@heemstede.nl", "Anna Actief", Rollen.Wijkprofessional);
        await using var connection = await DataSource.OpenConnectionAsync();
        // Raw on purpose: only the switch matters here (the staff page's own test covers the page); the
        // trigger of V69 records the moment, whatever switches the account off.
        await connection.ExecuteAsync("UPDATE medewerker SET actief = false WHERE email IN ('oud@heemstede.nl', 'recent@heemstede.nl')");
        Assert.Equal(2, await Tel("SELECT count(*) FROM medewerker WHERE gedeactiveerd_op > now() - interval '1 minute'"));
        // Raw on purpose: the second account was switched off ten days after the first.
        await connection.ExecuteAsync(
            "UPDATE medewerker SET gedeactiveerd_op = gedeactiveerd_op + interval '10 days' WHERE email = 'recent@heemstede.nl'"
        );

        klok.Nu = DateTimeOffset.UtcNow.AddDays(179);
        Assert.Equal(0, (await RondeAsync(app))["gedeactiveerde medewerkers"]);

        klok.Nu = DateTimeOffset.UtcNow.AddDays(181).AddHours(-1);
        var ronde = await RondeAsync(app);

        Assert.Equal(1, ronde["gedeactiveerde medewerkers"]);
        var rij = await connection.QuerySingleAsync<(string Naam, string Email, string? Hash, string? Sleutel)>(
            "SELECT naam, email, wachtwoord_hash, authenticator_sleutel FROM medewerker WHERE id = @Id",
            new { weg.Id }
        );
        Assert.Equal(MedewerkerOpschonen.Naam, rij.Naam);
        Assert.DoesNotContain("oud@", rij.Email, StringComparison.Ordinal);
        Assert.Null(rij.Hash);
        Assert.Null(rij.Sleutel);
        Assert.Equal(0, await Tel("SELECT count(*) FROM medewerker_rol WHERE medewerker_id = @Id", new { weg.Id }));
        Assert.Equal(0, await Tel("SELECT count(*) FROM medewerker WHERE naam = 'Olga Oud' OR email LIKE 'oud@%'"));
        Assert.Equal(1, await Tel("SELECT count(*) FROM medewerker WHERE id = @Id AND naam = 'Rik Recent'", new { recent.Id }));
        Assert.Equal(1, await Tel("SELECT count(*) FROM medewerker WHERE naam = 'Anna Actief' AND actief"));
        // Switching back on clears the moment, so a re-activated account has no term running.
        await connection.ExecuteAsync("UPDATE medewerker SET actief = true WHERE id = @Id", new { recent.Id });
        Assert.Equal(1, await Tel("SELECT count(*) FROM medewerker WHERE id = @Id AND gedeactiveerd_op IS NULL", new { recent.Id }));
    }
}
