using System.Globalization;
using System.Net;
using Dapper;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Tests.Features.Meldingen;

/// <summary>/beheer/routering: editing an existing rule and moving rules up and down change which
/// team new reports land with; both are audited.</summary>
public sealed class RouteringBewerkenTests : AppTest
{
    private FormulierClient beheerder = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await BeheerAccounts.MaakAsync(App.Services, "beheerder@heemstede.nl", "Bea Beheerder", Rollen.Beheerder);
        beheerder = await BeheerAccounts.IngelogdAsync(App, "beheerder@heemstede.nl");
    }

    private async Task<string> TeamVanNieuweMelding(string rubriek)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        // Raw on purpose: routing happens in the insert trigger, at a fixed filing time (Friday 14:00).
        return await connection.QuerySingleAsync<string>(
            """
            WITH m AS (
                INSERT INTO melding (rubriek_id, omschrijving, locatie, aangemaakt_op)
                VALUES ((SELECT id FROM rubriek WHERE code = @rubriek), 'Test',
                        ST_Transform(ST_SetSRID(ST_MakePoint(@Lon, @Lat), 4326), 28992),
                        '2026-11-27 14:00 Europe/Amsterdam')
                RETURNING team_id)
            SELECT t.code FROM m JOIN team t ON t.id = m.team_id
            """,
            new
            {
                rubriek,
                TestGemeente.Lat,
                TestGemeente.Lon,
            }
        );
    }

    private async Task<HttpResponseMessage> Post(string handler, params (string Naam, string Waarde)[] velden)
    {
        var pagina = await beheerder.OpenAsync("/beheer/routering");
        return await beheerder.PostAsync(
            $"/beheer/routering?handler={handler}",
            pagina.Token,
            velden.Select(v => new KeyValuePair<string, string>(v.Naam, v.Waarde))
        );
    }

    [Fact]
    public async Task An_existing_rule_is_edited_through_its_prefilled_form()
    {
        await using var db = await DataSource.OpenConnectionAsync();
        var regel = await db.QuerySingleAsync<int>(
            "SELECT rr.id FROM routeringsregel rr JOIN rubriek r ON r.id = rr.rubriek_id WHERE r.code = 'parkeeroverlast'"
        );
        var zorg = await db.QuerySingleAsync<short>("SELECT id FROM team WHERE code = 'zorg'");
        Assert.Equal("handhaving", await TeamVanNieuweMelding("parkeeroverlast"));

        var formulier = await beheerder.Http.GetStringAsync($"/beheer/routering?bewerk={regel}");
        Assert.Contains("Regel bewerken", formulier);
        Assert.Contains("<option value=\"r:parkeeroverlast\" selected=\"selected\">", formulier);
        Assert.Contains($"name=\"RegelId\" value=\"{regel}\"", formulier);

        var fout = await Post(
            "Opslaan",
            ("RegelId", regel.ToString(CultureInfo.InvariantCulture)),
            ("Volgorde", "50"),
            ("Rubriek", "r:parkeeroverlast"),
            ("Team", "team:x")
        );
        var goed = await Post(
            "Opslaan",
            ("RegelId", regel.ToString(CultureInfo.InvariantCulture)),
            ("Volgorde", "50"),
            ("Rubriek", "r:parkeeroverlast"),
            ("Team", $"team:{zorg}")
        );

        Assert.Equal(HttpStatusCode.BadRequest, fout.StatusCode);
        Assert.Contains("Regel bewerken", await fout.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, goed.StatusCode);
        Assert.Equal("zorg", await TeamVanNieuweMelding("parkeeroverlast"));
        Assert.Equal(
            1,
            await db.ExecuteScalarAsync<long>(
                "SELECT count(*) FROM routeringsregel WHERE id = @regel AND team_id = @zorg",
                new { regel, zorg }
            )
        );
        var audit = await db.QuerySingleAsync<(string Voor, string Na)>(
            "SELECT voor->>'Team', na->>'team' FROM audit WHERE actie = 'routering-gewijzigd'"
        );
        Assert.NotEqual(audit.Voor, audit.Na);
        Assert.Equal(HttpStatusCode.NotFound, (await beheerder.Http.GetAsync("/beheer/routering?bewerk=99999")).StatusCode);
    }

    [Fact]
    public async Task Moving_a_rule_up_changes_which_rule_wins()
    {
        // Youth nuisance at 23:00: the night rule (volgorde 55) comes before the daytime one (60).
        await using var db = await DataSource.OpenConnectionAsync();
        var dag = await db.QuerySingleAsync<int>(
            """
            SELECT rr.id FROM routeringsregel rr JOIN rubriek r ON r.id = rr.rubriek_id
            WHERE r.code = 'jeugdoverlast' AND rr.van_uur IS NULL
            """
        );
        async Task<string> Nacht() =>
            // Raw on purpose: routing happens in the insert trigger, at a fixed filing time (23:00).
            await db.QuerySingleAsync<string>(
                """
                WITH m AS (
                    INSERT INTO melding (rubriek_id, omschrijving, locatie, aangemaakt_op)
                    VALUES ((SELECT id FROM rubriek WHERE code = 'jeugdoverlast'), 'Test',
                            ST_Transform(ST_SetSRID(ST_MakePoint(@Lon, @Lat), 4326), 28992),
                            '2026-11-27 23:00 Europe/Amsterdam')
                    RETURNING team_id)
                SELECT t.code FROM m JOIN team t ON t.id = m.team_id
                """,
                new { TestGemeente.Lat, TestGemeente.Lon }
            );
        Assert.Equal("wijkagenten", await Nacht());

        Assert.Equal(
            HttpStatusCode.Redirect,
            (await Post("Verplaatsen", ("RegelId", dag.ToString(CultureInfo.InvariantCulture)), ("Richting", "omhoog"))).StatusCode
        );

        Assert.Equal("handhaving", await Nacht());
        var volgorde = (await db.QueryAsync<int>("SELECT id FROM routeringsregel WHERE actief ORDER BY volgorde, id")).AsList();
        Assert.True(
            volgorde.IndexOf(dag)
                < volgorde.IndexOf(
                    await db.QuerySingleAsync<int>(
                        """
                        SELECT rr.id FROM routeringsregel rr JOIN rubriek r ON r.id = rr.rubriek_id
                        WHERE r.code = 'jeugdoverlast' AND rr.van_uur IS NOT NULL
                        """
                    )
                )
        );

        await Post("Verplaatsen", ("RegelId", dag.ToString(CultureInfo.InvariantCulture)), ("Richting", "omlaag"));
        Assert.Equal("wijkagenten", await Nacht());
        Assert.Equal(2, await db.ExecuteScalarAsync<long>("SELECT count(*) FROM audit WHERE actie = 'routering-volgorde'"));
    }
}
