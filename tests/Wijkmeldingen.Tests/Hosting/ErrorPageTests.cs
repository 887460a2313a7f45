using System.Net;
using Wijkmeldingen.Testing;

namespace Wijkmeldingen.Tests.Hosting;

public sealed class ErrorPageTests : AppTest
{
    [Fact]
    public async Task Unknown_page_is_a_dutch_404_with_security_headers()
    {
        var response = await App.CreateClient().GetAsync("/bestaat-niet");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Pagina niet gevonden", html);
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task Home_page_leads_with_the_emergency_number()
    {
        var html = await App.CreateClient().GetStringAsync("/");

        Assert.Contains("Bij spoed of gevaar: bel 112", html);
        Assert.Contains("href=\"/kaart\"", html);
    }
}
