using System.Net;
using Wijkmeldingen.Testing;

namespace Wijkmeldingen.Tests.Features.Info;

/// <summary>The privacy statement is generated from the settings the portal runs with (issue 21): its
/// retention terms are the clean-up rules' own, the tile provider the configured one. The accessibility
/// statement follows the national model, filled from the municipality profile. Both render for both
/// profiles, in Dutch and English.</summary>
public sealed class VerklaringenTests : DatabaseTest
{
    private const string Pdok = "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png";

    private async Task<string> Pagina(string pad, IDictionary<string, string?>? instellingen = null)
    {
        await using var app = new WijkAppFactory(Database.ConnectionString, instellingen);
        var response = await app.CreateClient().GetAsync(pad);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Privacy_statement_shows_the_default_retention_terms_legal_bases_officer_and_complaint()
    {
        var html = await Pagina("/privacy");

        Assert.Contains("Een melding die u intrekt, verwijderen wij 365 dagen na het intrekken helemaal.", html);
        Assert.Contains("5 jaar nadat een melding is afgesloten, maken wij haar anoniem", html);
        Assert.Contains("Uw contactgegevens verwijderen wij automatisch 90 dagen nadat uw melding is afgesloten.", html);
        Assert.Contains("Foto's bij een afgesloten melding verwijderen wij 365 dagen na het afsluiten.", html);
        Assert.Contains("Namen en e-mailadressen van deelnemers verwijderen wij 30 dagen na de wandeling.", html);
        Assert.Contains("Een abonnement dat u niet binnen 7 dagen bevestigt, verwijderen wij.", html);
        Assert.Contains("Verstuurde e-mails (met uw e-mailadres) verwijderen wij 30 dagen na verzending.", html);
        Assert.Contains("Een bevestigd abonnement loopt 12 maanden.", html);
        Assert.Contains("180 dagen nadat een account is uitgezet, verwijderen wij de naam, het e-mailadres en de inloggegevens", html);
        Assert.Contains("id=\"verwerking-medewerkers\"", html);
        Assert.Contains("Taak van algemeen belang (AVG artikel 6 lid 1 onder e)", html);
        Assert.Contains("Toestemming (AVG artikel 6 lid 1 onder a)", html);
        Assert.Contains("Functionaris gegevensbescherming", html);
        Assert.Contains("klacht indienen bij de Autoriteit Persoonsgegevens", html);
        Assert.Contains("href=\"https://autoriteitpersoonsgegevens.nl/", html);
        // The tests run without a tile server: the statement says so instead of naming one.
        Assert.Contains("De kaart toont geen achtergrondkaart van buiten", html);
        Assert.DoesNotContain("PDOK (de kaartdienst", html);
    }

    [Fact]
    public async Task Privacy_statement_follows_the_options_the_clean_up_jobs_run_with()
    {
        var html = await Pagina(
            "/privacy",
            new Dictionary<string, string?>
            {
                ["Database:BewaarContactDagen"] = "45",
                ["Database:BewaarIngetrokkenDagen"] = "200",
                ["Database:AnonimiseerNaJaren"] = "7",
                ["Database:BewaarFotoDagen"] = "0",
                ["Wandelingen:BewaarDeelnemersDagen"] = "12",
                ["Mail:BewaarVerzondenDagen"] = "14",
            }
        );

        Assert.Contains("Uw contactgegevens verwijderen wij automatisch 45 dagen nadat uw melding is afgesloten.", html);
        Assert.Contains("Het e-mailadres van wie een melding volgt, verwijderen wij 45 dagen nadat de melding is afgesloten.", html);
        Assert.Contains("verwijderen wij 200 dagen na het intrekken helemaal.", html);
        Assert.Contains("7 jaar nadat een melding is afgesloten, maken wij haar anoniem", html);
        Assert.Contains("Foto's bewaren wij tot de melding anoniem wordt gemaakt.", html);
        Assert.Contains("deelnemers verwijderen wij 12 dagen na de wandeling.", html);
        Assert.Contains("Verstuurde e-mails (met uw e-mailadres) verwijderen wij 14 dagen na verzending.", html);
        Assert.DoesNotContain("90 dagen", html);
        // The withdrawn reports' default; other rules have their own year (the residents' reopen notes).
        Assert.DoesNotContain("365 dagen na het intrekken", html);
        Assert.DoesNotContain("5 jaar nadat", html);
    }

    [Fact]
    public async Task Privacy_statement_shows_the_subscription_and_staff_account_terms_from_their_options()
    {
        var korter = await Pagina(
            "/privacy",
            new Dictionary<string, string?> { ["Kaart:AbonnementMaanden"] = "6", ["Beheer:GedeactiveerdBewarenDagen"] = "30" }
        );
        var geen = await Pagina(
            "/privacy",
            new Dictionary<string, string?> { ["Kaart:AbonnementMaanden"] = "0", ["Beheer:GedeactiveerdBewarenDagen"] = "0" }
        );

        Assert.Contains("Een bevestigd abonnement loopt 6 maanden.", korter);
        Assert.Contains("30 dagen nadat een account is uitgezet", korter);
        Assert.DoesNotContain("12 maanden", korter);
        Assert.Contains("Een bevestigd abonnement bewaren wij tot u zich afmeldt.", geen);
        Assert.Contains("Een uitgezet account bewaren wij tot een beheerder het verwijdert.", geen);
        Assert.DoesNotContain("loopt 0 maanden", geen);
    }

    [Fact]
    public async Task Privacy_statement_names_the_tile_provider_actually_configured()
    {
        var pdok = await Pagina("/privacy", new Dictionary<string, string?> { ["Kaart:TegelUrl"] = Pdok });
        var eigen = await Pagina(
            "/privacy",
            new Dictionary<string, string?> { ["Kaart:TegelUrl"] = "http://localhost/tegels/{z}/{x}/{y}.png" }
        );
        var ander = await Pagina(
            "/privacy?culture=en",
            new Dictionary<string, string?> { ["Kaart:TegelUrl"] = "https://{s}.tegels.example/{z}/{x}/{y}.png" }
        );

        Assert.Contains("De achtergrondkaart komt van PDOK", pdok);
        Assert.DoesNotContain("De achtergrondkaart komt van onze eigen server.", pdok);
        Assert.Contains("De achtergrondkaart komt van onze eigen server.", eigen);
        Assert.DoesNotContain("PDOK (de kaartdienst", eigen);
        Assert.Contains("The background map comes from tegels.example.", ander);
    }

    [Fact]
    public async Task Both_statements_render_for_the_second_municipality_in_both_languages()
    {
        await Voorbeeldstad.GebiedenAsync(EigenaarDataSource);
        var instellingen = Voorbeeldstad.Instellingen();

        var privacy = await Pagina("/privacy", instellingen);
        var privacyEn = await Pagina("/privacy?culture=en", instellingen);
        var toegankelijkheid = await Pagina("/toegankelijkheid", instellingen);
        var toegankelijkheidEn = await Pagina("/toegankelijkheid?culture=en", instellingen);

        Assert.Contains("fg@voorbeeldstad.example", privacy);
        Assert.Contains("Public task (GDPR article 6(1)(e))", privacyEn);
        Assert.Contains("We delete your contact details automatically 90 days after your report is closed.", privacyEn);
        Assert.Contains("You may complain to the Dutch Data Protection Authority (Autoriteit Persoonsgegevens).", privacyEn);
        Assert.Contains("Status B: voldoet gedeeltelijk.", toegankelijkheid);
        Assert.Contains(
            "Het laatste onderzoek is afgerond op 1 februari 2026 door Proefbureau Toegankelijkheid (testgegevens).",
            toegankelijkheid
        );
        Assert.Contains("href=\"https://www.voorbeeldstad.example/toegankelijkheid/onderzoek-2026.pdf\"", toegankelijkheid);
        Assert.Contains("Foutmeldingen van het adresveld worden niet altijd voorgelezen.", toegankelijkheid);
        Assert.Contains("30 september 2026", toegankelijkheid);
        Assert.Contains("Jaarlijks een herhalingsonderzoek laten uitvoeren. (gepland vóór 1 februari 2027)", toegankelijkheid);
        Assert.Contains("Nationale ombudsman", toegankelijkheid);
        Assert.Contains("Status B: partially compliant.", toegankelijkheidEn);
        Assert.Contains("Error messages of the address field are not always read out.", toegankelijkheidEn);
        Assert.Contains("30 September 2026", toegankelijkheidEn);
        foreach (var html in new[] { privacy, privacyEn, toegankelijkheid, toegankelijkheidEn })
        {
            Assert.DoesNotContain("heemstede", html, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Both_statements_render_for_the_demo_profile()
    {
        // Asked for explicitly: with WIJK_TEST_GEMEENTE=voorbeeldstad the apps serve Voorbeeldstad by default.
        var privacy = await Pagina("/privacy", TestGemeente.DemoProfiel());
        var toegankelijkheid = await Pagina("/toegankelijkheid", TestGemeente.DemoProfiel());
        var toegankelijkheidEn = await Pagina("/toegankelijkheid?culture=en", TestGemeente.DemoProfiel());

        Assert.Contains("De gemeente Heemstede is verantwoordelijk", privacy);
        Assert.Contains("Status C: eerste maatregelen genomen.", toegankelijkheid);
        Assert.Contains("Er is nog geen onafhankelijk onderzoek door een deskundige uitgevoerd.", toegankelijkheid);
        Assert.Contains("30 juni 2027", toegankelijkheid);
        Assert.Contains("Verbeterplan", toegankelijkheid);
        Assert.Contains("Status C: first measures taken.", toegankelijkheidEn);
    }
}
