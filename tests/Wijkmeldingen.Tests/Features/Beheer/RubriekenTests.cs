using System.Net;
using Dapper;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Tests.Features.Beheer;

/// <summary>/beheer/rubrieken: a beheerder adds and changes categories without a release; the report
/// form follows at once, and every change is audited.</summary>
public sealed class RubriekenTests : AppTest
{
    [Fact]
    public async Task A_beheerder_adds_and_deactivates_a_category_and_the_report_form_follows()
    {
        await BeheerAccounts.MaakAsync(App.Services, "beheerder@heemstede.nl", "Bea Beheerder", Rollen.Beheerder);
        await BeheerAccounts.MaakAsync(App.Services, "wijkagent@heemstede.nl", "Wim Wijkagent", Rollen.Wijkprofessional);
        var beheerder = await BeheerAccounts.IngelogdAsync(App, "beheerder@heemstede.nl");
        var wijkagent = await BeheerAccounts.IngelogdAsync(App, "wijkagent@heemstede.nl");
        await using var connection = await DataSource.OpenConnectionAsync();
        var thema = await connection.QuerySingleAsync<short>("SELECT id FROM thema WHERE code = 'overlast'");
        var nieuw = await beheerder.OpenAsync("/beheer/rubrieken/nieuw");
        KeyValuePair<string, string>[] velden =
        [
            new("Rubriek.Code", "vuurwerkoverlast"),
            new("Rubriek.Naam", "Vuurwerkoverlast"),
            new("Rubriek.Uitleg", "Illegaal of hinderlijk vuurwerk buiten de toegestane tijden."),
            new("Rubriek.ThemaId", thema.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("Rubriek.Openbaarheid", "exact"),
            new("Rubriek.Actief", "true"),
            new("Rubriek.Volgorde", "3"),
            new("Rubriek.Dagen", "2"),
        ];

        var fout = await beheerder.PostAsync("/beheer/rubrieken/nieuw", nieuw.Token, velden.Where(v => v.Key != "Rubriek.Naam"));
        var toegevoegd = await beheerder.PostAsync("/beheer/rubrieken/nieuw", nieuw.Token, velden);
        var dubbel = await beheerder.PostAsync("/beheer/rubrieken/nieuw", nieuw.Token, velden);

        Assert.Equal(HttpStatusCode.BadRequest, fout.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, toegevoegd.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, dubbel.StatusCode);
        Assert.Contains("Vuurwerkoverlast", await App.CreateClient().GetStringAsync("/melden"));
        var (id, werkdagen) = await connection.QuerySingleAsync<(short, bool)>(
            "SELECT id, termijn_werkdagen FROM rubriek WHERE code = 'vuurwerkoverlast'"
        );
        Assert.False(werkdagen);

        var bewerken = await beheerder.OpenAsync($"/beheer/rubrieken/{id}");
        Assert.Contains("Illegaal of hinderlijk vuurwerk", bewerken.Html);
        var gewijzigd = await beheerder.PostAsync(
            $"/beheer/rubrieken/{id}",
            bewerken.Token,
            velden.Where(v => v.Key is not ("Rubriek.Actief" or "Rubriek.Code")).Append(new("Rubriek.Werkdagen", "true"))
        );

        Assert.Equal(HttpStatusCode.Redirect, gewijzigd.StatusCode);
        Assert.DoesNotContain("Vuurwerkoverlast", await App.CreateClient().GetStringAsync("/melden"));
        Assert.Equal(
            ["rubriek-gewijzigd", "rubriek-toegevoegd"],
            await connection.QueryAsync<string>("SELECT actie FROM audit WHERE actie LIKE 'rubriek%' ORDER BY actie")
        );
        Assert.Equal(
            "true",
            await connection.QuerySingleAsync<string>("SELECT voor->>'Actief' FROM audit WHERE actie = 'rubriek-gewijzigd'")
        );
        Assert.Equal(HttpStatusCode.Forbidden, (await wijkagent.Http.GetAsync("/beheer/rubrieken")).StatusCode);
    }

    [Fact]
    public async Task A_beheerder_marks_a_category_urgent_on_the_screen_and_its_new_reports_reach_the_start_page()
    {
        await BeheerAccounts.MaakAsync(App.Services, "beheerder@heemstede.nl", "Bea Beheerder", Rollen.Beheerder, Rollen.Wijkprofessional);
        var beheerder = await BeheerAccounts.IngelogdAsync(App, "beheerder@heemstede.nl");
        await using var connection = await DataSource.OpenConnectionAsync();
        var (id, thema, naam, uitleg) = await connection.QuerySingleAsync<(short, short, string, string)>(
            "SELECT id, thema_id, naam, uitleg FROM rubriek WHERE code = 'jeugdoverlast'"
        );
        var voor = await Een.Melding(DataSource).Rubriek("jeugdoverlast").Met("Voor de wijziging.").OpgeslagenAsync();
        Assert.DoesNotContain(voor.Volgcode, (await beheerder.OpenAsync("/beheer")).Html);

        var bewerken = await beheerder.OpenAsync($"/beheer/rubrieken/{id}");
        Assert.Contains("id=\"spoed\"", bewerken.Html);
        Assert.DoesNotMatch("id=\"spoed\"[^>]*checked", bewerken.Html);
        KeyValuePair<string, string>[] velden =
        [
            new("Rubriek.Naam", naam),
            new("Rubriek.Uitleg", uitleg),
            new("Rubriek.ThemaId", thema.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("Rubriek.Openbaarheid", "grof"),
            new("Rubriek.Actief", "true"),
            new("Rubriek.Volgorde", "3"),
            new("Rubriek.Dagen", "5"),
            new("Rubriek.Spoed", "true"),
        ];
        var gewijzigd = await beheerder.PostAsync($"/beheer/rubrieken/{id}", bewerken.Token, velden);

        Assert.Equal(HttpStatusCode.Redirect, gewijzigd.StatusCode);
        Assert.True(await connection.QuerySingleAsync<bool>("SELECT spoed FROM rubriek WHERE id = @id", new { id }));
        Assert.Matches("id=\"spoed\"[^>]*checked", (await beheerder.OpenAsync($"/beheer/rubrieken/{id}")).Html);
        var audit = await connection.QuerySingleAsync<(bool Voor, bool Na)>(
            "SELECT (voor->>'Spoed')::boolean, (na->>'Spoed')::boolean FROM audit WHERE actie = 'rubriek-gewijzigd'"
        );
        Assert.Equal((false, true), audit);
        var spoed = await Een.Melding(DataSource).Rubriek("jeugdoverlast").Met("Na de wijziging.").OpgeslagenAsync();
        var start = (await beheerder.OpenAsync("/beheer")).Html;
        Assert.Contains(spoed.Volgcode, start);
        Assert.Contains(voor.Volgcode, start);

        // Unchecked, the box posts nothing: the category is no longer urgent.
        var terug = await beheerder.PostAsync(
            $"/beheer/rubrieken/{id}",
            (await beheerder.OpenAsync($"/beheer/rubrieken/{id}")).Token,
            velden.Where(v => v.Key != "Rubriek.Spoed")
        );
        Assert.Equal(HttpStatusCode.Redirect, terug.StatusCode);
        Assert.False(await connection.QuerySingleAsync<bool>("SELECT spoed FROM rubriek WHERE id = @id", new { id }));
        Assert.DoesNotContain(spoed.Volgcode, (await beheerder.OpenAsync("/beheer")).Html);
    }
}
