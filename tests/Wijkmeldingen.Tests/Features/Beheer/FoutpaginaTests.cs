using System.Net;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Tests.Features.Beheer;

/// <summary>The shared error page explains a 403 (signed in, wrong role) and a 404 in plain Dutch,
/// or English after /taal/en, instead of the generic "something went wrong".</summary>
public sealed class FoutpaginaTests : AppTest
{
    [Fact]
    public async Task A_wrong_role_gets_403_with_a_clear_dutch_text()
    {
        await BeheerAccounts.MaakAsync(App.Services, "organisator@heemstede.nl", "Olga Organisator", Rollen.Organisator);
        var organisator = await BeheerAccounts.IngelogdAsync(App, "organisator@heemstede.nl");

        var antwoord = await organisator.Http.GetAsync("/beheer/medewerkers");
        var html = await antwoord.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Forbidden, antwoord.StatusCode);
        Assert.Contains("<h1>Geen toegang</h1>", html);
        Assert.Contains("met uw rol heeft u geen toegang", html);
        Assert.Contains("href=\"/beheer\"", html);
        Assert.DoesNotContain("Er ging iets mis", html);
    }

    [Fact]
    public async Task The_403_and_404_texts_are_english_after_switching_language()
    {
        await BeheerAccounts.MaakAsync(App.Services, "wijkagent@heemstede.nl", "Wim Wijkagent", Rollen.Wijkprofessional);
        var wijkagent = await BeheerAccounts.IngelogdAsync(App, "wijkagent@heemstede.nl");
        await wijkagent.Http.GetAsync("/taal/en");

        var verboden = await wijkagent.Http.GetAsync("/beheer/sjablonen");
        var onbekend = await wijkagent.Http.GetAsync("/bestaat-niet");

        Assert.Equal(HttpStatusCode.Forbidden, verboden.StatusCode);
        var html = await verboden.Content.ReadAsStringAsync();
        Assert.Contains("<h1>No access</h1>", html);
        Assert.Contains("your role does not give access", html);
        Assert.Equal(HttpStatusCode.NotFound, onbekend.StatusCode);
        Assert.Contains("Page not found", await onbekend.Content.ReadAsStringAsync());
        // A 404 inside the back office stays a 404 with its own text.
        var geenMelding = await wijkagent.Http.GetAsync("/beheer/meldingen/999999");
        Assert.Equal(HttpStatusCode.NotFound, geenMelding.StatusCode);
        Assert.Contains("Page not found", await geenMelding.Content.ReadAsStringAsync());
    }
}
