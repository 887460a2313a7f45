using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Features.Open311;
using Wijkmeldingen.Web.Fotos;
using Xunit.Abstractions;

namespace Wijkmeldingen.Tests.Hosting;

/// <summary>Hostile input at every public query parameter, form field and API parameter: never a
/// 5xx, and script stored in a report is never rendered as markup.</summary>
public sealed class VijandigeInvoerTests(ITestOutputHelper output) : AppTest
{
    private static readonly string[] Waarden =
    [
        "",
        " ",
        "<script>alert(1)</script>",
        "\"><img src=x onerror=alert(1)>",
        "' OR 1=1 --",
        "'; DROP TABLE melding; --",
        "\u0000",
        "%00",
        "../../../../etc/passwd",
        "NaN",
        "Infinity",
        "-1e309",
        "1e309",
        "-0",
        "99999999999999999999",
        "‮evil",
        "😀😀😀",
        new string('x', 20_000),
        "2026-13-45T25:61:00",
        "null",
        "[]",
        "{}",
        "\\",
        "%",
        "€",
        "é",
        // Coordinates: huge, not a number in our culture, outside the Netherlands, at the poles.
        "1e308",
        "-1e308",
        "52,3524",
        "0",
        "90.0000001",
        "-181",
        "51.05",
        "3.2",
        "53.5",
        "7.3",
        // Dates that do not exist or are absurd.
        "2026-02-30",
        "9999-12-31T23:59:59",
        "0001-01-01T00:00",
        "1970-01-01",
        "31-12-2026",
        "2026-11-27T21:30:00+25:00",
        // Control characters, header injection, byte-order mark, a lone surrogate, a long HTML string.
        "\u0001\u0007\u001b[31mrood",
        "regel\r\n\r\nX-Injected: 1",
        "\uFEFFbom",
        "\uD800",
        "<svg/onload=alert(1)>",
        string.Concat(Enumerable.Repeat("<b>vet</b>", 5_000)),
        "javascript:alert(1)",
        "${7*7}{{7*7}}",
    ];

    private static readonly string[] GetPaden =
    [
        "/kaart?rubriek={0}&status={0}&periode={0}&pagina={0}&thema={0}",
        "/kaart/meldingen.geojson?bbox={0}&zoom={0}&rubriek={0}&status={0}&periode={0}",
        "/kaart/meldingen.geojson?bbox=4.58,52.32,4.65,52.37&zoom=17&rubriek={0}&thema={0}&status={0}&periode={0}",
        "/kaart/grenzen.geojson?niveau={0}",
        "/melden?lat={0}&lon={0}&rubriek={0}",
        "/melden/dichtbij?lat={0}&lon={0}&rubriek={0}",
        "/adres/suggest?q={0}&rows={0}",
        "/adres/omgekeerd?lat={0}&lon={0}",
        "/melding?code={0}",
        "/melding/{0}",
        "/melding/ABCD-EFGH-JKMN-PQRS/opvolgen/{0}",
        "/kaart/feed/buurt/{0}.atom",
        "/kaart/volgen?buurt={0}",
        "/kaart/volgen/bevestigen/{0}",
        "/kaart/volgen/opzeggen/{0}",
        "/taal/{0}?terug={0}",
        "/open311/v2/requests.json?service_request_id={0}&service_code={0}&start_date={0}&end_date={0}&status={0}&jurisdiction_id={0}",
        "/open311/v2/requests/{0}.xml",
        "/open311/v2/services/{0}.json",
        "/open311/v2/tokens/{0}.json",
        "/opendata/meldingen.{0}",
        "/melding/ABCD-EFGH-JKMN-PQRS/ontvolgen/{0}",
        "/wijkwandelingen/afmelden/{0}",
        "/wijkwandelingen/aanmelding/{0}",
        "/wijkwandelingen/{0}",
        "/wijkwandelingen/1/verslag?x={0}",
        "/wijkwandelingen/1/fotos/{0}.jpg",
        "/wijkwandelingen/1/agenda.ics?x={0}",
        "/wijken/{0}",
        "/wijken/WK039700?periode={0}&van={0}&tot={0}&rubriek={0}",
        "/wijken/kpi?jaar={0}&periode={0}",
        "/melden/bedankt/{0}",
        "/melden/foto/{0}",
        "/beheer/wachtwoord/{0}",
        "/beheer/inloggen?terug={0}",
        "/open311/v2/discovery.{0}",
        "/kaart/feed/wijk/{0}.atom",
        "/fout/{0}",
    ];

    [Fact]
    public async Task No_query_parameter_value_causes_a_server_error()
    {
        var client = App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var gevallen = 0;
        var fouten = new List<string>();
        foreach (var pad in GetPaden)
        {
            // A NUL in the path is refused by the host itself (Kestrel answers 400) before the app sees it.
            var inPad =
                pad.IndexOf("{0}", StringComparison.Ordinal)
                < (pad.Contains('?', StringComparison.Ordinal) ? pad.IndexOf('?', StringComparison.Ordinal) : int.MaxValue);
            foreach (var waarde in Waarden.Where(w => !(inPad && w.Contains('\0', StringComparison.Ordinal))))
            {
                var url = string.Format(
                    System.Globalization.CultureInfo.InvariantCulture,
                    pad,
                    Uri.EscapeDataString(waarde.Length > 2000 ? waarde[..2000] : waarde)
                );
                var antwoord = await client.GetAsync(url);
                gevallen++;
                if ((int)antwoord.StatusCode >= 500)
                {
                    fouten.Add($"{(int)antwoord.StatusCode} {url[..Math.Min(url.Length, 120)]}");
                }
            }
        }
        output.WriteLine($"{gevallen} GET cases tried");
        Assert.True(fouten.Count == 0, string.Join("\n", fouten));
    }

    [Fact]
    public async Task No_form_field_value_causes_a_server_error_and_stored_script_is_never_markup()
    {
        var client = new FormulierClient(App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }));
        var velden = new[]
        {
            "Invoer.Lat",
            "Invoer.Lon",
            "Invoer.Plek",
            "Invoer.PlekKeuze",
            "Invoer.Rubriek",
            "Invoer.Omschrijving",
            "Invoer.VoorgevallenOp",
            "Invoer.MelderType",
            "Invoer.Bedrijfsnaam",
            "Invoer.Email",
            "Invoer.IdempotentieSleutel",
            "Invoer.BewaardeFotos",
        };
        var gevallen = 0;
        var fouten = new List<string>();
        await using var app = new WijkAppFactory(
            Database.ConnectionString,
            new Dictionary<string, string?> { ["Melden:RateLimietAantal"] = "100000" }
        );
        client = new FormulierClient(app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }));
        var pagina = await client.OpenAsync("/melden");
        foreach (var veld in velden)
        {
            foreach (var waarde in Waarden)
            {
                var basis = new Dictionary<string, string>
                {
                    ["Invoer.Lat"] = TestGemeente.PlekTekst(52.3524, 4.6192).Lat,
                    ["Invoer.Lon"] = TestGemeente.PlekTekst(52.3524, 4.6192).Lon,
                    ["Invoer.Rubriek"] = "jeugdoverlast",
                    ["Invoer.Omschrijving"] = "Een gewone omschrijving van de overlast.",
                    ["Invoer.IdempotentieSleutel"] = Guid.NewGuid().ToString(),
                };
                basis[veld] = waarde;
                var antwoord = await client.PostAsync("/melden", pagina.Token, basis);
                gevallen++;
                if ((int)antwoord.StatusCode >= 500)
                {
                    fouten.Add($"{(int)antwoord.StatusCode} {veld}={waarde[..Math.Min(waarde.Length, 40)]}");
                }
            }
        }

        // The reports that were accepted with script in their text render it as text.
        await using var connection = await DataSource.OpenConnectionAsync();
        var scripts = (
            await connection.QueryAsync<string>(
                "SELECT volgcode FROM melding WHERE omschrijving LIKE '%<script>%' OR bedrijfsnaam LIKE '%<script>%'"
            )
        ).ToList();
        output.WriteLine($"{gevallen} form cases tried, {scripts.Count} reports stored with script in them");
        Assert.True(fouten.Count == 0, string.Join("\n", fouten));
        Assert.NotEmpty(scripts);
        foreach (var code in scripts)
        {
            var html = await client.Http.GetStringAsync($"/melding/{code}");
            Assert.DoesNotContain("<script>alert(1)</script>", html);
        }
    }

    [Fact]
    public async Task No_open311_parameter_value_causes_a_server_error()
    {
        var sleutel = await ApiSleutels.MaakAsync(DataSource, "fuzz");
        await using var app = new WijkAppFactory(
            Database.ConnectionString,
            new Dictionary<string, string?> { ["Open311:PerSleutelPerMinuut"] = "100000", ["Open311:PerClientPerMinuut"] = "100000" }
        );
        var client = app.CreateClient();
        var parameters = new[]
        {
            "api_key",
            "service_code",
            "lat",
            "long",
            "address_string",
            "description",
            "email",
            "first_name",
            "last_name",
            "phone",
            "media_url",
            "attribute[voorgevallen_op]",
            "jurisdiction_id",
        };
        var gevallen = 0;
        var fouten = new List<string>();
        foreach (var parameter in parameters)
        {
            foreach (var waarde in Waarden)
            {
                var velden = new Dictionary<string, string>
                {
                    ["api_key"] = sleutel,
                    ["service_code"] = "parkeeroverlast",
                    ["lat"] = TestGemeente.PlekTekst(52.3524, 4.6192).Lat,
                    ["long"] = TestGemeente.PlekTekst(52.3524, 4.6192).Lon,
                    ["description"] = $"Fuzz {Guid.NewGuid()} parkeren.",
                };
                velden[parameter] = waarde;
                using var inhoud = new FormUrlEncodedContent(velden);
                var antwoord = await client.PostAsync("/open311/v2/requests.json", inhoud);
                gevallen++;
                if ((int)antwoord.StatusCode >= 500)
                {
                    fouten.Add($"{(int)antwoord.StatusCode} {parameter}={waarde[..Math.Min(waarde.Length, 40)]}");
                }
            }
        }
        output.WriteLine($"{gevallen} Open311 POST cases tried");
        Assert.True(fouten.Count == 0, string.Join("\n", fouten));
        Assert.Equal(
            HttpStatusCode.BadRequest,
            (
                await client.PostAsync(
                    "/open311/v2/requests.json",
                    new StringContent("{\"json\":true}", System.Text.Encoding.UTF8, "application/json")
                )
            ).StatusCode
        );
    }

    private static string Kort(string waarde) => waarde.Length > 40 ? waarde[..40] + "…" : waarde;

    /// <summary>Outcome per status code, printed with the number of cases so it can be quoted.</summary>
    private sealed class Uitkomsten(ITestOutputHelper output, string naam)
    {
        private readonly SortedDictionary<int, int> perStatus = [];
        public List<string> Fouten { get; } = [];
        public int Gevallen { get; private set; }

        public void Tel(HttpResponseMessage antwoord, string wat)
        {
            Gevallen++;
            var status = (int)antwoord.StatusCode;
            perStatus[status] = perStatus.GetValueOrDefault(status) + 1;
            if (status >= 500)
            {
                Fouten.Add($"{status} {wat}");
            }
        }

        public void Schrijf() =>
            output.WriteLine(
                $"{naam}: {Gevallen} cases, outcomes {string.Join(", ", perStatus.Select(p => $"{p.Key}×{p.Value}"))}, "
                    + $"{Fouten.Count} server errors"
            );
    }

    [Fact]
    public async Task No_field_of_any_other_public_form_causes_a_server_error_and_stored_script_stays_text()
    {
        var melding = await Een.Melding(DataSource).Email("melder@example.nl").OpgeslagenAsync();
        var wandeling = await Een.Wandeling(App.Services)
            .Titel("Fuzzwandeling")
            .Route((52.3524, 4.6192), (52.3530, 4.6210))
            .Omschrijving("Langs de winkels.", "Rustig tempo.")
            .Capaciteit(500)
            .OpgeslagenAsync();
        await using var app = new WijkAppFactory(
            Database.ConnectionString,
            new Dictionary<string, string?> { ["Melden:RateLimietAantal"] = "100000" }
        );
        var client = new FormulierClient(app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }));
        // Antiforgery tokens are not tied to a form: one token from /melden serves every post of this client.
        var token = (await client.OpenAsync("/melden")).Token;
        var opvolgen = $"/melding/{melding.Volgcode}/opvolgen/{melding.MelderSleutel}";
        var formulieren = new (string Pad, string[] Velden)[]
        {
            ($"/melding/{melding.Volgcode}?handler=Volgen", ["VolgEmail"]),
            ($"{opvolgen}?handler=Aanvullen", ["Aanvulling", "Bevestigd", "Toelichting"]),
            ($"{opvolgen}?handler=Verzoek", ["Toelichting", "Bevestigd"]),
            ("/kaart/volgen", ["Buurt", "Soort", "Adres", "Straal", "Email", "Frequentie"]),
            ($"/wijkwandelingen/{wandeling}", ["Naam", "Email", "Personen"]),
            ("/wijkwandelingen/afmelden/{0}", []),
            ("/wijkwandelingen/aanmelding/{0}", []),
            ($"/melding/{melding.Volgcode}/opvolgen/{{0}}?handler=Aanvullen", []),
            ($"/melding/{melding.Volgcode}/opvolgen/{{0}}?handler=Intrekken", []),
            ($"/melding/{melding.Volgcode}/ontvolgen/{{0}}", []),
            ("/beheer/inloggen", ["Email", "Wachtwoord"]),
            ("/beheer/wachtwoord/0b0e7d2e-6a4f-4e55-9d7e-3f1f6a1c2b3d", ["Nieuw", "Herhaal"]),
        };
        var uitkomsten = new Uitkomsten(output, "other public forms");
        foreach (var (pad, velden) in formulieren)
        {
            foreach (var waarde in Waarden)
            {
                if (pad.Contains("{0}", StringComparison.Ordinal))
                {
                    // The value is the key in the path (NUL is refused by the host before the app).
                    if (waarde.Contains('\0', StringComparison.Ordinal))
                    {
                        continue;
                    }
                    var url = string.Format(
                        System.Globalization.CultureInfo.InvariantCulture,
                        pad,
                        Uri.EscapeDataString(waarde.Length > 2000 ? waarde[..2000] : waarde)
                    );
                    uitkomsten.Tel(await client.PostAsync(url, token, []), $"{pad} key={Kort(waarde)}");
                    continue;
                }
                foreach (var veld in velden)
                {
                    var invoer = velden.ToDictionary(
                        v => v,
                        v => v.Contains("mail", StringComparison.OrdinalIgnoreCase) ? "fuzz@example.nl" : "Gewone tekst voor dit veld"
                    );
                    invoer[veld] = waarde;
                    uitkomsten.Tel(await client.PostAsync(pad, token, invoer), $"{pad} {veld}={Kort(waarde)}");
                }
            }
        }
        uitkomsten.Schrijf();
        Assert.True(uitkomsten.Fouten.Count == 0, string.Join("\n", uitkomsten.Fouten));

        // Script sent as text is shown as text wherever the portal renders it back.
        await using var connection = await DataSource.OpenConnectionAsync();
        Assert.True(
            await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM melding_aanvulling WHERE tekst LIKE '%<script>%'") > 0,
            "no addition with script in it was stored, so the escaping below proves nothing"
        );
        foreach (var publiek in new[] { $"/melding/{melding.Volgcode}", opvolgen })
        {
            var pagina = await client.Http.GetStringAsync(publiek);
            Assert.DoesNotContain("<script>alert(1)</script>", pagina);
            Assert.DoesNotContain("<img src=x onerror", pagina);
        }
        await BeheerAccounts.MaakAsync(
            app.Services,
            "fuzz-organisator@heemstede.nl",
            "Fuzz Organisator",
            Rollen.Organisator,
            Rollen.Beheerder,
            Rollen.Wijkprofessional
        );
        var beheer = await BeheerAccounts.IngelogdAsync(app, "fuzz-organisator@heemstede.nl");
        foreach (var beheerPad in new[] { $"/beheer/meldingen/{melding.Id}", "/beheer/meldingen" })
        {
            var antwoord = await beheer.Http.GetAsync(beheerPad);
            var html = await antwoord.Content.ReadAsStringAsync();
            Assert.True((int)antwoord.StatusCode < 500, beheerPad);
            Assert.DoesNotContain("<script>alert(1)</script>", html);
            Assert.DoesNotContain("<img src=x onerror", html);
        }
    }

    [Fact]
    public async Task Broken_huge_and_bomb_images_are_refused_quickly_without_a_server_error()
    {
        var melding = await Een.Melding(DataSource).Met("Auto op de stoep bij de slager.").OpgeslagenAsync();
        await using var app = new WijkAppFactory(
            Database.ConnectionString,
            new Dictionary<string, string?> { ["Melden:RateLimietAantal"] = "100000" }
        );
        var client = new FormulierClient(app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }));
        var token = (await client.OpenAsync("/melden")).Token;
        var jpeg = TestFotos.Jpeg(320, 240);
        var random = new byte[256 * 1024];
        new Random(397).NextBytes(random);
        var bommen = new (string Naam, byte[] Inhoud, string Type)[]
        {
            ("bom-20000.png", TestFotos.PngMetAfmetingen(20_000, 20_000), "image/png"),
            ("bom-65535.png", TestFotos.PngMetAfmetingen(65_535, 65_535), "image/png"),
            ("bom-1x2147483647.png", TestFotos.PngMetAfmetingen(1, int.MaxValue), "image/png"),
            ("nul.png", TestFotos.PngMetAfmetingen(0, 0), "image/png"),
            ("afgekapt.jpg", jpeg[..(jpeg.Length / 3)], "image/jpeg"),
            ("alleen-kop.jpg", jpeg[..4], "image/jpeg"),
            ("ruis.jpg", random, "image/jpeg"),
            ("geen-foto.jpg", TestFotos.GeenFoto(), "image/jpeg"),
            (
                "script.svg",
                "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"><script>alert(1)</script></svg>"u8.ToArray(),
                "image/svg+xml"
            ),
            ("foto.jpg", jpeg, "text/html"),
            ("foto.jpg", jpeg, "application/x-msdownload"),
            ("te-groot.jpg", [.. jpeg, .. new byte[11 * 1024 * 1024]], "image/jpeg"),
            ("leeg.jpg", [], "image/jpeg"),
            ("../../etc/passwd", jpeg, "image/jpeg"),
            ("<script>alert(1)</script>.jpg", jpeg, "image/jpeg"),
        };
        var uitkomsten = new Uitkomsten(output, "hostile images");
        var opvolgen = $"/melding/{melding.Volgcode}/opvolgen/{melding.MelderSleutel}?handler=Aanvullen";
        foreach (var (naam, inhoud, type) in bommen)
        {
            var klok = Stopwatch.StartNew();
            var melden = await client.PostAsync(
                "/melden",
                token,
                new Dictionary<string, string>
                {
                    ["Invoer.Lat"] = TestGemeente.PlekTekst(52.3524, 4.6192).Lat,
                    ["Invoer.Lon"] = TestGemeente.PlekTekst(52.3524, 4.6192).Lon,
                    ["Invoer.Rubriek"] = "parkeeroverlast",
                    ["Invoer.Omschrijving"] = "Foto-fuzz " + naam,
                    ["Invoer.IdempotentieSleutel"] = Guid.NewGuid().ToString(),
                },
                [("Invoer.Fotos", naam, inhoud, type)]
            );
            uitkomsten.Tel(melden, $"/melden photo {naam}");
            var aanvullen = await client.PostAsync(
                opvolgen,
                token,
                [new("Aanvulling", "Foto-fuzz " + naam)],
                [("Foto", naam, inhoud, type)]
            );
            uitkomsten.Tel(aanvullen, $"opvolgen photo {naam}");
            Assert.True(klok.Elapsed < TimeSpan.FromSeconds(10), $"{naam} took {klok.Elapsed}");
        }
        uitkomsten.Schrijf();
        Assert.True(uitkomsten.Fouten.Count == 0, string.Join("\n", uitkomsten.Fouten));
        await using (var connection = await DataSource.OpenConnectionAsync())
        {
            // Only the real JPEGs (under a wrong name or type at most) were stored; never a bomb.
            Assert.Equal(
                0,
                await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM melding_foto WHERE breedte > 4000 OR hoogte > 4000")
            );
        }

        // The decoder itself: the 20000×20000 bomb (1.6 GB of pixels) is refused from its header,
        // in milliseconds and without allocating the pixels.
        var verwerker = app.Services.GetRequiredService<FotoVerwerker>();
        var bom = TestFotos.PngMetAfmetingen(20_000, 20_000);
        var voor = GC.GetAllocatedBytesForCurrentThread();
        var stopwatch = Stopwatch.StartNew();
        var resultaat = verwerker.Verwerk(bom, "bom.png");
        stopwatch.Stop();
        var gealloceerd = GC.GetAllocatedBytesForCurrentThread() - voor;
        output.WriteLine(
            $"20000×20000 PNG bomb ({bom.Length} bytes): refused in {stopwatch.Elapsed.TotalMilliseconds:0.0} ms, "
                + $"{gealloceerd / 1024} KiB allocated"
        );
        Assert.False(resultaat.Gelukt);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(1));
        Assert.True(gealloceerd < 10 * 1024 * 1024, $"{gealloceerd} bytes allocated");
    }

    [Fact]
    public async Task Wrong_content_types_huge_json_and_oversized_bodies_get_a_4xx_not_a_5xx()
    {
        var sleutel = await ApiSleutels.MaakAsync(DataSource, "fuzz-types");
        await using var app = new WijkAppFactory(
            Database.ConnectionString,
            new Dictionary<string, string?>
            {
                ["Open311:PerSleutelPerMinuut"] = "100000",
                ["Open311:PerClientPerMinuut"] = "100000",
                ["Melden:RateLimietAantal"] = "100000",
            }
        );
        var client = new FormulierClient(app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }));
        var token = (await client.OpenAsync("/melden")).Token;
        var diep = new string('[', 100_000) + new string(']', 100_000);
        var groot = "{\"description\":\"" + new string('a', 8 * 1024 * 1024) + "\"}";
        var veel = "{" + string.Join(",", Enumerable.Range(0, 100_000).Select(i => $"\"k{i}\":{i}")) + "}";
        var lichamen = new (string Naam, Func<HttpContent> Maak)[]
        {
            ("deep json", () => new StringContent(diep, Encoding.UTF8, "application/json")),
            ("8 MB json", () => new StringContent(groot, Encoding.UTF8, "application/json")),
            ("100k keys json", () => new StringContent(veel, Encoding.UTF8, "application/json")),
            ("xml", () =>
                new StringContent(
                    "<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><a>&x;</a>",
                    Encoding.UTF8,
                    "application/xml"
                )
            ),
            ("text", () => new StringContent("api_key=" + sleutel + "&service_code=parkeeroverlast", Encoding.UTF8, "text/plain")),
            ("no content type", () => new ByteArrayContent("api_key=x"u8.ToArray())),
            ("broken multipart", () =>
            {
                var inhoud = new ByteArrayContent("--abc\r\nContent-Disposition: form-data; name=\"api_key\"\r\n\r\nx\r\n--ab"u8.ToArray());
                inhoud.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=abc");
                return inhoud;
            }),
            ("multipart without boundary", () =>
            {
                var inhoud = new ByteArrayContent("x"u8.ToArray());
                inhoud.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data");
                return inhoud;
            }),
            ("form with bad charset", () =>
            {
                var inhoud = new ByteArrayContent("api_key=%ZZ%&service_code=%C3%28"u8.ToArray());
                inhoud.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-www-form-urlencoded; charset=klingon");
                return inhoud;
            }),
            ("50 MB form", () =>
                new StringContent(
                    "api_key=" + sleutel + "&description=" + new string('a', 50 * 1024 * 1024),
                    Encoding.UTF8,
                    "application/x-www-form-urlencoded"
                )
            ),
            ("10k form fields", () =>
                new FormUrlEncodedContent(Enumerable.Range(0, 10_000).Select(i => new KeyValuePair<string, string>($"f{i}", "x")))
            ),
        };
        var doelen = new[] { "/open311/v2/requests.json", "/open311/v2/requests.xml", "/melden", "/kaart/volgen", "/beheer/inloggen" };
        var uitkomsten = new Uitkomsten(output, "content types and bodies");
        foreach (var doel in doelen)
        {
            foreach (var (naam, maak) in lichamen)
            {
                using var inhoud = maak();
                uitkomsten.Tel(await client.Http.PostAsync(doel, inhoud), $"{doel} {naam}");
            }
        }
        // A GET with a huge query string and a form posted to a GET-only endpoint.
        uitkomsten.Tel(await client.Http.GetAsync("/kaart/meldingen.geojson?bbox=" + new string('1', 100_000) + "&zoom=17"), "huge query");
        using (var formulier = new FormUrlEncodedContent([new("x", "y")]))
        {
            uitkomsten.Tel(await client.Http.PostAsync("/kaart/meldingen.geojson", formulier), "POST to a GET endpoint");
        }
        uitkomsten.Schrijf();
        Assert.True(uitkomsten.Fouten.Count == 0, string.Join("\n", uitkomsten.Fouten));
        await using var connection = await DataSource.OpenConnectionAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM melding"));
    }
}
