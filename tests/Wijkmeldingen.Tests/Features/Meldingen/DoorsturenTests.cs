using System.Net;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Tests.Features.Meldingen;

/// <summary>Forward to an outside party: from the report page a mail with a tokened reply link goes
/// through the outbox; the party answers without an account; the answer lands on the report (note and
/// audit trail) and the report stops waiting for them. Bad input is kept with a 400.</summary>
public sealed partial class DoorsturenTests : AppTest
{
    private FormulierClient wijkagent = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await BeheerAccounts.MaakAsync(App.Services, "wijkagent@heemstede.nl", "Wim Wijkagent", Rollen.Wijkprofessional);
        wijkagent = await BeheerAccounts.IngelogdAsync(App, "wijkagent@heemstede.nl");
    }

    [Fact]
    public async Task The_triage_list_labels_and_filters_reports_waiting_for_an_outside_party()
    {
        var doorgestuurd = await Een.Melding(DataSource).Rubriek("jeugdoverlast").Met("Portiek staat open.").OpgeslagenAsync();
        var gewoon = await Een.Melding(DataSource).Rubriek("jeugdoverlast").Met("Bankje vernield.").OpgeslagenAsync();
        var pagina = await wijkagent.OpenAsync($"/beheer/meldingen/{doorgestuurd.Id}");
        var goed = await wijkagent.PostAsync(
            $"/beheer/meldingen/{doorgestuurd.Id}?handler=Doorsturen",
            pagina.Token,
            [new("DoorsturenPartij", "Woonstichting Elan"), new("DoorsturenEmail", "meldingen@elan.example")]
        );
        Assert.Equal(HttpStatusCode.Redirect, goed.StatusCode);

        var lijst = await wijkagent.Http.GetStringAsync("/beheer/meldingen");
        Assert.Single(WachtLabel().Matches(lijst));
        Assert.Contains("Wacht op externe partij", lijst, StringComparison.Ordinal);
        var gefilterd = await wijkagent.Http.GetStringAsync("/beheer/meldingen?wacht=extern");
        Assert.Contains(doorgestuurd.Volgcode, gefilterd, StringComparison.Ordinal);
        Assert.DoesNotContain(gewoon.Volgcode, gefilterd, StringComparison.Ordinal);
        Assert.Contains("<option value=\"extern\" selected=\"selected\">", gefilterd, StringComparison.Ordinal);

        // Answered (or the link expired): no longer waiting.
        await using var db = await DataSource.OpenConnectionAsync();
        await db.ExecuteAsync(
            "UPDATE melding_doorsturing SET geldig_tot = now() - interval '1 minute' WHERE melding_id = @Id",
            new { doorgestuurd.Id }
        );
        Assert.Empty(WachtLabel().Matches(await wijkagent.Http.GetStringAsync("/beheer/meldingen")));
        Assert.DoesNotContain(
            doorgestuurd.Volgcode,
            await wijkagent.Http.GetStringAsync("/beheer/meldingen?wacht=extern"),
            StringComparison.Ordinal
        );
    }

    [GeneratedRegex("class=\"label label--wacht wacht-extern\"")]
    private static partial Regex WachtLabel();

    [Fact]
    public async Task The_round_trip_from_forward_to_answer()
    {
        var melding = await Een.Melding(DataSource)
            .Rubriek("jeugdoverlast")
            .Met("Portiek van flat 12 staat 's nachts open, jongeren hangen er rond.")
            .Email("melder@example.nl")
            .OpgeslagenAsync();
        var pagina = await wijkagent.OpenAsync($"/beheer/meldingen/{melding.Id}");
        var fout = await wijkagent.PostAsync(
            $"/beheer/meldingen/{melding.Id}?handler=Doorsturen",
            pagina.Token,
            [
                new("DoorsturenPartij", "Woonstichting Elan"),
                new("DoorsturenEmail", "geen adres"),
                new("DoorsturenBericht", "Kunt u de deur laten maken?"),
            ]
        );
        Assert.Equal(HttpStatusCode.BadRequest, fout.StatusCode);
        var foutHtml = await fout.Content.ReadAsStringAsync();
        Assert.Contains("fout-doorsturen", foutHtml, StringComparison.Ordinal);
        Assert.Contains("value=\"Woonstichting Elan\"", foutHtml, StringComparison.Ordinal);
        Assert.Contains("Kunt u de deur laten maken?</textarea>", foutHtml, StringComparison.Ordinal);

        var goed = await wijkagent.PostAsync(
            $"/beheer/meldingen/{melding.Id}?handler=Doorsturen",
            pagina.Token,
            [
                new("DoorsturenPartij", "Woonstichting Elan"),
                new("DoorsturenEmail", "meldingen@elan.example"),
                new("DoorsturenBericht", "Kunt u de deur laten maken?"),
            ]
        );
        Assert.Equal(HttpStatusCode.Redirect, goed.StatusCode);
        await using var db = await DataSource.OpenConnectionAsync();
        var mail = await db.QuerySingleAsync<(string Onderwerp, string Tekst)>(
            "SELECT onderwerp, tekst FROM mail_outbox WHERE aan = 'meldingen@elan.example'"
        );
        Assert.Contains(melding.Volgcode, mail.Onderwerp, StringComparison.Ordinal);
        Assert.Contains("Portiek van flat 12", mail.Tekst, StringComparison.Ordinal);
        Assert.DoesNotContain("melder@example.nl", mail.Tekst, StringComparison.Ordinal);
        var token = LinkPattern().Match(mail.Tekst).Groups[1].Value;
        Assert.True(token.Length >= 40, mail.Tekst);
        // Only the token's hash is kept.
        Assert.Equal(
            1,
            await db.ExecuteScalarAsync<int>(
                "SELECT count(*) FROM melding_doorsturing WHERE token_hash = sha256(convert_to(@token, 'UTF8'))",
                new { token }
            )
        );
        Assert.Contains("wacht-op-", await wijkagent.Http.GetStringAsync($"/beheer/meldingen/{melding.Id}"), StringComparison.Ordinal);

        var partij = new FormulierClient(App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }));
        Assert.Equal(HttpStatusCode.NotFound, (await partij.Http.GetAsync("/doorgestuurd/verzonnen-token")).StatusCode);
        var antwoordPagina = await partij.OpenAsync($"/doorgestuurd/{token}");
        Assert.Contains("Portiek van flat 12", antwoordPagina.Html, StringComparison.Ordinal);
        Assert.Contains("Kunt u de deur laten maken?", antwoordPagina.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("melder@example.nl", antwoordPagina.Html, StringComparison.Ordinal);

        var leeg = await partij.PostAsync($"/doorgestuurd/{token}", antwoordPagina.Token, [new("Antwoord", "  "), new("Naam", "Els")]);
        Assert.Equal(HttpStatusCode.BadRequest, leeg.StatusCode);
        var leegHtml = await leeg.Content.ReadAsStringAsync();
        Assert.Contains("fout-antwoord", leegHtml, StringComparison.Ordinal);
        Assert.Contains("value=\"Els\"", leegHtml, StringComparison.Ordinal);

        var antwoord = await partij.PostAsync(
            $"/doorgestuurd/{token}",
            antwoordPagina.Token,
            [new("Antwoord", "De slotenmaker komt donderdag."), new("Naam", "Els de Vries")]
        );
        var nogEens = await partij.PostAsync(
            $"/doorgestuurd/{token}",
            antwoordPagina.Token,
            [new("Antwoord", "Toch niet."), new("Naam", "")]
        );
        Assert.Equal(HttpStatusCode.Redirect, antwoord.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, nogEens.StatusCode);
        Assert.Contains("doorgestuurd-beantwoord", await partij.Http.GetStringAsync($"/doorgestuurd/{token}"), StringComparison.Ordinal);

        var staf = await wijkagent.Http.GetStringAsync($"/beheer/meldingen/{melding.Id}");
        Assert.DoesNotContain("wacht-op-", staf, StringComparison.Ordinal);
        Assert.Contains("De slotenmaker komt donderdag.", staf, StringComparison.Ordinal);
        Assert.DoesNotContain("Toch niet.", staf, StringComparison.Ordinal);
        Assert.Equal(
            ("Els de Vries, Woonstichting Elan (extern)", "De slotenmaker komt donderdag."),
            await db.QuerySingleAsync<(string, string)>(
                "SELECT door, tekst FROM melding_notitie WHERE melding_id = @Id",
                new { melding.Id }
            )
        );
        Assert.Equal(
            ["doorgestuurd", "doorsturing-beantwoord"],
            await db.QueryAsync<string>(
                "SELECT actie FROM audit WHERE melding_id = @Id AND actie IN ('doorgestuurd', 'doorsturing-beantwoord') ORDER BY id",
                new { melding.Id }
            )
        );
    }

    [Fact]
    public async Task An_expired_link_takes_no_answer()
    {
        var melding = await Een.Melding(DataSource).Met("Losse stoeptegels bij de school.").OpgeslagenAsync();
        var pagina = await wijkagent.OpenAsync($"/beheer/meldingen/{melding.Id}");
        await wijkagent.PostAsync(
            $"/beheer/meldingen/{melding.Id}?handler=Doorsturen",
            pagina.Token,
            [new("DoorsturenPartij", "Aannemer Bouw BV"), new("DoorsturenEmail", "werk@bouw.example")]
        );
        await using var db = await DataSource.OpenConnectionAsync();
        var token = LinkPattern()
            .Match(await db.QuerySingleAsync<string>("SELECT tekst FROM mail_outbox WHERE aan = 'werk@bouw.example'"))
            .Groups[1]
            .Value;
        await db.ExecuteAsync("UPDATE melding_doorsturing SET geldig_tot = now() - interval '1 minute'");
        var partij = new FormulierClient(App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }));

        var antwoord = await partij.Http.GetAsync($"/doorgestuurd/{token}");

        Assert.Equal(HttpStatusCode.Gone, antwoord.StatusCode);
        Assert.Contains("doorgestuurd-verlopen", await antwoord.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await db.ExecuteScalarAsync<int>("SELECT count(*) FROM melding_doorsturing WHERE beantwoord_op IS NOT NULL"));
    }

    [GeneratedRegex(@"/doorgestuurd/([A-Za-z0-9_-]+)")]
    private static partial Regex LinkPattern();
}
