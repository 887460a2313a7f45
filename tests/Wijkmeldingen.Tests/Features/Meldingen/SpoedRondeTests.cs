using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Features.Meldingen.Spoed;

namespace Wijkmeldingen.Tests.Features.Meldingen;

/// <summary>Urgent categories reach a person and overdue reports a daily digest per team, through
/// the outbox, once each, with the real routing of the database: drugsafval goes to the
/// wijkagenten (mailed to its members), zorgen om iemand to the zorg team (no members, no mailbox:
/// the beheerders), parkeeroverlast to handhaving (a team mailbox; not urgent).</summary>
public sealed class SpoedRondeTests : DatabaseTest
{
    private WijkAppFactory app = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        app = new WijkAppFactory(Database.ConnectionString);
        await BeheerAccounts.MaakAsync(app.Services, "agent1@heemstede.nl", "Anna Agent", Rollen.Wijkprofessional);
        await BeheerAccounts.MaakAsync(app.Services, "agent2@heemstede.nl", "Bert Agent", Rollen.Wijkprofessional);
        await BeheerAccounts.MaakAsync(app.Services, "boa@heemstede.nl", "Bas Boa", Rollen.Wijkprofessional);
        await BeheerAccounts.MaakAsync(app.Services, "beheer@heemstede.nl", "Bea Beheer", Rollen.Beheerder);
        await using var connection = await DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(
            """
            UPDATE medewerker SET team_id = (SELECT id FROM team WHERE code = 'wijkagenten')
            WHERE email IN ('agent1@heemstede.nl', 'agent2@heemstede.nl');
            UPDATE medewerker SET team_id = (SELECT id FROM team WHERE code = 'handhaving') WHERE email = 'boa@heemstede.nl';
            UPDATE team SET email = 'handhaving@heemstede.nl' WHERE code = 'handhaving';
            """
        );
    }

    public override async Task DisposeAsync()
    {
        await app.DisposeAsync();
        await base.DisposeAsync();
    }

    private async Task<List<(string Sleutel, string Aan, string Onderwerp, string Tekst)>> MailsAsync(string sleutelBegin)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        return (
            await connection.QueryAsync<(string, string, string, string)>(
                "SELECT sleutel, aan, onderwerp, tekst FROM mail_outbox WHERE sleutel LIKE @begin || '%' ORDER BY aan",
                new { begin = sleutelBegin }
            )
        ).ToList();
    }

    /// <summary>Runs rounds until <paramref name="klaar"/> holds (the app's own round may hold the lock
    /// or have done the work already), then two more, so a repeat would show.</summary>
    private async Task RondesAsync(Func<Task<bool>> klaar, DateTimeOffset? nu = null)
    {
        var ronde = app.Services.GetRequiredService<SpoedRonde>();
        for (var i = 0; i < 50 && !await klaar(); i++)
        {
            await ronde.RondeAsync(CancellationToken.None, nu);
            await Task.Delay(100);
        }
        Assert.True(await klaar(), "the round did not do its work");
        await ronde.RondeAsync(CancellationToken.None, nu);
        await ronde.RondeAsync(CancellationToken.None, nu);
    }

    [Fact]
    public async Task An_urgent_report_mails_its_routed_team_at_once_and_only_once_and_shows_on_their_start_page()
    {
        var drugs = await Een.Melding(DataSource).Rubriek("drugsafval").Met("Vaten met chemisch afval in de berm.").OpgeslagenAsync();
        var zorg = await Een.Melding(DataSource).Rubriek("zorgen-om-iemand").Met("Man loopt verward over de weg.").OpgeslagenAsync();
        var parkeren = await Een.Melding(DataSource).Rubriek("parkeeroverlast").Met("Bus op de stoep.").OpgeslagenAsync();

        await RondesAsync(async () => (await MailsAsync("spoed:")).Count >= 3);
        var mails = await MailsAsync("spoed:");

        // Wijkagenten: each active member once; the zorg team has nobody, so the beheerder.
        Assert.Equal(
            ["agent1@heemstede.nl", "agent2@heemstede.nl"],
            mails.Where(m => m.Sleutel.StartsWith($"spoed:{drugs.Id}:", StringComparison.Ordinal)).Select(m => m.Aan)
        );
        Assert.Equal(
            ["beheer@heemstede.nl"],
            mails.Where(m => m.Sleutel.StartsWith($"spoed:{zorg.Id}:", StringComparison.Ordinal)).Select(m => m.Aan)
        );
        Assert.DoesNotContain(mails, m => m.Sleutel.StartsWith($"spoed:{parkeren.Id}:", StringComparison.Ordinal));
        Assert.Equal(3, mails.Count);
        var mail = mails.First(m => m.Aan == "agent1@heemstede.nl");
        Assert.Equal($"Spoed: Drugsafval ({drugs.Volgcode})", mail.Onderwerp);
        Assert.Contains($"/beheer/meldingen/{drugs.Id}", mail.Tekst);
        Assert.Contains("Wijkagenten", mail.Tekst);
        Assert.DoesNotContain("chemisch afval", mail.Tekst);

        // The start page of a wijkagent lists it; not the parking report.
        var agent = await BeheerAccounts.IngelogdAsync(app, "agent1@heemstede.nl");
        var start = await agent.Http.GetStringAsync("/beheer");
        Assert.Contains("id=\"start-spoed\"", start);
        Assert.Contains(drugs.Volgcode, start);
        Assert.DoesNotContain(parkeren.Volgcode, start);
        Assert.DoesNotContain(zorg.Volgcode, start);
    }

    [Fact]
    public async Task Overdue_reports_give_one_digest_per_team_a_day_after_seven_and_none_before()
    {
        var oud = await Een.Melding(DataSource)
            .Rubriek("parkeeroverlast")
            .Met("Al weken een aanhanger op de stoep.")
            .AangemaaktDagenGeleden(60)
            .OpgeslagenAsync();
        await using (var connection = await DataSource.OpenConnectionAsync())
        {
            // The builder keeps the target date of the real filing time; this report is 50 days past it.
            await connection.ExecuteAsync("UPDATE melding SET streefdatum = now() - interval '50 days' WHERE id = @Id", new { oud.Id });
        }
        await Een.Melding(DataSource).Rubriek("parkeeroverlast").Met("Net gemeld, nog binnen de termijn.").OpgeslagenAsync();
        // Tomorrow: the app's own round (at the real time) writes only today's digest.
        var vandaag = Tijd.Lokaal(DateTimeOffset.UtcNow).Date.AddDays(1);
        var vroeg = new DateTimeOffset(vandaag.AddHours(6), Tijd.Amsterdam.GetUtcOffset(vandaag.AddHours(6)));
        var acht = new DateTimeOffset(vandaag.AddHours(8), Tijd.Amsterdam.GetUtcOffset(vandaag.AddHours(8)));
        var ronde = app.Services.GetRequiredService<SpoedRonde>();
        var dag = vandaag.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        await ronde.RondeAsync(CancellationToken.None, vroeg);
        Assert.DoesNotContain(await MailsAsync($"termijn-digest:handhaving:{dag}:"), m =>
            m.Tekst.Contains(oud.Volgcode, StringComparison.Ordinal)
        );

        await RondesAsync(async () => (await MailsAsync($"termijn-digest:handhaving:{dag}:")).Count > 0, acht);
        var digest = Assert.Single(await MailsAsync($"termijn-digest:handhaving:{dag}:"));
        Assert.Equal("handhaving@heemstede.nl", digest.Aan);
        Assert.Contains(oud.Volgcode, digest.Tekst);
        Assert.DoesNotContain("Net gemeld", digest.Tekst);
        Assert.Contains($"/beheer/meldingen/{oud.Id}", digest.Tekst);
        Assert.Equal("Handhaving (BOA's): open meldingen over de streefdatum (1)", digest.Onderwerp);
    }

    [Fact]
    public async Task The_running_round_announces_a_filed_urgent_report_from_the_bus_without_waiting_for_the_interval()
    {
        // No manual round: the app's own loop hears the filing on the bus and looks at that report.
        var live = app.Services.GetRequiredService<Wijkmeldingen.Web.Data.MeldingLive>();
        for (var i = 0; i < 100 && !live.Luistert; i++)
        {
            await Task.Delay(100);
        }
        var klok = System.Diagnostics.Stopwatch.StartNew();
        var drugs = await Een.Melding(DataSource).Rubriek("drugsafval").Met("Zakken met afval van een drugslab.").OpgeslagenAsync();
        while (klok.Elapsed < TimeSpan.FromSeconds(15) && (await MailsAsync($"spoed:{drugs.Id}:")).Count < 2)
        {
            await Task.Delay(100);
        }
        Assert.Equal(["agent1@heemstede.nl", "agent2@heemstede.nl"], (await MailsAsync($"spoed:{drugs.Id}:")).Select(m => m.Aan));
        Assert.True(klok.Elapsed < SpoedRonde.Interval, $"announced after {klok.Elapsed}, not from the bus");
    }

    [Fact]
    public void A_round_from_the_bus_reads_only_the_filed_reports_and_a_full_round_follows_a_bulk_load_or_a_reconnect()
    {
        var alleen = SpoedRonde.Voeg([], """{"soort":"insert","ids":[7,9],"aantal":2}""");
        Assert.Equal([7L, 9L], alleen!.Order());
        // A change says nothing new for urgent reports.
        Assert.Same(alleen, SpoedRonde.Voeg(alleen, """{"soort":"update","ids":[7],"aantal":1}"""));
        // A bulk insert that named only its first hundred ids, a reconnect, or an unreadable message: all of them.
        Assert.Null(SpoedRonde.Voeg([], """{"soort":"insert","ids":[1,2],"aantal":250}"""));
        Assert.Null(SpoedRonde.Voeg([], Wijkmeldingen.Web.Data.MeldingLive.Verbonden));
        Assert.Null(SpoedRonde.Voeg([], "geen json"));
        Assert.Null(SpoedRonde.Voeg(null, """{"soort":"insert","ids":[3],"aantal":1}"""));
    }
}
