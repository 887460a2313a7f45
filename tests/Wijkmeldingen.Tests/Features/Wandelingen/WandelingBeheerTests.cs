using System.Net;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Features.Wandelingen;

namespace Wijkmeldingen.Tests.Features.Wandelingen;

/// <summary>Organisers plan walks at /beheer/wandelingen: the form without JavaScript, the route as
/// a LineString in RD New, publishing, capacity never below the sign-ups, participants mailed when
/// a published walk moves or is cancelled, and who may see any of it.</summary>
public sealed partial class WandelingBeheerTests : AppTest
{
    // Along the demo's Binnenweg, moved onto the loaded municipality.
    private static readonly string Route = RouteVan((52.3524, 4.6192), (52.353, 4.621), (52.352, 4.623));

    private static string RouteVan(params (double Lat, double Lon)[] punten) =>
        "[" + string.Join(",", punten.Select(p => TestGemeente.PlekTekst(p.Lat, p.Lon)).Select(p => $"[{p.Lat},{p.Lon}]")) + "]";

    internal static List<KeyValuePair<string, string>> Velden(
        string titel = "Rondje Binnenweg",
        string begin = "",
        string capaciteit = "10",
        string? lat = null,
        string? lon = null,
        string? route = null,
        string naam = "Raadhuisplein"
    ) =>
        [
            new("Invoer.Titel", titel),
            new("Invoer.WijkCode", TestGemeente.EersteWijk),
            new(
                "Invoer.Begin",
                begin.Length > 0
                    ? begin
                    : DateTime.Now.AddDays(10).ToString("yyyy-MM-dd'T'19:00", System.Globalization.CultureInfo.InvariantCulture)
            ),
            new("Invoer.DuurMinuten", "90"),
            new("Invoer.StartpuntNaam", naam),
            new("Invoer.Lat", lat ?? TestGemeente.PlekTekst(52.3524, 4.6192).Lat),
            new("Invoer.Lon", lon ?? TestGemeente.PlekTekst(52.3524, 4.6192).Lon),
            new("Invoer.Route", route ?? Route),
            new("Invoer.Omschrijving", "We lopen langs de winkels."),
            new("Invoer.Toegankelijkheid", "Rolstoeltoegankelijk."),
            new("Invoer.Capaciteit", capaciteit),
        ];

    private Task<FormulierClient> OrganisatorAsync() => OrganisatorAsync(App);

    internal static async Task<FormulierClient> OrganisatorAsync(WijkAppFactory app, string email = "olga@heemstede.nl")
    {
        await BeheerAccounts.MaakAsync(app.Services, email, "Olga Organisator", Rollen.Organisator);
        return await BeheerAccounts.IngelogdAsync(app, email);
    }

    internal static async Task<long> MaakAsync(FormulierClient client, List<KeyValuePair<string, string>> velden)
    {
        var pagina = await client.OpenAsync("/beheer/wandelingen/nieuw");
        var antwoord = await client.PostAsync("/beheer/wandelingen/nieuw", pagina.Token, velden);
        Assert.Equal(HttpStatusCode.Redirect, antwoord.StatusCode);
        return long.Parse(
            IdPatroon().Match(antwoord.Headers.Location!.ToString()).Groups[1].Value,
            System.Globalization.CultureInfo.InvariantCulture
        );
    }

    internal static async Task PubliceerAsync(FormulierClient client, long id)
    {
        var pagina = await client.OpenAsync($"/beheer/wandelingen/{id}");
        var antwoord = await client.PostAsync($"/beheer/wandelingen/{id}?handler=Publiceren", pagina.Token, []);
        Assert.Equal(HttpStatusCode.Redirect, antwoord.StatusCode);
    }

    [Fact]
    public async Task An_organiser_plans_a_walk_without_javascript_and_the_route_is_a_valid_linestring_in_rd_new()
    {
        var client = await OrganisatorAsync();
        var id = await MaakAsync(client, Velden());

        await using var connection = await DataSource.OpenConnectionAsync();
        var opgeslagen = await connection.QuerySingleAsync<(
            string Status,
            int Srid,
            string Type,
            bool Geldig,
            int Punten,
            string Organisator,
            int StartSrid
        )>(
            """
            SELECT status, ST_SRID(route), GeometryType(route), ST_IsValid(route), ST_NPoints(route), organisator, ST_SRID(startpunt)
            FROM wandeling WHERE id = @id
            """,
            new { id }
        );
        Assert.Equal(
            ("concept", 28992, "LINESTRING", true, 3, 28992),
            (opgeslagen.Status, opgeslagen.Srid, opgeslagen.Type, opgeslagen.Geldig, opgeslagen.Punten, opgeslagen.StartSrid)
        );
        var punten = (
            await connection.QueryAsync<(double Lat, double Lon)>(
                """
                SELECT ST_Y(p.geom), ST_X(p.geom) FROM wandeling, ST_DumpPoints(ST_Transform(route, 4326)) p
                WHERE id = @id ORDER BY p.path
                """,
                new { id }
            )
        ).ToList();
        Assert.Equal(
            new[] { (52.3524, 4.6192), (52.353, 4.621), (52.352, 4.623) }
                .Select(p => TestGemeente.Plek(p.Item1, p.Item2))
                .Select(p => (Math.Round(p.Lat, 6), Math.Round(p.Lon, 6))),
            punten.Select(p => (Math.Round(p.Lat, 6), Math.Round(p.Lon, 6)))
        );
        Assert.Equal(
            1,
            await connection.ExecuteScalarAsync<long>(
                "SELECT count(*) FROM audit WHERE actie = 'wandeling-aangemaakt' AND door = 'Olga Organisator'"
            )
        );

        // A concept is not public; the list shows it as the organiser's own.
        var lijst = await client.Http.GetStringAsync("/beheer/wandelingen?eigen=true");
        Assert.Contains("Rondje Binnenweg", lijst);
        Assert.Contains("Concept", lijst);
        Assert.Equal(HttpStatusCode.NotFound, (await App.CreateClient().GetAsync($"/wijkwandelingen/{id}")).StatusCode);

        await PubliceerAsync(client, id);
        Assert.Equal("gepubliceerd", await connection.QuerySingleAsync<string>("SELECT status FROM wandeling WHERE id = @id", new { id }));
        Assert.Contains("Rondje Binnenweg", await App.CreateClient().GetStringAsync("/wijkwandelingen"));
    }

    [Fact]
    public async Task The_form_comes_back_with_dutch_messages_and_the_input_kept()
    {
        var client = await OrganisatorAsync();
        var pagina = await client.OpenAsync("/beheer/wandelingen/nieuw");

        var fout = await client.PostAsync(
            "/beheer/wandelingen/nieuw",
            pagina.Token,
            Velden(titel: "Rondje met een heel eigen naam", begin: "2001-01-01T10:00", capaciteit: "0", route: RouteVan((52.35, 4.62)))
        );
        var buiten = await client.PostAsync("/beheer/wandelingen/nieuw", pagina.Token, Velden(lat: "52.37", lon: "4.90"));
        var zonderRoute = await client.PostAsync("/beheer/wandelingen/nieuw", pagina.Token, Velden(route: ""));

        Assert.Equal(HttpStatusCode.BadRequest, fout.StatusCode);
        var html = await fout.Content.ReadAsStringAsync();
        Assert.Contains("De begintijd ligt in het verleden", html);
        Assert.Contains("Het aantal plaatsen is 1 tot 500.", html);
        Assert.Contains("De route heeft minstens 2", html);
        Assert.Contains("value=\"Rondje met een heel eigen naam\"", html);
        Assert.Equal(HttpStatusCode.BadRequest, buiten.StatusCode);
        Assert.Contains($"buiten de gemeente {TestGemeente.Naam}", await buiten.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, zonderRoute.StatusCode);
        await using var connection = await DataSource.OpenConnectionAsync();
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM wandeling WHERE route IS NULL"));
    }

    [Fact]
    public async Task Without_a_point_on_the_map_the_meeting_point_is_looked_up_by_its_name()
    {
        var client = await OrganisatorAsync();
        var geocoder = App.Services.GetRequiredService<Wijkmeldingen.Web.Geo.Geocoding.IGeocoder>();
        // A place whose name is unambiguous (a wijk and a buurt may share one).
        Wijkmeldingen.Web.Geo.Geocoding.Suggestie? plek = null;
        foreach (var kandidaat in await geocoder.SuggestAsync("Centrum", 5, CancellationToken.None))
        {
            var zelfde = (await geocoder.SuggestAsync(kandidaat.Weergavenaam, 5, CancellationToken.None)).Count(s =>
                string.Equals(s.Weergavenaam, kandidaat.Weergavenaam, StringComparison.OrdinalIgnoreCase)
            );
            if (zelfde == 1)
            {
                plek = kandidaat;
                break;
            }
        }
        Assert.NotNull(plek);
        var pagina = await client.OpenAsync("/beheer/wandelingen/nieuw");

        var onbekend = await client.PostAsync(
            "/beheer/wandelingen/nieuw",
            pagina.Token,
            Velden(lat: "", lon: "", route: "", naam: "Qwxyzplein bij de kiosk")
        );
        var gevonden = await client.PostAsync(
            "/beheer/wandelingen/nieuw",
            pagina.Token,
            Velden(lat: "", lon: "", route: "", naam: plek.Weergavenaam)
        );

        Assert.Equal(HttpStatusCode.BadRequest, onbekend.StatusCode);
        Assert.Contains("We konden het verzamelpunt niet als adres vinden.", await onbekend.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, gevonden.StatusCode);
        var punt = Wijkmeldingen.Web.Geo.Geocoding.Wkt.LeesPunt(plek.CentroideLl)!.Value;
        await using var connection = await DataSource.OpenConnectionAsync();
        var opgeslagen = await connection.QuerySingleAsync<(double Lat, double Lon, string Naam)>(
            "SELECT ST_Y(ST_Transform(startpunt, 4326)), ST_X(ST_Transform(startpunt, 4326)), startpunt_naam FROM wandeling"
        );
        Assert.Equal(punt.Lat, opgeslagen.Lat, 5);
        Assert.Equal(punt.Lon, opgeslagen.Lon, 5);
        Assert.Equal(plek.Weergavenaam, opgeslagen.Naam);
    }

    [Fact]
    public async Task Capacity_cannot_be_lowered_below_the_people_signed_up_and_raising_it_moves_the_waitlist_up()
    {
        var client = await OrganisatorAsync();
        var id = await MaakAsync(client, Velden(capaciteit: "3"));
        await PubliceerAsync(client, id);
        var service = App.Services.GetRequiredService<Aanmeldingen>();
        await service.AanmeldenEnBevestigenAsync(id, "Anna", "anna@example.nl", 2, CancellationToken.None);
        await service.AanmeldenEnBevestigenAsync(id, "Bram", "bram@example.nl", 1, CancellationToken.None);
        await service.AanmeldenEnBevestigenAsync(id, "Cor", "cor@example.nl", 1, CancellationToken.None); // waitlist

        var pagina = await client.OpenAsync($"/beheer/wandelingen/{id}");
        var lager = await client.PostAsync($"/beheer/wandelingen/{id}", pagina.Token, Velden(capaciteit: "2"));
        Assert.Equal(HttpStatusCode.BadRequest, lager.StatusCode);
        Assert.Contains(
            "Er zijn al 3 personen aangemeld. Het aantal plaatsen kan niet lager zijn dan 3.",
            await lager.Content.ReadAsStringAsync()
        );

        var hoger = await client.PostAsync($"/beheer/wandelingen/{id}", pagina.Token, Velden(capaciteit: "4"));
        Assert.Equal(HttpStatusCode.Redirect, hoger.StatusCode);
        await using var connection = await DataSource.OpenConnectionAsync();
        Assert.Equal(4, await connection.QuerySingleAsync<int>("SELECT capaciteit FROM wandeling WHERE id = @id", new { id }));
        Assert.Equal(
            "deelnemer",
            await connection.QuerySingleAsync<string>("SELECT soort FROM wandeling_aanmelding WHERE email = 'cor@example.nl'")
        );
        // The title and capacity changed, not time or place: nobody is told about a change.
        Assert.Equal(
            0,
            await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM mail_outbox WHERE sleutel LIKE 'wandeling-gewijzigd:%'")
        );
    }

    [Fact]
    public async Task Moving_a_published_walk_mails_each_sign_up_once_and_cancelling_mails_them_again()
    {
        var client = await OrganisatorAsync();
        var id = await MaakAsync(client, Velden(capaciteit: "1"));
        await PubliceerAsync(client, id);
        var service = App.Services.GetRequiredService<Aanmeldingen>();
        await service.AanmeldenEnBevestigenAsync(id, "Anna", "anna@example.nl", 1, CancellationToken.None);
        await service.AanmeldenEnBevestigenAsync(id, "Bram", "bram@example.nl", 1, CancellationToken.None); // waitlist

        var pagina = await client.OpenAsync($"/beheer/wandelingen/{id}");
        var later = DateTime.Now.AddDays(12).ToString("yyyy-MM-dd'T'20:30", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(
            HttpStatusCode.Redirect,
            (await client.PostAsync($"/beheer/wandelingen/{id}", pagina.Token, Velden(capaciteit: "1", begin: later))).StatusCode
        );

        await using var connection = await DataSource.OpenConnectionAsync();
        var gewijzigd = (
            await connection.QueryAsync<(string Aan, string Tekst)>(
                "SELECT aan, tekst FROM mail_outbox WHERE sleutel LIKE 'wandeling-gewijzigd:%' ORDER BY aan"
            )
        ).ToList();
        Assert.Equal(["anna@example.nl", "bram@example.nl"], gewijzigd.Select(m => m.Aan));
        Assert.All(gewijzigd, m => Assert.Contains("20:30", m.Tekst));

        var annuleren = await client.PostAsync($"/beheer/wandelingen/{id}?handler=Annuleren", pagina.Token, []);
        Assert.Equal(HttpStatusCode.Redirect, annuleren.StatusCode);
        Assert.Equal(
            ["anna@example.nl", "bram@example.nl"],
            await connection.QueryAsync<string>("SELECT aan FROM mail_outbox WHERE sleutel LIKE 'wandeling-geannuleerd:%' ORDER BY aan")
        );
        Assert.Equal("geannuleerd", await connection.QuerySingleAsync<string>("SELECT status FROM wandeling WHERE id = @id", new { id }));
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM audit WHERE actie = 'wandeling-geannuleerd'"));

        // Cancelling twice, or publishing a cancelled walk, is refused with a message, not a 500.
        var nogmaals = await client.PostAsync($"/beheer/wandelingen/{id}?handler=Annuleren", pagina.Token, []);
        Assert.Equal(HttpStatusCode.Conflict, nogmaals.StatusCode);
        Assert.Contains("Dat kan niet (meer) bij deze wandeling", await nogmaals.Content.ReadAsStringAsync());
        Assert.Contains("Deze wijkwandeling gaat niet door.", await App.CreateClient().GetStringAsync($"/wijkwandelingen/{id}"));
    }

    [Fact]
    public async Task Only_organisers_and_beheerders_reach_the_walk_pages()
    {
        var organisator = await OrganisatorAsync();
        var id = await MaakAsync(organisator, Velden());
        await BeheerAccounts.MaakAsync(App.Services, "wim@heemstede.nl", "Wim Wijkagent", Rollen.Wijkprofessional);
        await BeheerAccounts.MaakAsync(App.Services, "bea@heemstede.nl", "Bea Beheerder", Rollen.Beheerder);
        var wijkagent = await BeheerAccounts.IngelogdAsync(App, "wim@heemstede.nl");
        var beheerder = await BeheerAccounts.IngelogdAsync(App, "bea@heemstede.nl");
        var anoniem = App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        foreach (var pad in new[] { "/beheer/wandelingen", "/beheer/wandelingen/nieuw", $"/beheer/wandelingen/{id}" })
        {
            Assert.Equal(HttpStatusCode.OK, (await organisator.Http.GetAsync(pad)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await beheerder.Http.GetAsync(pad)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await wijkagent.Http.GetAsync(pad)).StatusCode);
            var anoniemAntwoord = await anoniem.GetAsync(pad);
            Assert.Equal(HttpStatusCode.Redirect, anoniemAntwoord.StatusCode);
            Assert.Contains("/beheer/inloggen", anoniemAntwoord.Headers.Location?.ToString());
        }
        Assert.Contains("/beheer/wandelingen", await organisator.Http.GetStringAsync("/beheer"));
        Assert.Equal(HttpStatusCode.NotFound, (await organisator.Http.GetAsync("/beheer/wandelingen/999999")).StatusCode);
    }

    [Fact]
    public async Task Open_reports_of_the_wijk_can_be_attached_and_detached_as_places_to_visit()
    {
        var client = await OrganisatorAsync();
        var id = await MaakAsync(client, Velden());
        var melding = await Een.Melding(DataSource)
            .Met("Auto's op de stoep bij de school.")
            .Op(TestGemeente.Plek(52.3526, 4.6195))
            .OpgeslagenAsync();

        var pagina = await client.OpenAsync($"/beheer/wandelingen/{id}");
        Assert.Contains(melding.Volgcode, pagina.Html);
        Assert.Equal(
            HttpStatusCode.Redirect,
            (await client.PostAsync($"/beheer/wandelingen/{id}?handler=Koppelen&melding={melding.Id}", pagina.Token, [])).StatusCode
        );
        await using var connection = await DataSource.OpenConnectionAsync();
        Assert.Equal(
            1,
            await connection.ExecuteScalarAsync<long>(
                "SELECT count(*) FROM wandeling_melding WHERE wandeling_id = @id AND melding_id = @m",
                new { id, m = melding.Id }
            )
        );
        Assert.Contains($"id=\"ontkoppel-{melding.Id}\"", await client.Http.GetStringAsync($"/beheer/wandelingen/{id}"));

        Assert.Equal(
            HttpStatusCode.Redirect,
            (await client.PostAsync($"/beheer/wandelingen/{id}?handler=Ontkoppelen&melding={melding.Id}", pagina.Token, [])).StatusCode
        );
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM wandeling_melding"));
        Assert.Equal(
            2,
            await connection.ExecuteScalarAsync<long>(
                "SELECT count(*) FROM audit WHERE actie LIKE 'wandeling-melding-%' AND melding_id = @m",
                new { m = melding.Id }
            )
        );
    }

    [Fact]
    public async Task The_planning_page_shows_the_wijks_hotspots_sensitive_reports_included()
    {
        var client = await OrganisatorAsync();
        var id = await MaakAsync(client, Velden());
        Assert.Contains("id=\"geen-hotspots\"", await client.Http.GetStringAsync($"/beheer/wandelingen/{id}"));
        // Forty sensitive reports at one corner: a hotspot for staff, never on the public map.
        await Een.Melding(DataSource)
            .Rubriek("zorgen-om-iemand")
            .Met("Verward gedrag bij de bushalte")
            .Op(TestGemeente.Plek(52.3526, 4.6195))
            .AangemaaktDagenGeleden(20)
            .OpgeslagenAsync(40);
        await App.Services.GetRequiredService<Wijkmeldingen.Web.Features.Wijkbeeld.WijkbeeldVerversen>().VerversAsync();

        var html = await client.Http.GetStringAsync($"/beheer/wandelingen/{id}");

        var hotspot = Regex.Match(html, "<li data-ring=\"([^\"]+)\" data-label=\"[^\"]+\">([^<]+)</li>");
        Assert.True(hotspot.Success, "no hotspot listed");
        Assert.Contains("40 meldingen", hotspot.Groups[2].Value);
        var ring = System.Text.Json.JsonSerializer.Deserialize<double[][]>(System.Net.WebUtility.HtmlDecode(hotspot.Groups[1].Value))!;
        Assert.True(ring.Length >= 7, "a hexagon ring has 7 points");
        var (zuid, west) = TestGemeente.Plek(52.3516, 4.6175);
        var (noord, oost) = TestGemeente.Plek(52.3536, 4.6215);
        Assert.InRange(ring.Average(p => p[0]), zuid, noord);
        Assert.InRange(ring.Average(p => p[1]), west, oost);
    }

    [GeneratedRegex("/beheer/wandelingen/([0-9]+)")]
    private static partial Regex IdPatroon();
}
