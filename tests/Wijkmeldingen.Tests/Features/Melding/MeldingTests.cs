using System.Globalization;
using System.Net;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Tests.Features.Melding;

/// <summary>The public tracking page and the melder's private page behind the secret link.</summary>
public sealed class MeldingTests : AppTest
{
    private MeldingBouwer NieuweMelding() =>
        Een.Melding(DataSource)
            .Rubriek("jeugdoverlast")
            .Met("Groep jongeren met harde muziek bij het speelveld.")
            .Email("melder@example.nl");

    private FormulierClient Client() => new(App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }));

    [Fact]
    public async Task Public_page_shows_status_and_history_but_never_text_or_contact()
    {
        var melding = await NieuweMelding().OpgeslagenAsync();
        await using (var connection = await DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync(
                """
                UPDATE melding SET status = 'in-behandeling' WHERE id = @Id;
                INSERT INTO melding_historie (melding_id, van_status, naar_status, door, bericht)
                VALUES (@Id, 'gemeld', 'in-behandeling', 'wijkagent', 'De wijkagent gaat vanavond langs.');
                """,
                new { melding.Id }
            );
        }

        var html = await App.CreateClient().GetStringAsync($"/melding/{melding.Volgcode}");

        Assert.Contains("Jeugdoverlast", html);
        Assert.Contains("In behandeling", html);
        Assert.Contains("De wijkagent gaat vanavond langs.", html);
        Assert.Contains(TestGemeente.EersteBuurtNaam, html);
        // The map shows the public (coarsened) point: within a 250 m cell of the place.
        var lat = System.Text.RegularExpressions.Regex.Match(html, "data-lat=\"([0-9.]+)\"");
        Assert.True(lat.Success);
        Assert.InRange(double.Parse(lat.Groups[1].Value, CultureInfo.InvariantCulture), TestGemeente.Lat - 0.003, TestGemeente.Lat + 0.003);
        Assert.DoesNotContain("melder@example.nl", html);
        Assert.DoesNotContain("harde muziek", html);
        Assert.DoesNotContain("/opvolgen/", html);
    }

    [Fact]
    public async Task Sensitive_reports_show_no_place_on_the_public_page()
    {
        var melding = await NieuweMelding().Rubriek("drugsafval").OpgeslagenAsync();

        var html = await App.CreateClient().GetStringAsync($"/melding/{melding.Volgcode}");

        Assert.Contains("Drugsafval", html);
        Assert.DoesNotContain("data-lat", html);
        Assert.Contains("tonen we de plek niet openbaar", html);
    }

    [Fact]
    public async Task Codes_are_found_as_people_type_them_and_unknown_codes_are_404()
    {
        var melding = await NieuweMelding().OpgeslagenAsync();
        var client = App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var getypt = await client.GetAsync(
            $"/melding?code={melding.Volgcode.Replace("-", "", StringComparison.Ordinal).ToLowerInvariant()}"
        );
        var onbekend = await client.GetAsync("/melding/AAAA-BBBB-CCCC-DDDD");
        var onzin = await client.GetAsync("/melding/%3Cscript%3E");

        Assert.Equal($"/melding/{melding.Volgcode}", getypt.Headers.Location?.ToString());
        Assert.Equal(HttpStatusCode.NotFound, onbekend.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, onzin.StatusCode);
    }

    [Fact]
    public async Task The_public_code_alone_does_not_open_the_private_page()
    {
        var melding = await NieuweMelding().OpgeslagenAsync();
        var client = App.CreateClient();

        var zonder = await client.GetAsync($"/melding/{melding.Volgcode}/opvolgen/");
        var fout = await client.GetAsync($"/melding/{melding.Volgcode}/opvolgen/{Sleutels.Nieuw()}");
        var code = await client.GetAsync($"/melding/{melding.Volgcode}/opvolgen/{melding.Volgcode}");
        var goed = await client.GetAsync($"/melding/{melding.Volgcode}/opvolgen/{melding.MelderSleutel}");

        Assert.Equal(HttpStatusCode.NotFound, zonder.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, fout.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, code.StatusCode);
        Assert.Equal(HttpStatusCode.OK, goed.StatusCode);
        var html = await goed.Content.ReadAsStringAsync();
        Assert.Contains("harde muziek", html);
        Assert.Contains("melder@example.nl", html);
        Assert.True(goed.Headers.CacheControl?.NoStore);
    }

    [Fact]
    public async Task The_melder_adds_information_and_a_photo_through_the_secret_link()
    {
        var melding = await NieuweMelding().OpgeslagenAsync();
        var client = Client();
        var pad = $"/melding/{melding.Volgcode}/opvolgen/{melding.MelderSleutel}";
        var pagina = await client.OpenAsync(pad);

        var antwoord = await client.PostAsync(
            $"{pad}?handler=Aanvullen",
            pagina.Token,
            [new("Aanvulling", "Het gebeurt vooral op vrijdagavond na elf uur.")],
            [("Foto", "extra.png", TestFotos.Png(), "image/png")]
        );

        Assert.Equal(HttpStatusCode.Redirect, antwoord.StatusCode);
        await using var connection = await DataSource.OpenConnectionAsync();
        Assert.Equal(
            "Het gebeurt vooral op vrijdagavond na elf uur.",
            await connection.QuerySingleAsync<string>("SELECT tekst FROM melding_aanvulling WHERE melding_id = @Id", new { melding.Id })
        );
        Assert.Equal(
            1,
            await connection.ExecuteScalarAsync<long>(
                "SELECT count(*) FROM melding_foto WHERE melding_id = @Id AND aanvulling_id IS NOT NULL",
                new { melding.Id }
            )
        );
        var html = await client.Http.GetStringAsync(pad);
        Assert.Contains("Uw aanvulling is toegevoegd", html);
        Assert.Contains("vrijdagavond", html);
        // ...and the addition reaches staff, not the public page.
        Assert.DoesNotContain("vrijdagavond", await client.Http.GetStringAsync($"/melding/{melding.Volgcode}"));
    }

    [Fact]
    public async Task Adding_information_through_a_wrong_link_changes_nothing()
    {
        var melding = await NieuweMelding().OpgeslagenAsync();
        var client = Client();
        var pagina = await client.OpenAsync($"/melding/{melding.Volgcode}/opvolgen/{melding.MelderSleutel}");

        var antwoord = await client.PostAsync(
            $"/melding/{melding.Volgcode}/opvolgen/{Sleutels.Nieuw()}?handler=Aanvullen",
            pagina.Token,
            [new("Aanvulling", "Ingebroken aanvulling")]
        );
        var intrekken = await client.PostAsync(
            $"/melding/{melding.Volgcode}/opvolgen/{melding.Volgcode}?handler=Intrekken",
            pagina.Token,
            [new("Bevestigd", "true")]
        );

        Assert.Equal(HttpStatusCode.NotFound, antwoord.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, intrekken.StatusCode);
        await using var connection = await DataSource.OpenConnectionAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM melding_aanvulling"));
        Assert.Equal("gemeld", await connection.QuerySingleAsync<string>("SELECT status FROM melding WHERE id = @Id", new { melding.Id }));
    }

    [Fact]
    public async Task The_melder_withdraws_after_confirming_and_then_cannot_add_more()
    {
        var melding = await NieuweMelding().OpgeslagenAsync();
        var client = Client();
        var pad = $"/melding/{melding.Volgcode}/opvolgen/{melding.MelderSleutel}";
        var pagina = await client.OpenAsync(pad);

        var zonderVink = await client.PostAsync($"{pad}?handler=Intrekken", pagina.Token, []);
        var metVink = await client.PostAsync($"{pad}?handler=Intrekken", pagina.Token, [new("Bevestigd", "true")]);
        var daarna = await client.PostAsync($"{pad}?handler=Aanvullen", pagina.Token, [new("Aanvulling", "Nog iets")]);

        Assert.Equal(HttpStatusCode.BadRequest, zonderVink.StatusCode);
        Assert.Contains("Vink aan dat u de melding wilt intrekken.", await zonderVink.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, metVink.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, daarna.StatusCode);
        await using var connection = await DataSource.OpenConnectionAsync();
        Assert.Equal(
            "ingetrokken",
            await connection.QuerySingleAsync<string>("SELECT status FROM melding WHERE id = @Id", new { melding.Id })
        );
        Assert.Equal(
            1,
            await connection.ExecuteScalarAsync<long>(
                "SELECT count(*) FROM melding_historie WHERE melding_id = @Id AND naar_status = 'ingetrokken' AND door = 'melder'",
                new { melding.Id }
            )
        );
        // Closing starts the retention clock for the contact details.
        Assert.True(
            await connection.QuerySingleAsync<bool>(
                "SELECT verwijderen_na > now() + interval '89 days' FROM melder_contact WHERE melding_id = @Id",
                new { melding.Id }
            )
        );
        Assert.Contains("Ingetrokken", await client.Http.GetStringAsync($"/melding/{melding.Volgcode}"));
    }

    [Fact]
    public async Task The_melder_asks_for_removal_of_personal_data_and_deletes_the_email_address()
    {
        var melding = await NieuweMelding().OpgeslagenAsync();
        var client = Client();
        var pad = $"/melding/{melding.Volgcode}/opvolgen/{melding.MelderSleutel}";
        var pagina = await client.OpenAsync(pad);

        var verzoek = await client.PostAsync(
            $"{pad}?handler=Verzoek",
            pagina.Token,
            [new("Toelichting", "Ik noemde per ongeluk de naam van mijn buurman."), new("WissenBevestigd", "true")]
        );
        var email = await client.PostAsync($"{pad}?handler=EmailVerwijderen", pagina.Token, []);

        Assert.Equal(HttpStatusCode.Redirect, verzoek.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, email.StatusCode);
        await using var connection = await DataSource.OpenConnectionAsync();
        Assert.Equal(
            "persoonsgegevens-verwijderen",
            await connection.QuerySingleAsync<string>("SELECT soort FROM melding_verzoek WHERE melding_id = @Id", new { melding.Id })
        );
        Assert.Equal(
            0,
            await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM melder_contact WHERE melding_id = @Id", new { melding.Id })
        );
        Assert.Contains("geen (anoniem)", await client.Http.GetStringAsync(pad));
    }

    [Fact]
    public async Task Retention_removes_contact_details_once_the_period_after_closing_has_passed()
    {
        var oud = await NieuweMelding().OpgeslagenAsync();
        var open = await NieuweMelding().OpgeslagenAsync();
        await using var connection = await DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("UPDATE melding SET status = 'afgehandeld' WHERE id = @Id", new { oud.Id });
        await connection.ExecuteAsync(
            "UPDATE melder_contact SET verwijderen_na = now() - interval '1 minute' WHERE melding_id = @Id",
            new { oud.Id }
        );
        var opschonen = new Wijkmeldingen.Web.Data.Opschonen(
            DataSource,
            Wijkmeldingen.Web.Domein.Bewaartermijnen.Alle,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<Wijkmeldingen.Web.Data.Opschonen>.Instance
        );

        var contacten = (await opschonen.EenRondeAsync(CancellationToken.None))[Wijkmeldingen.Web.Domein.Bewaartermijnen.Contactgegevens];

        Assert.Equal(1, contacten);
        Assert.Equal(
            0,
            await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM melder_contact WHERE melding_id = @Id", new { oud.Id })
        );
        Assert.Equal(
            1,
            await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM melder_contact WHERE melding_id = @Id", new { open.Id })
        );
        Assert.True(
            await connection.QuerySingleAsync<bool>(
                "SELECT verwijderen_na IS NULL FROM melder_contact WHERE melding_id = @Id",
                new { open.Id }
            )
        );
    }

    [Fact]
    public async Task A_neighbour_follows_a_report_by_email_and_stops_with_the_link_from_the_mail()
    {
        var melding = await NieuweMelding().OpgeslagenAsync();
        var client = Client();
        var pagina = await client.OpenAsync($"/melding/{melding.Volgcode}");

        var fout = await client.PostAsync($"/melding/{melding.Volgcode}?handler=Volgen", pagina.Token, [new("VolgEmail", "geen adres")]);
        var volgen = await client.PostAsync(
            $"/melding/{melding.Volgcode}?handler=Volgen",
            pagina.Token,
            [new("VolgEmail", "buur@example.nl")]
        );

        Assert.Equal(HttpStatusCode.BadRequest, fout.StatusCode);
        Assert.Contains("Vul een geldig e-mailadres in", await fout.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, volgen.StatusCode);
        Assert.Contains("U volgt deze melding", await client.Http.GetStringAsync($"/melding/{melding.Volgcode}"));
        await using var connection = await DataSource.OpenConnectionAsync();
        var tekst = await connection.QuerySingleAsync<string>("SELECT tekst FROM mail_outbox WHERE aan = 'buur@example.nl'");
        var link = System.Text.RegularExpressions.Regex.Match(tekst, $"/melding/{melding.Volgcode}/ontvolgen/[A-Za-z0-9_-]{{43}}").Value;
        Assert.NotEmpty(link);

        var bevestig = await client.Http.GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, bevestig.StatusCode);
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM melding_volger"));
        var form = await client.OpenAsync(link);
        var weg = await client.PostAsync(link, form.Token, []);
        var nogmaals = await client.Http.GetAsync(link);

        Assert.Contains("Uw e-mailadres is verwijderd", await weg.Content.ReadAsStringAsync());
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM melding_volger"));
        Assert.Equal(HttpStatusCode.NotFound, nogmaals.StatusCode);
    }
}
