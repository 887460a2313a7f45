using System.Globalization;
using System.Net;
using System.Text;
using Dapper;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Tests.Features.Meldingen;

/// <summary>The triage workspace's tools: saved filters per staff member, bulk actions on a selection
/// (with a reason, audited per report, refused per report under the single action's rules) and the
/// selection as CSV (exact, staff only, audited).</summary>
public sealed class WerkplekTests : AppTest
{
    private async Task<FormulierClient> Wijkagent(string email = "wijkagent@heemstede.nl", string naam = "Wim Wijkagent")
    {
        await BeheerAccounts.MaakAsync(App.Services, email, naam, Rollen.Wijkprofessional);
        return await BeheerAccounts.IngelogdAsync(App, email);
    }

    private static KeyValuePair<string, string> Veld(string naam, string waarde) => new(naam, waarde);

    [Fact]
    public async Task A_staff_member_saves_applies_overwrites_and_deletes_a_filter_and_nobody_else_sees_it()
    {
        var wim = await Wijkagent();
        var cor = await Wijkagent("cor@heemstede.nl", "Cor Collega");
        var jeugd = await Een.Melding(DataSource).Rubriek("jeugdoverlast").Met("Scooters op het plein.").OpgeslagenAsync();
        var parkeren = await Een.Melding(DataSource).Rubriek("parkeeroverlast").Met("Bus op de stoep.").OpgeslagenAsync();
        await using var connection = await DataSource.OpenConnectionAsync();

        // Saved from the filtered list: the search words are left out, the rest kept.
        const string lijst = "/beheer/meldingen?status=open&rubriek=r%3Ajeugdoverlast&q=plein";
        var pagina = await wim.OpenAsync(lijst);
        var bewaard = await wim.PostAsync(lijst + "&handler=FilterBewaren", pagina.Token, [Veld("FilterNaam", "  Jeugd open  ")]);
        Assert.Equal(HttpStatusCode.Redirect, bewaard.StatusCode);
        Assert.Equal(
            "?status=open&rubriek=r%3Ajeugdoverlast",
            await connection.QuerySingleAsync<string>("SELECT query FROM medewerker_filter WHERE naam = 'Jeugd open'")
        );
        var metFilter = await wim.Http.GetStringAsync("/beheer/meldingen");
        Assert.Contains("href=\"/beheer/meldingen?status=open&amp;rubriek=r%3Ajeugdoverlast\"", metFilter);
        Assert.Contains(">Jeugd open</a>", metFilter);
        Assert.DoesNotContain("Jeugd open", await cor.Http.GetStringAsync("/beheer/meldingen"));

        // Applying it shows what the filter selects.
        var toegepast = await wim.Http.GetStringAsync("/beheer/meldingen?status=open&rubriek=r%3Ajeugdoverlast");
        Assert.Contains($"data-id=\"{jeugd.Id}\"", toegepast);
        Assert.DoesNotContain($"data-id=\"{parkeren.Id}\"", toegepast);

        // Bad input: a Dutch message, the input kept, 400; an empty filter is not saved either.
        var teLang = new string('x', 61);
        var fout = await wim.PostAsync(lijst + "&handler=FilterBewaren", pagina.Token, [Veld("FilterNaam", teLang)]);
        Assert.Equal(HttpStatusCode.BadRequest, fout.StatusCode);
        var foutHtml = await fout.Content.ReadAsStringAsync();
        Assert.Contains("Geef het filter een naam van ten hoogste 60 tekens.", foutHtml);
        Assert.Contains($"value=\"{teLang}\"", foutHtml);
        var leeg = await wim.PostAsync("/beheer/meldingen?q=plein&handler=FilterBewaren", pagina.Token, [Veld("FilterNaam", "Leeg")]);
        Assert.Equal(HttpStatusCode.BadRequest, leeg.StatusCode);
        Assert.Contains("een leeg filter bewaren heeft geen zin", await leeg.Content.ReadAsStringAsync());

        // The same name again replaces the filter.
        await wim.PostAsync("/beheer/meldingen?status=te-laat&handler=FilterBewaren", pagina.Token, [Veld("FilterNaam", "Jeugd open")]);
        var filters = (await connection.QueryAsync<(long Id, string Query)>("SELECT id, query FROM medewerker_filter")).AsList();
        Assert.Equal("?status=te-laat", Assert.Single(filters).Query);

        // Someone else cannot delete it; its owner can.
        var corPagina = await cor.OpenAsync("/beheer/meldingen");
        var vreemd = await cor.PostAsync(
            "/beheer/meldingen?handler=FilterVerwijderen",
            corPagina.Token,
            [Veld("FilterId", $"{filters[0].Id}")]
        );
        Assert.Equal(HttpStatusCode.NotFound, vreemd.StatusCode);
        var weg = await wim.PostAsync("/beheer/meldingen?handler=FilterVerwijderen", pagina.Token, [Veld("FilterId", $"{filters[0].Id}")]);
        Assert.Equal(HttpStatusCode.Redirect, weg.StatusCode);
        Assert.Equal(0, await connection.QuerySingleAsync<int>("SELECT count(*) FROM medewerker_filter"));
        Assert.Equal(
            ["filter-bewaard", "filter-bewaard", "filter-verwijderd"],
            await connection.QueryAsync<string>("SELECT actie FROM audit WHERE actie LIKE 'filter-%' ORDER BY id")
        );
    }

    [Fact]
    public async Task A_bulk_status_change_needs_a_reason_is_audited_per_report_and_refuses_per_report_what_may_not_change()
    {
        var wim = await Wijkagent();
        var a = await Een.Melding(DataSource).Met("Bulk a.").OpgeslagenAsync();
        var b = await Een.Melding(DataSource).Met("Bulk b.").OpgeslagenAsync();
        var gesloten = await Een.Melding(DataSource).Met("Bulk gesloten.").OpgeslagenAsync();
        var ingetrokken = await Een.Melding(DataSource).Met("Bulk ingetrokken.").OpgeslagenAsync();
        await using var connection = await DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("UPDATE melding SET status = 'afgehandeld' WHERE id = @Id", new { gesloten.Id });
        await connection.ExecuteAsync("UPDATE melding SET status = 'ingetrokken' WHERE id = @Id", new { ingetrokken.Id });
        var pagina = await wim.OpenAsync("/beheer/meldingen");
        KeyValuePair<string, string>[] selectie = [.. new[] { a.Id, b.Id, gesloten.Id, ingetrokken.Id }.Select(id => Veld("Ids", $"{id}"))];

        // Without a reason nothing changes: a Dutch message, the choices kept, 400.
        var zonderReden = await wim.PostAsync(
            "/beheer/meldingen?handler=Bulk",
            pagina.Token,
            [.. selectie, Veld("BulkSoort", "status"), Veld("BulkStatus", "in-behandeling"), Veld("BulkReden", " ")]
        );
        Assert.Equal(HttpStatusCode.BadRequest, zonderReden.StatusCode);
        var html = await zonderReden.Content.ReadAsStringAsync();
        Assert.Contains("Geef een reden op", html);
        Assert.Matches($"value=\"{a.Id}\"[^>]*checked", html);
        Assert.Matches("<option value=\"status\" selected", html);
        Assert.Equal(0, await connection.QuerySingleAsync<int>("SELECT count(*) FROM melding WHERE status = 'in-behandeling'"));

        var uitgevoerd = await wim.PostAsync(
            "/beheer/meldingen?status=open&handler=Bulk",
            pagina.Token,
            [.. selectie, Veld("BulkSoort", "status"), Veld("BulkStatus", "in-behandeling"), Veld("BulkReden", "Weekoverleg: opgepakt")]
        );
        Assert.Equal(HttpStatusCode.Redirect, uitgevoerd.StatusCode);
        Assert.Equal("/beheer/meldingen?status=open", uitgevoerd.Headers.Location?.OriginalString);
        var statussen = (await connection.QueryAsync<(long, string)>("SELECT id, status FROM melding")).ToDictionary();
        Assert.Equal("in-behandeling", statussen[a.Id]);
        Assert.Equal("in-behandeling", statussen[b.Id]);
        Assert.Equal("afgehandeld", statussen[gesloten.Id]);
        Assert.Equal("ingetrokken", statussen[ingetrokken.Id]);
        var audit = (
            await connection.QueryAsync<(long, string)>(
                "SELECT melding_id, na->>'reden' FROM audit WHERE actie = 'status' ORDER BY melding_id"
            )
        ).AsList();
        Assert.Equal([(a.Id, "Weekoverleg: opgepakt"), (b.Id, "Weekoverleg: opgepakt")], audit);
        Assert.Equal(
            2,
            await connection.QuerySingleAsync<int>(
                "SELECT count(*) FROM melding_historie WHERE naar_status = 'in-behandeling' AND melding_id = ANY(@ids)",
                new { ids = new[] { a.Id, b.Id } }
            )
        );

        // The outcome, per report, on the list it returns to.
        var lijst = await wim.Http.GetStringAsync("/beheer/meldingen?status=open");
        Assert.Contains("2 van de 4 meldingen gewijzigd.", lijst);
        Assert.Contains($"{gesloten.Volgcode}: ", lijst);
        Assert.Contains($"{ingetrokken.Volgcode}: ", lijst);
        Assert.DoesNotContain("2 van de 4", await wim.Http.GetStringAsync("/beheer/meldingen?status=open"));
    }

    [Fact]
    public async Task Bulk_assignment_to_a_person_and_to_a_team_is_audited_per_report_with_its_reason()
    {
        var wim = await Wijkagent();
        var cor = await BeheerAccounts.MaakAsync(App.Services, "cor@heemstede.nl", "Cor Collega", Rollen.Wijkprofessional);
        var ids = (await Een.Melding(DataSource).Met("Toewijzen in bulk.").OpgeslagenAsync(3)).Select(m => m.Id).ToArray();
        await using var connection = await DataSource.OpenConnectionAsync();
        var team = await connection.QuerySingleAsync<short>("SELECT max(id) FROM team WHERE actief");
        var pagina = await wim.OpenAsync("/beheer/meldingen");
        KeyValuePair<string, string>[] selectie = [.. ids.Select(id => Veld("Ids", $"{id}"))];

        var aanCor = await wim.PostAsync(
            "/beheer/meldingen?handler=Bulk",
            pagina.Token,
            [.. selectie, Veld("BulkSoort", "toewijzen"), Veld("BulkAan", $"{cor.Id}"), Veld("BulkReden", "Cor heeft deze wijk")]
        );
        Assert.Equal(HttpStatusCode.Redirect, aanCor.StatusCode);
        Assert.Equal(3, await connection.QuerySingleAsync<int>("SELECT count(*) FROM melding WHERE toegewezen_aan = @Id", new { cor.Id }));

        var naarTeam = await wim.PostAsync(
            "/beheer/meldingen?handler=Bulk",
            pagina.Token,
            [.. selectie, Veld("BulkSoort", "team"), Veld("BulkTeam", $"team:{team}"), Veld("BulkReden", "Hoort bij dit team")]
        );
        Assert.Equal(HttpStatusCode.Redirect, naarTeam.StatusCode);
        Assert.Equal(
            3,
            await connection.QuerySingleAsync<int>(
                "SELECT count(*) FROM melding WHERE team_id = @team AND toegewezen_aan IS NULL",
                new { team }
            )
        );
        var audit = (
            await connection.QueryAsync<(long Id, string Reden, bool Bulk)>(
                "SELECT melding_id, na->>'reden', (na->>'bulk')::boolean FROM audit WHERE actie = 'toewijzen' ORDER BY id"
            )
        ).AsList();
        Assert.Equal(6, audit.Count);
        Assert.All(audit, r => Assert.True(r.Bulk));
        Assert.Equal(ids, audit.Take(3).Select(r => r.Id).Order());
        Assert.Equal(["Cor heeft deze wijk", "Hoort bij dit team"], audit.Select(r => r.Reden).Distinct());

        // A team that does not exist is refused as a whole, before anything changes.
        var onbekend = await wim.PostAsync(
            "/beheer/meldingen?handler=Bulk",
            pagina.Token,
            [.. selectie, Veld("BulkSoort", "team"), Veld("BulkTeam", "team:x"), Veld("BulkReden", "Fout team")]
        );
        Assert.Equal(HttpStatusCode.BadRequest, onbekend.StatusCode);
        Assert.Contains("Kies aan wie, welk team of welke status.", await onbekend.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_selection_as_csv_is_exact_holds_only_the_selected_reports_defuses_formulas_and_is_audited()
    {
        var wim = await Wijkagent();
        await BeheerAccounts.MaakAsync(App.Services, "organisator@heemstede.nl", "Olga Organisator", Rollen.Organisator);
        var organisator = await BeheerAccounts.IngelogdAsync(App, "organisator@heemstede.nl");
        var plek = TestGemeente.Plek(52.35123, 4.60456);
        var formule = await Een.Melding(DataSource).Op(plek).Met("=HYPERLINK(\"x\"); stoep \"kapot\"").OpgeslagenAsync();
        var gewoon = await Een.Melding(DataSource).Met("Gewone melding.").OpgeslagenAsync();
        var niet = await Een.Melding(DataSource).Met("Niet geselecteerd.").OpgeslagenAsync();
        var pagina = await wim.OpenAsync("/beheer/meldingen");

        var antwoord = await wim.PostAsync(
            "/beheer/meldingen?handler=Export",
            pagina.Token,
            [Veld("Ids", $"{formule.Id}"), Veld("Ids", $"{gewoon.Id}")]
        );

        Assert.Equal(HttpStatusCode.OK, antwoord.StatusCode);
        Assert.Equal("text/csv", antwoord.Content.Headers.ContentType?.MediaType);
        var bytes = await antwoord.Content.ReadAsByteArrayAsync();
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var regels = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("volgcode;rubriek;status;gemeld_op;streefdatum;buurt;wijk;lat;lon;omschrijving;team;behandelaar;bron", regels[0]);
        Assert.Equal(3, regels.Length);
        var regel = Assert.Single(regels, r => r.StartsWith(formule.Volgcode, StringComparison.Ordinal));
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $";{plek.Lat:0.000000};{plek.Lon:0.000000};"), regel);
        Assert.Contains(";\"'=HYPERLINK(\"\"x\"\"); stoep \"\"kapot\"\"\";", regel);
        Assert.Contains(regels, r => r.StartsWith(gewoon.Volgcode, StringComparison.Ordinal));
        Assert.DoesNotContain(regels, r => r.Contains(niet.Volgcode, StringComparison.Ordinal));
        await using var connection = await DataSource.OpenConnectionAsync();
        var audit = await connection.QuerySingleAsync<(string Door, int Aantal)>(
            "SELECT door, (na->>'aantal')::int FROM audit WHERE actie = 'meldingen-export'"
        );
        Assert.Equal(("Wim Wijkagent", 2), audit);

        // Nothing selected: a Dutch message, 400; a role without triage has no export at all.
        var leeg = await wim.PostAsync("/beheer/meldingen?handler=Export", pagina.Token, []);
        Assert.Equal(HttpStatusCode.BadRequest, leeg.StatusCode);
        Assert.Contains("Kies eerst een of meer meldingen", await leeg.Content.ReadAsStringAsync());
        var organisatorPagina = await organisator.OpenAsync("/beheer");
        var geweigerd = await organisator.PostAsync(
            "/beheer/meldingen?handler=Export",
            organisatorPagina.Token,
            [Veld("Ids", $"{formule.Id}")]
        );
        Assert.Equal(HttpStatusCode.Forbidden, geweigerd.StatusCode);
        Assert.Equal(1, await connection.QuerySingleAsync<int>("SELECT count(*) FROM audit WHERE actie = 'meldingen-export'"));
    }
}
