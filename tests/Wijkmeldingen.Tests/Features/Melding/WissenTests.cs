using System.Net;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Tests.Features.Melding;

/// <summary>"Persoonsgegevens laten verwijderen" (AVG art. 17, issue 18): on a closed report with nothing
/// waiting the melder's data are erased at once; on a report still being handled the request waits until
/// staff confirm. Both erase through the one anonymisation path, mail a confirmation in the melder's
/// language before the address goes, and are audited.</summary>
public sealed class WissenTests : DatabaseTest
{
    private WijkAppFactory app = null!;
    private FormulierClient wijkagent = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        app = new WijkAppFactory(Database.ConnectionString);
        await BeheerAccounts.MaakAsync(app.Services, "wijkagent@heemstede.nl", "Wim Wijkagent", Rollen.Wijkprofessional);
        wijkagent = await BeheerAccounts.IngelogdAsync(app, "wijkagent@heemstede.nl");
    }

    public override async Task DisposeAsync()
    {
        await app.DisposeAsync();
        await base.DisposeAsync();
    }

    private FormulierClient Melder() => new(app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }));

    private static string Opvolgen(MeldingOpslaan.Resultaat melding) => $"/melding/{melding.Volgcode}/opvolgen/{melding.MelderSleutel}";

    private static async Task<HttpResponseMessage> VerzoekAsync(FormulierClient melder, MeldingOpslaan.Resultaat melding, bool bevestigd)
    {
        var pagina = await melder.OpenAsync(Opvolgen(melding));
        var velden = new List<KeyValuePair<string, string>> { new("Toelichting", "Mijn naam staat erin.") };
        if (bevestigd)
        {
            velden.Add(new("WissenBevestigd", "true"));
        }
        return await melder.PostAsync(Opvolgen(melding) + "?handler=Verzoek", pagina.Token, velden);
    }

    private sealed record Stand(
        string Omschrijving,
        bool Geanonimiseerd,
        int Contact,
        int Fotos,
        int Aanvullingen,
        int Antwoorden,
        string? GewistDoor,
        int Verzoeken
    );

    private async Task<Stand> StandAsync(long id)
    {
        await using var db = await DataSource.OpenConnectionAsync();
        return await db.QuerySingleAsync<Stand>(
            """
            SELECT m.omschrijving, m.geanonimiseerd_op IS NOT NULL AS geanonimiseerd,
                   (SELECT count(*)::int FROM melder_contact WHERE melding_id = m.id) AS contact,
                   (SELECT count(*)::int FROM melding_foto WHERE melding_id = m.id) AS fotos,
                   (SELECT count(*)::int FROM melding_aanvulling WHERE melding_id = m.id) AS aanvullingen,
                   (SELECT count(*)::int FROM melding_antwoord WHERE melding_id = m.id) AS antwoorden,
                   (SELECT max(gewist_door) FROM melding_verzoek WHERE melding_id = m.id) AS gewistdoor,
                   (SELECT count(*)::int FROM melding_verzoek WHERE melding_id = m.id) AS verzoeken
            FROM melding m WHERE m.id = @id
            """,
            new { id }
        );
    }

    private async Task<(string Onderwerp, string Tekst)?> BevestigingAsync(long id)
    {
        await using var db = await DataSource.OpenConnectionAsync();
        return await db.QuerySingleOrDefaultAsync<(string, string)?>(
            "SELECT onderwerp, tekst FROM mail_outbox WHERE sleutel = @sleutel AND aan = 'melder@example.nl'",
            new { sleutel = $"persoonsgegevens-gewist:{id}" }
        );
    }

    private async Task<IReadOnlyList<(string Door, string Actie)>> AuditAsync(long id)
    {
        await using var db = await DataSource.OpenConnectionAsync();
        return (
            await db.QueryAsync<(string, string)>("SELECT door, actie FROM audit WHERE melding_id = @id ORDER BY id", new { id })
        ).AsList();
    }

    [Fact]
    public async Task A_closed_report_is_erased_at_once_with_a_confirmation_mail_and_an_audit_row()
    {
        var melding = await Een.Melding(DataSource)
            .Met("Mijn buurman Jan de Vries op nummer 12 parkeert steeds op de stoep.")
            .Email("melder@example.nl", "Jan Melder", "0612345678")
            .Fotos(new MeldingOpslaan.Foto(TestFotos.Jpeg(), 640, 480))
            .Status("afgehandeld")
            .OpgeslagenAsync();
        var melder = Melder();

        var zonderVink = await VerzoekAsync(melder, melding, bevestigd: false);
        Assert.Equal(HttpStatusCode.BadRequest, zonderVink.StatusCode);
        Assert.Contains("Vink aan dat u begrijpt wat wij wissen.", await zonderVink.Content.ReadAsStringAsync());
        Assert.False((await StandAsync(melding.Id)).Geanonimiseerd);

        var verzoek = await VerzoekAsync(melder, melding, bevestigd: true);

        Assert.Equal(HttpStatusCode.Redirect, verzoek.StatusCode);
        Assert.Equal($"/melding/{melding.Volgcode}", verzoek.Headers.Location!.OriginalString);
        var publiek = WebUtility.HtmlDecode(await melder.Http.GetStringAsync($"/melding/{melding.Volgcode}"));
        Assert.Contains("Uw gegevens bij deze melding zijn gewist.", publiek);
        var stand = await StandAsync(melding.Id);
        Assert.Equal("", stand.Omschrijving);
        Assert.True(stand.Geanonimiseerd);
        Assert.Equal(0, stand.Contact);
        Assert.Equal(0, stand.Fotos);
        Assert.Equal("automatisch", stand.GewistDoor);
        var mail = await BevestigingAsync(melding.Id);
        Assert.NotNull(mail);
        Assert.Equal($"Uw gegevens bij melding {melding.Volgcode} zijn gewist", mail.Value.Onderwerp);
        Assert.Contains("Na het versturen van deze e-mail wissen wij ook uw e-mailadres.", mail.Value.Tekst);
        Assert.Contains(("melder", PersoonsgegevensWissen.AuditActie), await AuditAsync(melding.Id));
        // The private link no longer opens anything.
        Assert.Equal(HttpStatusCode.NotFound, (await melder.Http.GetAsync(Opvolgen(melding))).StatusCode);
        // The melder's note on the request went as well.
        await using var db = await DataSource.OpenConnectionAsync();
        Assert.Null(
            await db.QuerySingleAsync<string?>("SELECT toelichting FROM melding_verzoek WHERE melding_id = @Id", new { melding.Id })
        );
    }

    [Fact]
    public async Task A_report_still_being_handled_waits_for_staff_who_confirm_the_erasure()
    {
        var melding = await Een.Melding(DataSource)
            .Met("Drie auto's blokkeren de uitrit, kenteken AB-123-C.")
            .Email("melder@example.nl")
            .OpgeslagenAsync();
        var melder = Melder();
        var pagina = await melder.OpenAsync(Opvolgen(melding));
        var aanvulling = await melder.PostAsync(
            Opvolgen(melding) + "?handler=Aanvullen",
            pagina.Token,
            [new("Aanvulling", "Het is nu weer zo.")]
        );
        Assert.Equal(HttpStatusCode.Redirect, aanvulling.StatusCode);

        var verzoek = await VerzoekAsync(melder, melding, bevestigd: true);

        Assert.Equal(HttpStatusCode.Redirect, verzoek.StatusCode);
        var wacht = WebUtility.HtmlDecode(await melder.Http.GetStringAsync(Opvolgen(melding)));
        Assert.Contains("Er wordt nog aan uw melding gewerkt", wacht);
        var voor = await StandAsync(melding.Id);
        Assert.False(voor.Geanonimiseerd);
        Assert.Equal(1, voor.Aanvullingen);
        Assert.Equal(1, voor.Contact);
        Assert.Null(await BevestigingAsync(melding.Id));

        var staf = await wijkagent.OpenAsync($"/beheer/meldingen/{melding.Id}");
        Assert.Contains("Gegevens van de melder nu wissen", staf.Html);
        await using var db = await DataSource.OpenConnectionAsync();
        var verzoekId = await db.QuerySingleAsync<long>("SELECT id FROM melding_verzoek WHERE melding_id = @Id", new { melding.Id });
        var onbekend = await wijkagent.PostAsync(
            $"/beheer/meldingen/{melding.Id}?handler=Wissen",
            staf.Token,
            [new("VerzoekId", (verzoekId + 1000).ToString(System.Globalization.CultureInfo.InvariantCulture))]
        );
        Assert.Equal(HttpStatusCode.BadRequest, onbekend.StatusCode);
        Assert.False((await StandAsync(melding.Id)).Geanonimiseerd);

        var bevestigd = await wijkagent.PostAsync(
            $"/beheer/meldingen/{melding.Id}?handler=Wissen",
            staf.Token,
            [new("VerzoekId", verzoekId.ToString(System.Globalization.CultureInfo.InvariantCulture))]
        );

        Assert.Equal(HttpStatusCode.Redirect, bevestigd.StatusCode);
        var na = await StandAsync(melding.Id);
        Assert.True(na.Geanonimiseerd);
        Assert.Equal("", na.Omschrijving);
        Assert.Equal(0, na.Aanvullingen);
        Assert.Equal(0, na.Contact);
        Assert.Equal("Wim Wijkagent", na.GewistDoor);
        Assert.NotNull(await BevestigingAsync(melding.Id));
        Assert.Contains(("Wim Wijkagent", PersoonsgegevensWissen.AuditActie), await AuditAsync(melding.Id));
        // The report itself stays, still open for staff, without the melder's text.
        var stafNa = WebUtility.HtmlDecode(await wijkagent.Http.GetStringAsync($"/beheer/meldingen/{melding.Id}"));
        Assert.DoesNotContain("AB-123-C", stafNa);
        Assert.DoesNotContain("Gegevens van de melder nu wissen", stafNa);
    }

    [Fact]
    public async Task A_melder_who_filed_in_english_gets_the_confirmation_in_english()
    {
        var melding = await Een.Melding(DataSource).Email("melder@example.nl").InTaal("en").Status("afgehandeld").OpgeslagenAsync();

        // The melder now visits in Dutch: the mail still follows the language of the filing.
        var verzoek = await VerzoekAsync(Melder(), melding, bevestigd: true);

        Assert.Equal(HttpStatusCode.Redirect, verzoek.StatusCode);
        var mail = await BevestigingAsync(melding.Id);
        Assert.NotNull(mail);
        Assert.Equal($"Your data of report {melding.Volgcode} have been erased", mail.Value.Onderwerp);
        Assert.Contains("Dear reporter,", mail.Value.Tekst);
    }
}
