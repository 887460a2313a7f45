using System.Net;
using System.Text.Json;
using Dapper;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Tests.Features.Meldingen;

/// <summary>Moderation on /beheer/meldingen/{id}: hiding and redacting the public text, hiding
/// photos, each with a reason in the audit trail, and the public outputs (tracking page, public
/// photos, Open311) following it. The app runs with Kaart:TekstOpenbaar on, so text is public.</summary>
public sealed class ModeratieTests : DatabaseTest
{
    private const string Tekst = "Groep jongeren met harde muziek bij het speelveld, de zoon van Jansen op nummer 12 is erbij.";

    private WijkAppFactory app = null!;
    private FormulierClient wijkagent = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        app = new WijkAppFactory(Database.ConnectionString, new Dictionary<string, string?> { ["Kaart:TekstOpenbaar"] = "true" });
        await BeheerAccounts.MaakAsync(app.Services, "wijkagent@heemstede.nl", "Wim Wijkagent", Rollen.Wijkprofessional);
        await BeheerAccounts.MaakAsync(app.Services, "organisator@heemstede.nl", "Olga Organisator", Rollen.Organisator);
        wijkagent = await BeheerAccounts.IngelogdAsync(app, "wijkagent@heemstede.nl");
    }

    public override async Task DisposeAsync()
    {
        await app.DisposeAsync();
        await base.DisposeAsync();
    }

    private MeldingBouwer Melding() => Een.Melding(DataSource).Rubriek("jeugdoverlast").Met(Tekst).Email("melder@example.nl");

    private async Task<HttpResponseMessage> Modereren(long id, params (string Naam, string Waarde)[] velden)
    {
        var pagina = await wijkagent.OpenAsync($"/beheer/meldingen/{id}");
        return await wijkagent.PostAsync(
            $"/beheer/meldingen/{id}?handler=Modereren",
            pagina.Token,
            velden.Select(v => new KeyValuePair<string, string>(v.Naam, v.Waarde))
        );
    }

    private async Task<JsonElement> Open311(string volgcode) =>
        Assert.Single(
            JsonDocument
                .Parse(await app.CreateClient().GetStringAsync($"/open311/v2/requests/{volgcode}.json"))
                .RootElement.EnumerateArray()
        );

    [Fact]
    public async Task Hidden_text_leaves_the_tracking_page_and_open311_and_undo_brings_it_back()
    {
        var melding = await Melding().OpgeslagenAsync();
        Assert.Contains("harde muziek", await app.CreateClient().GetStringAsync($"/melding/{melding.Volgcode}"));
        Assert.Contains("harde muziek", (await Open311(melding.Volgcode)).GetProperty("description").GetString());

        var verbergen = await Modereren(melding.Id, ("ModeratieSoort", "tekst-verbergen"), ("Reden", "Noemt een minderjarige bij naam."));

        Assert.Equal(HttpStatusCode.Redirect, verbergen.StatusCode);
        Assert.DoesNotContain("harde muziek", await app.CreateClient().GetStringAsync($"/melding/{melding.Volgcode}"));
        var json = await Open311(melding.Volgcode);
        Assert.False(json.TryGetProperty("description", out _));
        Assert.DoesNotContain("harde muziek", json.GetRawText());
        var staf = await wijkagent.Http.GetStringAsync($"/beheer/meldingen/{melding.Id}");
        Assert.Contains("harde muziek", staf);
        Assert.Contains("Noemt een minderjarige bij naam.", staf);

        Assert.Equal(
            HttpStatusCode.Redirect,
            (await Modereren(melding.Id, ("ModeratieSoort", "tekst-tonen"), ("Reden", "Naam is weggelaten."))).StatusCode
        );
        Assert.Contains("harde muziek", await app.CreateClient().GetStringAsync($"/melding/{melding.Volgcode}"));
        await using var db = await DataSource.OpenConnectionAsync();
        var audit = (
            await db.QueryAsync<(string Actie, string Door, string Reden)>(
                "SELECT actie, door, na->>'reden' FROM audit WHERE melding_id = @Id AND actie LIKE 'moderatie-%' ORDER BY id",
                new { melding.Id }
            )
        ).AsList();
        Assert.Equal(
            [
                ("moderatie-tekst-verbergen", "Wim Wijkagent", "Noemt een minderjarige bij naam."),
                ("moderatie-tekst-tonen", "Wim Wijkagent", "Naam is weggelaten."),
            ],
            audit
        );
        // The reason is for staff only: never in the public history.
        Assert.DoesNotContain("minderjarige", await app.CreateClient().GetStringAsync($"/melding/{melding.Volgcode}"));
    }

    [Fact]
    public async Task A_redacted_passage_is_replaced_publicly_while_staff_keep_the_original()
    {
        var melding = await Melding().OpgeslagenAsync();

        var onbekend = await Modereren(
            melding.Id,
            ("ModeratieSoort", "tekst-redigeren"),
            ("Passage", "de buurman"),
            ("Reden", "Persoonsgegevens")
        );
        var goed = await Modereren(
            melding.Id,
            ("ModeratieSoort", "tekst-redigeren"),
            ("Passage", "de zoon van Jansen op nummer 12"),
            ("Reden", "Persoonsgegevens")
        );

        Assert.Equal(HttpStatusCode.BadRequest, onbekend.StatusCode);
        Assert.Contains("staat niet in de openbare tekst", await onbekend.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, goed.StatusCode);
        var publiek = await app.CreateClient().GetStringAsync($"/melding/{melding.Volgcode}");
        Assert.Contains("bij het speelveld, [verwijderd] is erbij.", publiek);
        Assert.DoesNotContain("Jansen", publiek);
        Assert.Equal(
            "Groep jongeren met harde muziek bij het speelveld, [verwijderd] is erbij.",
            (await Open311(melding.Volgcode)).GetProperty("description").GetString()
        );
        Assert.Contains("de zoon van Jansen op nummer 12", await wijkagent.Http.GetStringAsync($"/beheer/meldingen/{melding.Id}"));
        await using var db = await DataSource.OpenConnectionAsync();
        Assert.Equal(Tekst, await db.QuerySingleAsync<string>("SELECT omschrijving FROM melding WHERE id = @Id", new { melding.Id }));
        // The audit trail keeps the reason, not the removed personal data.
        var na = await db.QuerySingleAsync<string>(
            "SELECT na::text FROM audit WHERE melding_id = @Id AND actie = 'moderatie-tekst-redigeren'",
            new { melding.Id }
        );
        Assert.Contains("Persoonsgegevens", na);
        Assert.DoesNotContain("Jansen", na);

        Assert.Equal(
            HttpStatusCode.Redirect,
            (await Modereren(melding.Id, ("ModeratieSoort", "tekst-herstellen"), ("Reden", "Melder gaf toestemming"))).StatusCode
        );
        Assert.Contains("Jansen", await app.CreateClient().GetStringAsync($"/melding/{melding.Volgcode}"));
    }

    [Fact]
    public async Task A_hidden_photo_is_not_served_publicly_but_stays_for_staff()
    {
        var melding = await Melding()
            .Fotos(new MeldingOpslaan.Foto(TestFotos.Jpeg(), 64, 48), new MeldingOpslaan.Foto(TestFotos.Jpeg(), 64, 48))
            .OpgeslagenAsync();
        await using var db = await DataSource.OpenConnectionAsync();
        var fotos = (
            await db.QueryAsync<long>("SELECT id FROM melding_foto WHERE melding_id = @Id ORDER BY id", new { melding.Id })
        ).AsList();
        var publiek = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await publiek.GetAsync($"/melding/{melding.Volgcode}/fotos/{fotos[0]}")).StatusCode);
        Assert.EndsWith(
            $"/melding/{melding.Volgcode}/fotos/{fotos[0]}",
            (await Open311(melding.Volgcode)).GetProperty("media_url").GetString()
        );

        var zonderReden = await Modereren(
            melding.Id,
            ("ModeratieSoort", "foto-verbergen"),
            ("FotoId", fotos[0].ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("Reden", " ")
        );
        var verbergen = await Modereren(
            melding.Id,
            ("ModeratieSoort", "foto-verbergen"),
            ("FotoId", fotos[0].ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("Reden", "Kenteken leesbaar")
        );

        Assert.Equal(HttpStatusCode.BadRequest, zonderReden.StatusCode);
        Assert.Contains("Vul een reden in", await zonderReden.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, verbergen.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await publiek.GetAsync($"/melding/{melding.Volgcode}/fotos/{fotos[0]}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await publiek.GetAsync($"/melding/{melding.Volgcode}/fotos/{fotos[1]}")).StatusCode);
        var pagina = await publiek.GetStringAsync($"/melding/{melding.Volgcode}");
        Assert.DoesNotContain($"/fotos/{fotos[0]}", pagina);
        Assert.Contains($"/fotos/{fotos[1]}", pagina);
        Assert.EndsWith($"/fotos/{fotos[1]}", (await Open311(melding.Volgcode)).GetProperty("media_url").GetString());
        Assert.Equal(HttpStatusCode.OK, (await wijkagent.Http.GetAsync($"/beheer/fotos/{fotos[0]}")).StatusCode);
        Assert.Equal(
            "Kenteken leesbaar",
            await db.QuerySingleAsync<string>(
                "SELECT na->>'reden' FROM audit WHERE melding_id = @Id AND actie = 'moderatie-foto-verbergen'",
                new { melding.Id }
            )
        );
        // A photo of another report is refused.
        var ander = await Melding().OpgeslagenAsync();
        Assert.Equal(
            HttpStatusCode.BadRequest,
            (
                await Modereren(
                    ander.Id,
                    ("ModeratieSoort", "foto-verbergen"),
                    ("FotoId", fotos[1].ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    ("Reden", "x")
                )
            ).StatusCode
        );
    }

    [Fact]
    public async Task Staff_without_the_triage_role_may_not_moderate()
    {
        var melding = await Melding().OpgeslagenAsync();
        var organisator = await BeheerAccounts.IngelogdAsync(app, "organisator@heemstede.nl");
        var pagina = await organisator.OpenAsync("/beheer");

        var antwoord = await organisator.PostAsync(
            $"/beheer/meldingen/{melding.Id}?handler=Modereren",
            pagina.Token,
            [new("ModeratieSoort", "tekst-verbergen"), new("Reden", "Geen recht")]
        );

        Assert.Equal(HttpStatusCode.Forbidden, antwoord.StatusCode);
        Assert.Contains("harde muziek", await app.CreateClient().GetStringAsync($"/melding/{melding.Volgcode}"));
        await using var db = await DataSource.OpenConnectionAsync();
        Assert.False(await db.QuerySingleAsync<bool>("SELECT omschrijving_verborgen FROM melding WHERE id = @Id", new { melding.Id }));
    }

    [Fact]
    public async Task Sensitive_categories_never_show_text_or_photos()
    {
        var melding = await Een.Melding(DataSource)
            .Rubriek("drugsafval")
            .Met(Tekst)
            .Fotos(new MeldingOpslaan.Foto(TestFotos.Jpeg(), 64, 48))
            .OpgeslagenAsync();
        await using var db = await DataSource.OpenConnectionAsync();
        var foto = await db.QuerySingleAsync<long>("SELECT id FROM melding_foto WHERE melding_id = @Id", new { melding.Id });

        Assert.DoesNotContain("harde muziek", await app.CreateClient().GetStringAsync($"/melding/{melding.Volgcode}"));
        Assert.Equal(HttpStatusCode.NotFound, (await app.CreateClient().GetAsync($"/melding/{melding.Volgcode}/fotos/{foto}")).StatusCode);
    }
}
