using System.Net;
using Dapper;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Features.Beheer.Accounts;

namespace Wijkmeldingen.Tests.Features.Beheer;

/// <summary>/beheer/medewerkers/{id}: a beheerder changes a staff member's name and roles, deactivates
/// and reactivates the account; the person's open session follows at once (security stamp), and
/// every change is audited.</summary>
public sealed class MedewerkersBeherenTests : AppTest
{
    private FormulierClient beheerder = null!;
    private Medewerker wijkagent = null!;
    private Medewerker beheerderAccount = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        beheerderAccount = await BeheerAccounts.MaakAsync(App.Services, "beheerder@heemstede.nl", "Bea Beheerder", Rollen.Beheerder);
        wijkagent = await BeheerAccounts.MaakAsync(App.Services, "wijkagent@heemstede.nl", "Wim Wijkagent", Rollen.Wijkprofessional);
        beheerder = await BeheerAccounts.IngelogdAsync(App, "beheerder@heemstede.nl");
    }

    private async Task<HttpResponseMessage> Post(Guid id, string handler, params (string Naam, string Waarde)[] velden)
    {
        var pagina = await beheerder.OpenAsync($"/beheer/medewerkers/{id}");
        return await beheerder.PostAsync(
            $"/beheer/medewerkers/{id}?handler={handler}",
            pagina.Token,
            velden.Select(v => new KeyValuePair<string, string>(v.Naam, v.Waarde))
        );
    }

    [Fact]
    public async Task Name_and_roles_change_and_the_open_session_follows_at_once()
    {
        var sessie = await BeheerAccounts.IngelogdAsync(App, "wijkagent@heemstede.nl");
        Assert.Equal(HttpStatusCode.OK, (await sessie.Http.GetAsync("/beheer/meldingen")).StatusCode);
        Assert.Contains($"/beheer/medewerkers/{wijkagent.Id}", await beheerder.Http.GetStringAsync("/beheer/medewerkers"));

        var leeg = await Post(wijkagent.Id, "Opslaan", ("Naam", " "), ("Rollen", Rollen.Organisator));
        var goed = await Post(wijkagent.Id, "Opslaan", ("Naam", "Wim de Wijkagent"), ("Rollen", Rollen.Organisator));

        Assert.Equal(HttpStatusCode.BadRequest, leeg.StatusCode);
        Assert.Contains("fout-naam", await leeg.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, goed.StatusCode);
        await using var db = await DataSource.OpenConnectionAsync();
        Assert.Equal(
            "Wim de Wijkagent",
            await db.QuerySingleAsync<string>("SELECT naam FROM medewerker WHERE id = @Id", new { wijkagent.Id })
        );
        Assert.Equal(
            [Rollen.Organisator],
            await db.QueryAsync<string>("SELECT rol FROM medewerker_rol WHERE medewerker_id = @Id", new { wijkagent.Id })
        );
        var audit = await db.QuerySingleAsync<(string Door, string Voor, string Na)>(
            "SELECT door, voor->>'Naam', na->>'naam' FROM audit WHERE actie = 'medewerker-gewijzigd'"
        );
        Assert.Equal(("Bea Beheerder", "Wim Wijkagent", "Wim de Wijkagent"), audit);
        // The session already signed in now has the new role only.
        Assert.Equal(HttpStatusCode.Forbidden, (await sessie.Http.GetAsync("/beheer/meldingen")).StatusCode);
        Assert.Contains("Wim de Wijkagent", await sessie.Http.GetStringAsync("/beheer"));
    }

    [Fact]
    public async Task A_deactivated_account_is_signed_out_at_once_and_cannot_sign_in_until_reactivated()
    {
        var sessie = await BeheerAccounts.IngelogdAsync(App, "wijkagent@heemstede.nl");
        Assert.Equal(HttpStatusCode.OK, (await sessie.Http.GetAsync("/beheer")).StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, (await Post(wijkagent.Id, "Deactiveren")).StatusCode);

        var daarna = await sessie.Http.GetAsync("/beheer/meldingen");
        Assert.Equal(HttpStatusCode.Redirect, daarna.StatusCode);
        Assert.Contains("/beheer/inloggen", daarna.Headers.Location?.ToString());
        await Assert.ThrowsAsync<InvalidOperationException>(() => BeheerAccounts.IngelogdAsync(App, "wijkagent@heemstede.nl"));
        Assert.Contains("Gedeactiveerd", await beheerder.Http.GetStringAsync("/beheer/medewerkers"));
        Assert.DoesNotContain("Wim Wijkagent", await beheerder.Http.GetStringAsync("/beheer/meldingen"));

        Assert.Equal(HttpStatusCode.Redirect, (await Post(wijkagent.Id, "Activeren")).StatusCode);
        var weer = await BeheerAccounts.IngelogdAsync(App, "wijkagent@heemstede.nl");
        Assert.Equal(HttpStatusCode.OK, (await weer.Http.GetAsync("/beheer/meldingen")).StatusCode);
        await using var db = await DataSource.OpenConnectionAsync();
        Assert.Equal(
            ["medewerker-gedeactiveerd", "medewerker-geactiveerd"],
            await db.QueryAsync<string>(
                "SELECT actie FROM audit WHERE actie LIKE 'medewerker-%activeerd' AND (na->>'Id')::uuid = @Id ORDER BY id",
                new { wijkagent.Id }
            )
        );
    }

    [Fact]
    public async Task A_beheerder_cannot_lock_themselves_out_and_others_may_not_edit_accounts()
    {
        var zelf = await Post(beheerderAccount.Id, "Deactiveren");
        var rolWeg = await Post(beheerderAccount.Id, "Opslaan", ("Naam", "Bea Beheerder"), ("Rollen", Rollen.Wijkprofessional));
        var wijk = await BeheerAccounts.IngelogdAsync(App, "wijkagent@heemstede.nl");

        Assert.Equal(HttpStatusCode.BadRequest, zelf.StatusCode);
        Assert.Contains("eigen account niet deactiveren", await zelf.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, rolWeg.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await wijk.Http.GetAsync($"/beheer/medewerkers/{beheerderAccount.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await beheerder.Http.GetAsync($"/beheer/medewerkers/{Guid.NewGuid()}")).StatusCode);
        await using var db = await DataSource.OpenConnectionAsync();
        Assert.True(await db.QuerySingleAsync<bool>("SELECT actief FROM medewerker WHERE id = @Id", new { beheerderAccount.Id }));
    }
}
