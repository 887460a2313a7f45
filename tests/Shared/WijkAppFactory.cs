using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace Wijkmeldingen.Testing;

/// <summary>The real app (Program.cs) against a test database; no tile server, nothing from outside. Given
/// the app role's connection string (<see cref="TestRollen"/>), it migrates as the owner role like a
/// deployment with two roles (ConnectionStrings:WijkmeldingenEigenaar).</summary>
public sealed class WijkAppFactory(string connectionString, IDictionary<string, string?>? settings = null) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        // No file watching for configuration: tests never change appsettings while running.
        builder.UseSetting("hostBuilder:reloadConfigOnChange", "false");
        builder.ConfigureAppConfiguration(configuration =>
        {
            var values = new Dictionary<string, string?>
            {
                ["ConnectionStrings:Wijkmeldingen"] = connectionString,
                ["Kaart:TegelUrl"] = "",
                ["Kaart:TegelAttributie"] = "",
                // PDOK is on by default; tests never call out (the geocoder tests point it at a fake).
                ["Geocoder:PdokGebruiken"] = "false",
                // No background sender: a test that checks mail runs OutboxSender itself (TestSmtpServer.Settings).
                ["Mail:Verzenden"] = "false",
                // Mandatory two-step sign-in for beheerders is on by default; its own tests switch it on.
                ["Beheer:TweestapsVerplichtVoorBeheerders"] = "false",
            };
            // WIJK_TEST_GEMEENTE=voorbeeldstad: every app serves Voorbeeldstad's profile (a test's own settings still win).
            if (TestGemeente.IsVoorbeeldstad)
            {
                foreach (var (key, value) in Voorbeeldstad.Instellingen())
                {
                    values[key] = value;
                }
            }
            if (TestRollen.EigenaarVan(connectionString) is { } eigenaar)
            {
                values["ConnectionStrings:WijkmeldingenEigenaar"] = eigenaar;
            }
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            {
                values[key] = value;
            }
            configuration.AddInMemoryCollection(values);
        });
    }
}
