using System.Net;
using Dapper;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Tests.Features.Meldingen;

/// <summary>/beheer/meldingen/{id}: the status flow with messages to the melder, assigning, notes,
/// duplicates, adjusting category and place, contact details on request, and the audit trail.</summary>
public sealed class MeldingBehandelenTests : AppTest
{
    private FormulierClient wijkagent = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await BeheerAccounts.MaakAsync(App.Services, "wijkagent@heemstede.nl", "Wim Wijkagent", Rollen.Wijkprofessional);
        wijkagent = await BeheerAccounts.IngelogdAsync(App, "wijkagent@heemstede.nl");
    }

    /// <summary>This file's report: youth nuisance with the melder's e-mail.</summary>
    private MeldingBouwer Jeugdmelding() =>
        Een.Melding(DataSource)
            .Rubriek("jeugdoverlast")
            .Met("Groep jongeren met harde muziek bij het speelveld.")
            .Email("melder@example.nl");

    private async Task<HttpResponseMessage> Actie(long id, string handler, params (string Naam, string Waarde)[] velden)
    {
        var pagina = await wijkagent.OpenAsync($"/beheer/meldingen/{id}");
        return await wijkagent.PostAsync(
            $"/beheer/meldingen/{id}?handler={handler}",
            pagina.Token,
            velden.Select(v => new KeyValuePair<string, string>(v.Naam, v.Waarde))
        );
    }

    private async Task<string> Status(long id)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        return await connection.QuerySingleAsync<string>("SELECT status FROM melding WHERE id = @id", new { id });
    }

    [Fact]
    public async Task A_status_change_with_a_message_reaches_history_tracking_page_mail_and_audit()
    {
        var melding = await Jeugdmelding().OpgeslagenAsync();
        await using (var connection = await DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync(
                "INSERT INTO melding_volger (melding_id, email, sleutel_hash) VALUES (@Id, 'buur@example.nl', '\\x00')",
                new { melding.Id }
            );
        }

        var antwoord = await Actie(
            melding.Id,
            "Status",
            ("Huidig", "gemeld"),
            ("NaarStatus", "in-behandeling"),
            ("Tekst", "De wijkagent gaat vanavond langs.")
        );

        Assert.Equal(HttpStatusCode.Redirect, antwoord.StatusCode);
        Assert.Equal("in-behandeling", await Status(melding.Id));
        var publiek = await App.CreateClient().GetStringAsync($"/melding/{melding.Volgcode}");
        Assert.Contains("De wijkagent gaat vanavond langs.", publiek);
        Assert.DoesNotContain("Wim Wijkagent", publiek);
        await using var db = await DataSource.OpenConnectionAsync();
        var mails = (
            await db.QueryAsync<(string Aan, string Onderwerp, string Tekst)>(
                "SELECT aan, onderwerp, tekst FROM mail_outbox WHERE sleutel LIKE 'melding-bericht:%' ORDER BY aan"
            )
        ).AsList();
        Assert.Equal(["buur@example.nl", "melder@example.nl"], mails.Select(m => m.Aan));
        Assert.All(mails, m => Assert.Contains("De wijkagent gaat vanavond langs.", m.Tekst));
        Assert.All(mails, m => Assert.Contains($"/melding/{melding.Volgcode}", m.Tekst));
        Assert.All(mails, m => Assert.Contains(melding.Volgcode, m.Onderwerp));
        var audit = await db.QuerySingleAsync<(string Door, string Voor, string Na)>(
            "SELECT door, voor->>'status', na->>'status' FROM audit WHERE actie = 'status' AND melding_id = @Id",
            new { melding.Id }
        );
        Assert.Equal(("Wim Wijkagent", "gemeld", "in-behandeling"), audit);
        Assert.Equal(
            "Wim Wijkagent",
            await db.QuerySingleAsync<string>(
                "SELECT door FROM melding_historie WHERE melding_id = @Id AND naar_status = 'in-behandeling'",
                new { melding.Id }
            )
        );
    }

    [Fact]
    public async Task The_whole_life_cycle_and_its_refusals()
    {
        var melding = await Jeugdmelding().Email(null).OpgeslagenAsync();

        Assert.Equal(
            HttpStatusCode.Redirect,
            (await Actie(melding.Id, "Status", ("Huidig", "gemeld"), ("NaarStatus", "in-behandeling"))).StatusCode
        );
        var zonderPartner = await Actie(melding.Id, "Status", ("Huidig", "in-behandeling"), ("NaarStatus", "doorgezet"));
        Assert.Equal(HttpStatusCode.BadRequest, zonderPartner.StatusCode);
        Assert.Contains("Kies de partner", await zonderPartner.Content.ReadAsStringAsync());
        Assert.Equal(
            HttpStatusCode.Redirect,
            (
                await Actie(melding.Id, "Status", ("Huidig", "in-behandeling"), ("NaarStatus", "doorgezet"), ("Partner", "politie"))
            ).StatusCode
        );
        Assert.Equal(
            HttpStatusCode.Redirect,
            (await Actie(melding.Id, "Status", ("Huidig", "doorgezet"), ("NaarStatus", "afgehandeld"))).StatusCode
        );
        var nietToegestaan = await Actie(melding.Id, "Status", ("Huidig", "afgehandeld"), ("NaarStatus", "in-behandeling"));
        Assert.Equal(HttpStatusCode.BadRequest, nietToegestaan.StatusCode);
        var verouderd = await Actie(melding.Id, "Status", ("Huidig", "gemeld"), ("NaarStatus", "heropend"));
        Assert.Contains("intussen gewijzigd", await verouderd.Content.ReadAsStringAsync());
        Assert.Equal(
            HttpStatusCode.Redirect,
            (await Actie(melding.Id, "Status", ("Huidig", "afgehandeld"), ("NaarStatus", "heropend"))).StatusCode
        );
        Assert.Equal(
            HttpStatusCode.Redirect,
            (await Actie(melding.Id, "Status", ("Huidig", "heropend"), ("NaarStatus", "afgewezen"))).StatusCode
        );

        await using var db = await DataSource.OpenConnectionAsync();
        Assert.Equal(
            ["gemeld", "in-behandeling", "doorgezet", "afgehandeld", "heropend", "afgewezen"],
            await db.QueryAsync<string>("SELECT naar_status FROM melding_historie WHERE melding_id = @Id ORDER BY id", new { melding.Id })
        );
        Assert.Equal("politie", await db.QuerySingleAsync<string>("SELECT partner FROM melding WHERE id = @Id", new { melding.Id }));
        Assert.Equal(
            5,
            await db.ExecuteScalarAsync<long>("SELECT count(*) FROM audit WHERE melding_id = @Id AND actie = 'status'", new { melding.Id })
        );
        Assert.Equal(0, await db.ExecuteScalarAsync<long>("SELECT count(*) FROM mail_outbox"));
    }

    [Fact]
    public async Task A_reply_template_is_used_when_no_text_is_typed()
    {
        var melding = await Jeugdmelding().OpgeslagenAsync();
        await using var db = await DataSource.OpenConnectionAsync();
        var (id, tekst) = await db.QuerySingleAsync<(short, string)>(
            "SELECT id, tekst FROM antwoord_sjabloon WHERE naam = 'Extra toezicht'"
        );

        await Actie(
            melding.Id,
            "Status",
            ("Huidig", "gemeld"),
            ("NaarStatus", "gemeld"),
            ("Sjabloon", id.ToString(System.Globalization.CultureInfo.InvariantCulture))
        );

        Assert.Equal(
            tekst,
            await db.QuerySingleAsync<string>(
                "SELECT bericht FROM melding_historie WHERE melding_id = @Id AND bericht IS NOT NULL",
                new { melding.Id }
            )
        );
        Assert.Equal("gemeld", await Status(melding.Id));
    }

    [Fact]
    public async Task Assigning_and_internal_notes_stay_internal()
    {
        var melding = await Jeugdmelding().OpgeslagenAsync();
        await using var db = await DataSource.OpenConnectionAsync();
        var team = await db.QuerySingleAsync<short>("SELECT id FROM team WHERE code = 'handhaving'");
        var ik = await db.QuerySingleAsync<Guid>("SELECT id FROM medewerker WHERE email = 'wijkagent@heemstede.nl'");

        Assert.Equal(HttpStatusCode.Redirect, (await Actie(melding.Id, "Toewijzen", ("Toewijzen", $"team:{team}"))).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await Actie(melding.Id, "Toewijzen", ("Toewijzen", ik.ToString()))).StatusCode);
        Assert.Equal(
            HttpStatusCode.BadRequest,
            (await Actie(melding.Id, "Toewijzen", ("Toewijzen", Guid.NewGuid().ToString()))).StatusCode
        );
        Assert.Equal(
            HttpStatusCode.Redirect,
            (await Actie(melding.Id, "Notitie", ("Notitie", "Bekende groep, vaker gezien bij de sporthal."))).StatusCode
        );

        var (medewerker, teamId) = await db.QuerySingleAsync<(Guid?, short?)>(
            "SELECT toegewezen_aan, team_id FROM melding WHERE id = @Id",
            new { melding.Id }
        );
        Assert.Equal(ik, medewerker);
        Assert.Equal(team, teamId);
        Assert.Contains(melding.Volgcode, await wijkagent.Http.GetStringAsync("/beheer/meldingen?toegewezen=ik"));
        Assert.Contains(melding.Volgcode, await wijkagent.Http.GetStringAsync($"/beheer/meldingen?toegewezen=team:{team}"));
        Assert.Contains("Bekende groep", await wijkagent.Http.GetStringAsync($"/beheer/meldingen/{melding.Id}"));
        Assert.DoesNotContain("Bekende groep", await App.CreateClient().GetStringAsync($"/melding/{melding.Volgcode}"));
        Assert.Equal(0, await db.ExecuteScalarAsync<long>("SELECT count(*) FROM mail_outbox WHERE tekst LIKE '%Bekende groep%'"));
        Assert.Equal(
            ["notitie", "toewijzen", "toewijzen"],
            await db.QueryAsync<string>("SELECT actie FROM audit WHERE melding_id = @Id ORDER BY actie", new { melding.Id })
        );
    }

    [Fact]
    public async Task A_duplicate_hands_its_melder_and_followers_to_the_main_report()
    {
        var hoofd = await Jeugdmelding().Email("hoofd@example.nl").OpgeslagenAsync();
        var dubbel = await Jeugdmelding().Email("dubbel@example.nl").OpgeslagenAsync();
        await using var db = await DataSource.OpenConnectionAsync();
        await db.ExecuteAsync(
            "INSERT INTO melding_volger (melding_id, email, sleutel_hash) VALUES (@Id, 'buur@example.nl', '\\x00')",
            new { dubbel.Id }
        );

        var zelf = await Actie(dubbel.Id, "Dubbel", ("HoofdCode", dubbel.Volgcode));
        var onbekend = await Actie(dubbel.Id, "Dubbel", ("HoofdCode", "AAAA-BBBB-CCCC-DDDD"));
        var goed = await Actie(dubbel.Id, "Dubbel", ("HoofdCode", hoofd.Volgcode.ToLowerInvariant()));

        Assert.Equal(HttpStatusCode.BadRequest, zelf.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, onbekend.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, goed.StatusCode);
        Assert.Equal(hoofd.Id, await db.QuerySingleAsync<long>("SELECT hoofdmelding_id FROM melding WHERE id = @Id", new { dubbel.Id }));
        Assert.Equal("afgehandeld", await Status(dubbel.Id));
        Assert.Equal(
            ["buur@example.nl", "dubbel@example.nl"],
            await db.QueryAsync<string>("SELECT email FROM melding_volger WHERE melding_id = @Id ORDER BY email", new { hoofd.Id })
        );
        Assert.Equal(
            2,
            await db.ExecuteScalarAsync<long>(
                "SELECT count(*) FROM mail_outbox WHERE sleutel LIKE 'melding-volgen:%' AND tekst LIKE '%' || @Volgcode || '%'",
                new { hoofd.Volgcode }
            )
        );
        Assert.Contains(hoofd.Volgcode, await App.CreateClient().GetStringAsync($"/melding/{dubbel.Volgcode}"));
        Assert.Equal(
            1,
            await db.ExecuteScalarAsync<long>(
                "SELECT count(*) FROM audit WHERE melding_id = @Id AND actie = 'dubbel' AND (na->>'hoofdmelding')::bigint = @hoofd",
                new { dubbel.Id, hoofd = hoofd.Id }
            )
        );
        Assert.Contains(dubbel.Volgcode, await wijkagent.Http.GetStringAsync($"/beheer/meldingen/{hoofd.Id}"));
    }

    [Fact]
    public async Task Category_and_place_changes_are_checked_by_the_database_and_audited()
    {
        var melding = await Jeugdmelding().OpgeslagenAsync();
        await using var db = await DataSource.OpenConnectionAsync();
        var buurtVoor = await db.QuerySingleAsync<string>("SELECT buurt_code FROM melding WHERE id = @Id", new { melding.Id });

        var buiten = await Actie(melding.Id, "Aanpassen", ("Rubriek", "jeugdoverlast"), ("Lat", "52.3731"), ("Lon", "4.8922"));
        var binnen = await Actie(
            melding.Id,
            "Aanpassen",
            ("Rubriek", "parkeeroverlast"),
            ("Lat", TestGemeente.PlekTekst(52.34, 4.6).Lat),
            ("Lon", TestGemeente.PlekTekst(52.34, 4.6).Lon)
        );

        Assert.Equal(HttpStatusCode.BadRequest, buiten.StatusCode);
        Assert.Contains($"buiten de gemeente {TestGemeente.Naam}", await buiten.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, binnen.StatusCode);
        var (rubriek, buurtNa) = await db.QuerySingleAsync<(string, string)>(
            "SELECT r.code, m.buurt_code FROM melding m JOIN rubriek r ON r.id = m.rubriek_id WHERE m.id = @Id",
            new { melding.Id }
        );
        Assert.Equal("parkeeroverlast", rubriek);
        Assert.NotEqual(buurtVoor, buurtNa);
        var audit = await db.QuerySingleAsync<(string Voor, string Na)>(
            "SELECT voor->>'buurt', na->>'buurt' FROM audit WHERE melding_id = @Id AND actie = 'aanpassen'",
            new { melding.Id }
        );
        Assert.Equal((buurtVoor, buurtNa), audit);
    }

    [Fact]
    public async Task Contact_details_are_shown_on_request_only_and_every_view_is_logged()
    {
        var melding = await Jeugdmelding().OpgeslagenAsync();

        var pagina = await wijkagent.Http.GetStringAsync($"/beheer/meldingen/{melding.Id}");
        var getoond = await Actie(melding.Id, "Contact");

        Assert.DoesNotContain("melder@example.nl", pagina);
        Assert.Contains("Groep jongeren met harde muziek", pagina);
        Assert.Equal(HttpStatusCode.OK, getoond.StatusCode);
        Assert.Contains("melder@example.nl", await getoond.Content.ReadAsStringAsync());
        Assert.True(getoond.Headers.CacheControl?.NoStore);
        await using var db = await DataSource.OpenConnectionAsync();
        Assert.Equal(
            "Wim Wijkagent",
            await db.QuerySingleAsync<string>(
                "SELECT door FROM audit WHERE melding_id = @Id AND actie = 'contact-bekeken'",
                new { melding.Id }
            )
        );
    }

    [Fact]
    public async Task Photos_are_served_to_staff_and_additions_mark_the_report_as_changed()
    {
        var foto = new MeldingOpslaan.Foto(TestFotos.Jpeg(), 64, 48);
        var melding = await Jeugdmelding().Fotos(foto).OpgeslagenAsync();
        await using var db = await DataSource.OpenConnectionAsync();
        var fotoId = await db.QuerySingleAsync<long>("SELECT id FROM melding_foto WHERE melding_id = @Id", new { melding.Id });
        await wijkagent.Http.GetStringAsync($"/beheer/meldingen/{melding.Id}");
        await db.ExecuteAsync(
            """
            INSERT INTO melding_aanvulling (melding_id, tekst) VALUES (@Id, 'Het gebeurt vooral op vrijdagavond.');
            INSERT INTO melding_verzoek (melding_id, soort, toelichting)
            VALUES (@Id, 'persoonsgegevens-verwijderen', 'Mijn naam staat in de tekst.');
            """,
            new { melding.Id }
        );

        var lijst = await wijkagent.Http.GetStringAsync("/beheer/meldingen");
        var pagina = await wijkagent.Http.GetStringAsync($"/beheer/meldingen/{melding.Id}");
        var lijstDaarna = await wijkagent.Http.GetStringAsync("/beheer/meldingen");
        var jpeg = await wijkagent.Http.GetAsync($"/beheer/fotos/{fotoId}");

        Assert.Contains("Aangevuld door melder", lijst);
        Assert.Contains("vrijdagavond", pagina);
        Assert.Contains("id=\"gewijzigd\"", pagina);
        Assert.Contains("Mijn naam staat in de tekst.", pagina);
        Assert.Contains($"/beheer/fotos/{fotoId}", pagina);
        Assert.DoesNotContain("Aangevuld door melder", lijstDaarna);
        Assert.Equal("image/jpeg", jpeg.Content.Headers.ContentType?.MediaType);

        var verzoekId = await db.QuerySingleAsync<long>("SELECT id FROM melding_verzoek WHERE melding_id = @Id", new { melding.Id });
        Assert.Equal(
            HttpStatusCode.Redirect,
            (
                await Actie(melding.Id, "Verzoek", ("VerzoekId", verzoekId.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            ).StatusCode
        );
        Assert.True(
            await db.ExecuteScalarAsync<bool>(
                "SELECT afgehandeld_op IS NOT NULL FROM melding_verzoek WHERE id = @verzoekId",
                new { verzoekId }
            )
        );
    }

    [Fact]
    public async Task Actions_need_the_antiforgery_token_and_unknown_reports_are_404()
    {
        var melding = await Jeugdmelding().OpgeslagenAsync();
        using var velden = new FormUrlEncodedContent([new("Huidig", "gemeld"), new("NaarStatus", "afgewezen")]);

        var zonderToken = await wijkagent.Http.PostAsync($"/beheer/meldingen/{melding.Id}?handler=Status", velden);
        var onbekend = await wijkagent.Http.GetAsync("/beheer/meldingen/999999");

        Assert.Equal(HttpStatusCode.BadRequest, zonderToken.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, onbekend.StatusCode);
        Assert.Equal("gemeld", await Status(melding.Id));
    }
}
