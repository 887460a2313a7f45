using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Features.Maatregelen;

namespace Wijkmeldingen.Tests.Features.Maatregelen;

/// <summary>Measures: staff record one at /beheer/maatregelen (place as a PostGIS geometry in RD New
/// inside the municipality, buurt and wijk derived, linked reports by tracking code or number), bad
/// input comes back in Dutch with the input kept, the wijk page shows it with its public linked
/// reports and the before/after figure (suppressed below the threshold), and followers and buurt
/// subscribers are mailed once when it starts and once when it is done.</summary>
public sealed partial class MaatregelenTests : AppTest
{
    private static readonly string[] Ontvangers = ["buur@example.nl", "melder@example.nl", "volger@example.nl"];

    private static string Datum(int dagenGeleden) =>
        Tijd.Lokaal(DateTimeOffset.UtcNow).Date.AddDays(-dagenGeleden).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    internal static List<KeyValuePair<string, string>> Velden(
        string meldingen = "",
        string soort = "punt",
        string? punten = null,
        string status = "lopend",
        string start = "",
        string eind = "",
        string titel = "Extra controle parkeren Raadhuisplein"
    ) =>
        [
            new("Invoer.Type", "handhaving"),
            new("Invoer.Titel", titel),
            new("Invoer.Omschrijving", "Handhavers controleren twee keer per week op foutparkeren."),
            new("Invoer.Soort", soort),
            new("Invoer.Punten", punten ?? Punten("52.3524, 4.6192")),
            new("Invoer.Status", status),
            new("Invoer.StartDatum", start.Length > 0 ? start : Datum(0)),
            new("Invoer.EindDatum", eind),
            new("Invoer.Verantwoordelijke", "Team Handhaving"),
            new("Invoer.Meldingen", meldingen),
        ];

    /// <summary>"lat, lon" lines of demo-municipality places moved onto the loaded municipality
    /// (<see cref="TestGemeente.PlekTekst"/>); a line that is not a point stays as it is.</summary>
    internal static string Punten(string regels) =>
        string.Join(
            "\n",
            regels
                .Split('\n')
                .Select(regel =>
                {
                    var delen = regel.Split(',', StringSplitOptions.TrimEntries);
                    if (
                        delen.Length != 2
                        || !double.TryParse(delen[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var lat)
                        || !double.TryParse(delen[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var lon)
                    )
                    {
                        return regel;
                    }
                    var (b, l) = TestGemeente.PlekTekst(lat, lon);
                    return $"{b}, {l}";
                })
        );

    private async Task<FormulierClient> MedewerkerAsync()
    {
        await BeheerAccounts.MaakAsync(App.Services, "wim@heemstede.nl", "Wim Wijkprofessional", Rollen.Wijkprofessional);
        return await BeheerAccounts.IngelogdAsync(App, "wim@heemstede.nl");
    }

    private static async Task<long> MaakAsync(FormulierClient client, List<KeyValuePair<string, string>> velden)
    {
        var pagina = await client.OpenAsync("/beheer/maatregelen/nieuw");
        var antwoord = await client.PostAsync("/beheer/maatregelen/nieuw", pagina.Token, velden);
        Assert.Equal(HttpStatusCode.Redirect, antwoord.StatusCode);
        return long.Parse(IdPatroon().Match(antwoord.Headers.Location!.ToString()).Groups[1].Value, CultureInfo.InvariantCulture);
    }

    private static async Task WijzigAsync(FormulierClient client, long id, List<KeyValuePair<string, string>> velden)
    {
        var pagina = await client.OpenAsync($"/beheer/maatregelen/{id}");
        var antwoord = await client.PostAsync($"/beheer/maatregelen/{id}", pagina.Token, velden);
        Assert.Equal(HttpStatusCode.Redirect, antwoord.StatusCode);
    }

    [Fact]
    public async Task Staff_record_a_measure_as_an_area_in_rd_new_with_linked_reports_by_tracking_code_and_number()
    {
        var eerste = await Een.Melding(DataSource).OpgeslagenAsync();
        var tweede = await Een.Melding(DataSource).Verschoven(40, 0).Rubriek("jeugdoverlast").OpgeslagenAsync();
        var client = await MedewerkerAsync();

        var id = await MaakAsync(
            client,
            Velden(
                meldingen: $"{eerste.Volgcode.ToLowerInvariant()}, {tweede.Id}",
                soort: "vlak",
                punten: Punten("52.3520, 4.6185\n52.3530, 4.6185\n52.3530, 4.6200\n52.3520, 4.6200")
            )
        );

        await using var connection = await DataSource.OpenConnectionAsync();
        var rij = await connection.QuerySingleAsync<(
            int Srid,
            string Type,
            bool Geldig,
            string Buurt,
            string Wijk,
            string Status,
            string Door
        )>(
            """
            SELECT ST_SRID(geom), GeometryType(geom), ST_IsValid(geom), buurt_code, wijk_code, status, aangemaakt_door
            FROM maatregel WHERE id = @id
            """,
            new { id }
        );
        Assert.Equal((28992, "POLYGON", true, TestGemeente.EersteBuurt, TestGemeente.EersteWijk, "lopend", "Wim Wijkprofessional"), rij);
        var gekoppeld = (
            await connection.QueryAsync<long>(
                "SELECT melding_id FROM maatregel_melding WHERE maatregel_id = @id ORDER BY melding_id",
                new { id }
            )
        ).ToList();
        Assert.Equal(new[] { eerste.Id, tweede.Id }.Order(), gekoppeld);
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM audit WHERE actie = 'maatregel-aangemaakt'"));

        // The staff page shows it back: the points as typed (the ring without its closing point), the reports.
        var html = await client.Http.GetStringAsync($"/beheer/maatregelen/{id}");
        Assert.Contains(Punten("52.353, 4.62"), html);
        Assert.Contains(eerste.Volgcode, html);
        Assert.Contains(tweede.Volgcode, html);
        Assert.Contains("Extra controle parkeren Raadhuisplein", await client.Http.GetStringAsync("/beheer/maatregelen"));

        // A change of place and links replaces them.
        await WijzigAsync(
            client,
            id,
            Velden(meldingen: eerste.Volgcode, soort: "lijn", punten: Punten("52.3524, 4.6192\n52.3530, 4.6210"))
        );
        Assert.Equal(
            "LINESTRING",
            await connection.ExecuteScalarAsync<string>("SELECT GeometryType(geom) FROM maatregel WHERE id = @id", new { id })
        );
        Assert.Equal(
            1,
            await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM maatregel_melding WHERE maatregel_id = @id", new { id })
        );
    }

    /// <summary>Bad input: kind, points (demo-municipality places, moved onto the loaded one), reports, message.</summary>
    public static TheoryData<string, string, string, string> FouteInvoer =>
        new()
        {
            { "punt", Punten("52.10, 5.10"), "", "buiten de gemeente" },
            { "punt", "hier ergens", "", "Regel 1 is geen punt" },
            { "lijn", Punten("52.3524, 4.6192"), "", "minstens twee punten" },
            { "vlak", Punten("52.3520, 4.6185\n52.3530, 4.6200\n52.3530, 4.6185\n52.3520, 4.6200"), "", "kruist zichzelf" },
            {
                "punt",
                Punten("52.3524, 4.6192"),
                "abcd-efgh-jkmn-pqrs 999999",
                "Deze meldingen bestaan niet: ABCD-EFGH-JKMN-PQRS, 999999."
            },
            { "punt", Punten("52.3524, 4.6192"), "<script>", "geen volgcode" },
        };

    [Theory]
    [MemberData(nameof(FouteInvoer))]
    public async Task Bad_input_comes_back_in_dutch_with_the_input_kept_and_nothing_saved(
        string soort,
        string punten,
        string meldingen,
        string fout
    )
    {
        var client = await MedewerkerAsync();
        var pagina = await client.OpenAsync("/beheer/maatregelen/nieuw");
        var antwoord = await client.PostAsync("/beheer/maatregelen/nieuw", pagina.Token, Velden(meldingen, soort, punten));

        Assert.Equal(HttpStatusCode.BadRequest, antwoord.StatusCode);
        var html = WebUtility.HtmlDecode(await antwoord.Content.ReadAsStringAsync());
        Assert.Contains(fout, html);
        Assert.Contains("Extra controle parkeren Raadhuisplein", html);
        Assert.Contains(punten, html);
        await using var connection = await DataSource.OpenConnectionAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM maatregel"));
    }

    [Fact]
    public async Task Dates_are_checked_and_a_finished_measure_needs_its_end_date()
    {
        var client = await MedewerkerAsync();
        var pagina = await client.OpenAsync("/beheer/maatregelen/nieuw");
        var zonderEind = await client.PostAsync("/beheer/maatregelen/nieuw", pagina.Token, Velden(status: "afgerond"));
        Assert.Equal(HttpStatusCode.BadRequest, zonderEind.StatusCode);
        Assert.Contains("Vul de einddatum in", await zonderEind.Content.ReadAsStringAsync());
        var omgekeerd = await client.PostAsync("/beheer/maatregelen/nieuw", pagina.Token, Velden(start: Datum(0), eind: Datum(3)));
        Assert.Contains("De einddatum ligt voor de startdatum", await omgekeerd.Content.ReadAsStringAsync());
        var onzin = await client.PostAsync("/beheer/maatregelen/nieuw", pagina.Token, Velden(start: "31-02-2026"));
        Assert.Equal(HttpStatusCode.BadRequest, onzin.StatusCode);
        Assert.Contains("geldige startdatum", await onzin.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_staff_pages_are_closed_to_the_public()
    {
        var client = App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var antwoord = await client.GetAsync("/beheer/maatregelen/nieuw");
        Assert.True(antwoord.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Unauthorized, antwoord.StatusCode.ToString());
    }

    [Fact]
    public async Task The_wijk_page_and_the_map_layer_show_the_measure_with_its_public_reports_only()
    {
        var publiek = await Een.Melding(DataSource).OpgeslagenAsync();
        var gevoelig = await Een.Melding(DataSource).Rubriek("drugsafval").OpgeslagenAsync();
        var client = await MedewerkerAsync();
        var id = await MaakAsync(client, Velden(meldingen: $"{publiek.Volgcode} {gevoelig.Volgcode}", status: "gepland"));

        var anoniem = App.CreateClient();
        var html = WebUtility.HtmlDecode(await anoniem.GetStringAsync($"/wijken/{TestGemeente.EersteWijk}"));
        Assert.Contains($"id=\"maatregel-{id}\"", html);
        Assert.Contains("Extra controle parkeren Raadhuisplein", html);
        Assert.Contains("data-status=\"gepland\"", html);
        Assert.Contains("Team Handhaving", html);
        Assert.Contains(publiek.Volgcode, html);
        Assert.DoesNotContain(gevoelig.Volgcode, html);
        // A planned measure has no before/after figure yet.
        Assert.DoesNotContain($"maatregel-{id}-voorna", html);

        // Another wijk does not show it.
        var anders = await anoniem.GetStringAsync($"/wijken/{TestGemeente.AndereWijk}");
        Assert.DoesNotContain("Extra controle parkeren Raadhuisplein", anders);

        var geojson = await anoniem.GetStringAsync($"/maatregelen.geojson?wijk={TestGemeente.EersteWijk}");
        Assert.Contains("\"Point\"", geojson);
        Assert.Contains($"#maatregel-{id}", geojson);
        Assert.DoesNotContain(gevoelig.Volgcode, geojson);
        Assert.Equal(HttpStatusCode.BadRequest, (await anoniem.GetAsync("/maatregelen.geojson?wijk=x'--")).StatusCode);
    }

    [Fact]
    public async Task The_before_after_figure_counts_comparable_reports_in_the_area_in_equal_periods_and_suppresses_small_counts()
    {
        // The measure started 60 days ago at the Raadhuisplein: before = 120..61 days ago, after = the last 60 days.
        var gekoppeld = await Een.Melding(DataSource).AangemaaktDagenGeleden(90).OpgeslagenAsync();
        await Een.Melding(DataSource).Verschoven(50, 50).AangemaaktDagenGeleden(80).OpgeslagenAsync(6); // before, within 150 m
        await Een.Melding(DataSource).Verschoven(-100, 0).AangemaaktDagenGeleden(20).OpgeslagenAsync(2); // after, within 150 m
        // Not comparable: another category, too far away, before the compared period, withdrawn.
        await Een.Melding(DataSource).Rubriek("jeugdoverlast").AangemaaktDagenGeleden(80).OpgeslagenAsync(5);
        await Een.Melding(DataSource).Verschoven(0, 300).AangemaaktDagenGeleden(80).OpgeslagenAsync(5);
        await Een.Melding(DataSource).AangemaaktDagenGeleden(130).OpgeslagenAsync(3);
        await Een.Melding(DataSource).Status("ingetrokken").AangemaaktDagenGeleden(80).OpgeslagenAsync();

        var client = await MedewerkerAsync();
        var id = await MaakAsync(client, Velden(meldingen: gekoppeld.Volgcode, start: Datum(60)));

        var html = WebUtility.HtmlDecode(await App.CreateClient().GetStringAsync($"/wijken/{TestGemeente.EersteWijk}"));
        var tabel = Regex.Match(html, $"<table[^>]*id=\"maatregel-{id}-voorna\".*?</table>", RegexOptions.Singleline).Value;
        Assert.NotEmpty(tabel);
        Assert.Matches(new Regex("data-voorna=\"voor\">.*?<td class=\"getal\">7</td>", RegexOptions.Singleline), tabel);
        Assert.Matches(new Regex("data-voorna=\"na\">.*?<td class=\"getal\">< 5</td>", RegexOptions.Singleline), tabel);
        Assert.Contains("Parkeeroverlast", html);
        Assert.Contains("de 60 dagen voor en de 60 dagen na de start", html);

        // The same figure straight from the query, with the counts themselves.
        await using var scope = App.Services.CreateAsyncScope();
        var maatregelen = scope.ServiceProvider.GetRequiredService<Web.Features.Maatregelen.Maatregelen>();
        await using var connection = await DataSource.OpenConnectionAsync();
        var voorNa = await maatregelen.VoorNaAsync(
            connection,
            (await maatregelen.LaadAsync(id, CancellationToken.None))!,
            CancellationToken.None
        );
        Assert.NotNull(voorNa);
        Assert.Equal(
            (60, 7L, false, 2L, true),
            (voorNa.Dagen, voorNa.Voor.Waarde, voorNa.Voor.Onderdrukt, voorNa.Na.Waarde, voorNa.Na.Onderdrukt)
        );
    }

    [Fact]
    public async Task A_measure_that_has_not_run_long_enough_shows_no_figure()
    {
        var gekoppeld = await Een.Melding(DataSource).AangemaaktDagenGeleden(10).OpgeslagenAsync();
        var client = await MedewerkerAsync();
        var id = await MaakAsync(client, Velden(meldingen: gekoppeld.Volgcode, start: Datum(5)));
        var html = await App.CreateClient().GetStringAsync($"/wijken/{TestGemeente.EersteWijk}");
        Assert.Contains($"id=\"maatregel-{id}\"", html);
        Assert.DoesNotContain($"maatregel-{id}-voorna", html);
        Assert.Contains("data-voorna=\"nog-niet\"", html);
    }

    [Fact]
    public async Task Followers_and_buurt_subscribers_are_told_once_when_the_measure_starts_and_once_when_it_is_done()
    {
        var melding = await Een.Melding(DataSource).Email("melder@example.nl").OpgeslagenAsync();
        var anoniem = new FormulierClient(App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }));
        var volgPagina = await anoniem.OpenAsync($"/melding/{melding.Volgcode}");
        await anoniem.PostAsync($"/melding/{melding.Volgcode}?handler=Volgen", volgPagina.Token, [new("VolgEmail", "volger@example.nl")]);
        var abonneer = await anoniem.OpenAsync($"/kaart/volgen?buurt={TestGemeente.EersteBuurt}");
        await anoniem.PostAsync(
            "/kaart/volgen",
            abonneer.Token,
            [new("Soort", "buurt"), new("Buurt", TestGemeente.EersteBuurt), new("Email", "buur@example.nl"), new("Frequentie", "wekelijks")]
        );
        // An unconfirmed subscription of the same buurt gets nothing.
        var nogNiet = await anoniem.OpenAsync($"/kaart/volgen?buurt={TestGemeente.EersteBuurt}");
        await anoniem.PostAsync(
            "/kaart/volgen",
            nogNiet.Token,
            [
                new("Soort", "buurt"),
                new("Buurt", TestGemeente.EersteBuurt),
                new("Email", "twijfel@example.nl"),
                new("Frequentie", "wekelijks"),
            ]
        );
        await using var connection = await DataSource.OpenConnectionAsync();
        var bevestigMail = await connection.QuerySingleAsync<string>("SELECT tekst FROM mail_outbox WHERE aan = 'buur@example.nl'");
        var bevestig = await anoniem.Http.GetAsync(Regex.Match(bevestigMail, "/kaart/volgen/bevestigen/[A-Za-z0-9_-]+").Value);
        Assert.Equal(HttpStatusCode.OK, bevestig.StatusCode);

        var client = await MedewerkerAsync();
        var velden = Velden(meldingen: melding.Volgcode, status: "gepland");
        var id = await MaakAsync(client, velden);
        var ronde = App.Services.GetRequiredService<MaatregelBerichten>();
        await ronde.EenRondeAsync(CancellationToken.None);
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM mail_outbox WHERE sleutel LIKE 'maatregel-%'"));

        // Started: one mail each, however often the round runs.
        await WijzigAsync(client, id, Velden(meldingen: melding.Volgcode, status: "lopend"));
        await ronde.EenRondeAsync(CancellationToken.None);
        await ronde.EenRondeAsync(CancellationToken.None);
        var gestart = (
            await connection.QueryAsync<(string Aan, string Onderwerp, string Tekst)>(
                "SELECT aan, onderwerp, tekst FROM mail_outbox WHERE sleutel LIKE 'maatregel-gestart:%' ORDER BY aan"
            )
        ).ToList();
        Assert.Equal(Ontvangers, gestart.Select(m => m.Aan));
        Assert.All(gestart, m => Assert.Equal("Maatregel gestart: Extra controle parkeren Raadhuisplein", m.Onderwerp));
        Assert.All(gestart, m => Assert.Contains($"/wijken/{TestGemeente.EersteWijk}#maatregel-{id}", m.Tekst));
        // Only the subscriber's mail carries the unsubscribe link of the subscription.
        Assert.Contains("/kaart/volgen/opzeggen/", gestart[0].Tekst);
        Assert.DoesNotContain("/kaart/volgen/opzeggen/", gestart[1].Tekst);

        // Done: again one mail each, and no second 'started'.
        await WijzigAsync(client, id, Velden(meldingen: melding.Volgcode, status: "afgerond", start: Datum(10), eind: Datum(0)));
        await ronde.EenRondeAsync(CancellationToken.None);
        await ronde.EenRondeAsync(CancellationToken.None);
        var perSoort = (
            await connection.QueryAsync<(string Soort, long Aantal)>(
                "SELECT split_part(sleutel, ':', 1), count(*) FROM mail_outbox WHERE sleutel LIKE 'maatregel-%' GROUP BY 1 ORDER BY 1"
            )
        ).ToList();
        Assert.Equal(new[] { ("maatregel-afgerond", 3L), ("maatregel-gestart", 3L) }, perSoort);
    }

    [GeneratedRegex(@"/beheer/maatregelen/([0-9]+)$")]
    private static partial Regex IdPatroon();
}
