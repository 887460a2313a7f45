using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using Dapper;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Tests.Geo;
using Wijkmeldingen.Web.Features.Open311;

namespace Wijkmeldingen.Tests.Features.Open311;

/// <summary>GeoReport v2 conformance: every endpoint in both formats, the spec's field names and
/// types, its content types and its error form; filing follows the web form's rules.</summary>
public sealed class Open311Tests : AppTest
{
    private const string Xml = "text/xml; charset=utf-8";
    private const string Json = "application/json; charset=utf-8";
    private string sleutel = "";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        sleutel = await ApiSleutels.MaakAsync(DataSource, "testapp");
    }

    private async Task<(HttpResponseMessage Antwoord, string Body)> Get(string pad)
    {
        var antwoord = await App.CreateClient().GetAsync(pad);
        return (antwoord, await antwoord.Content.ReadAsStringAsync());
    }

    private async Task<(HttpResponseMessage Antwoord, string Body)> Post(string formaat, params (string, string)[] velden)
    {
        using var inhoud = new FormUrlEncodedContent(velden.Select(v => new KeyValuePair<string, string>(v.Item1, v.Item2)));
        var antwoord = await App.CreateClient().PostAsync($"/open311/v2/requests.{formaat}", inhoud);
        return (antwoord, await antwoord.Content.ReadAsStringAsync());
    }

    private (string, string)[] Geldig(params (string, string)[] extra) =>
        [
            ("api_key", sleutel),
            ("service_code", "parkeeroverlast"),
            ("lat", TestGemeente.PlekTekst(52.3524, 4.6192).Lat),
            ("long", TestGemeente.PlekTekst(52.3524, 4.6192).Lon),
            ("description", "Bestelbus staat elke dag op het trottoir."),
            .. extra,
        ];

    private static void AssertFout(HttpResponseMessage antwoord, string body, HttpStatusCode status, string formaat)
    {
        Assert.Equal(status, antwoord.StatusCode);
        if (formaat == "json")
        {
            Assert.Equal(Json, antwoord.Content.Headers.ContentType?.ToString());
            var fout = Assert.Single(JsonDocument.Parse(body).RootElement.EnumerateArray());
            Assert.Equal((int)status, fout.GetProperty("code").GetInt32());
            Assert.Equal(JsonValueKind.String, fout.GetProperty("description").ValueKind);
        }
        else
        {
            Assert.Equal(Xml, antwoord.Content.Headers.ContentType?.ToString());
            var fout = Assert.Single(XDocument.Parse(body).Root!.Elements("error"));
            Assert.Equal("errors", fout.Parent!.Name.LocalName);
            Assert.Equal(((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture), fout.Element("code")!.Value);
            Assert.False(string.IsNullOrEmpty(fout.Element("description")!.Value));
        }
        Assert.DoesNotContain("Exception", body);
    }

    [Fact]
    public async Task Discovery_in_both_formats()
    {
        var (jsonAntwoord, json) = await Get("/open311/v2/discovery.json");
        var (xmlAntwoord, xml) = await Get("/open311/v2/discovery.xml");

        Assert.Equal(Json, jsonAntwoord.Content.Headers.ContentType?.ToString());
        Assert.Equal(Xml, xmlAntwoord.Content.Headers.ContentType?.ToString());
        var d = JsonDocument.Parse(json).RootElement;
        foreach (var veld in new[] { "changeset", "contact", "key_service" })
        {
            Assert.Equal(JsonValueKind.String, d.GetProperty(veld).ValueKind);
        }
        Assert.True(
            DateTimeOffset.TryParse(d.GetProperty("changeset").GetString(), System.Globalization.CultureInfo.InvariantCulture, out _)
        );
        var endpoint = Assert.Single(d.GetProperty("endpoints").EnumerateArray());
        Assert.Equal("http://wiki.open311.org/GeoReport_v2", endpoint.GetProperty("specification").GetString());
        Assert.EndsWith("/open311/v2", endpoint.GetProperty("url").GetString());
        Assert.Equal("production", endpoint.GetProperty("type").GetString());
        Assert.Equal(["text/xml", "application/json"], endpoint.GetProperty("formats").EnumerateArray().Select(f => f.GetString()));
        var root = XDocument.Parse(xml).Root!;
        Assert.Equal("discovery", root.Name.LocalName);
        Assert.Equal(
            ["text/xml", "application/json"],
            root.Element("endpoints")!.Element("endpoint")!.Element("formats")!.Elements("format").Select(f => f.Value)
        );
    }

    [Fact]
    public async Task Services_list_our_categories_with_the_spec_fields_and_types()
    {
        var (jsonAntwoord, json) = await Get("/open311/v2/services.json");
        var (_, xml) = await Get("/open311/v2/services.xml");

        Assert.Equal(HttpStatusCode.OK, jsonAntwoord.StatusCode);
        var diensten = JsonDocument.Parse(json).RootElement.EnumerateArray().ToList();
        Assert.Equal(9, diensten.Count);
        foreach (var dienst in diensten)
        {
            foreach (var veld in new[] { "service_code", "service_name", "description", "type", "keywords", "group" })
            {
                Assert.Equal(JsonValueKind.String, dienst.GetProperty(veld).ValueKind);
            }
            Assert.Equal(JsonValueKind.True, dienst.GetProperty("metadata").ValueKind);
            Assert.Equal("realtime", dienst.GetProperty("type").GetString());
        }
        Assert.Contains(diensten, d =>
            d.GetProperty("service_code").GetString() == "te-hard-rijden" && d.GetProperty("group").GetString() == "Verkeer"
        );
        var xmlDiensten = XDocument.Parse(xml).Root!;
        Assert.Equal("services", xmlDiensten.Name.LocalName);
        Assert.Equal(9, xmlDiensten.Elements("service").Count());
        Assert.Equal("true", xmlDiensten.Elements("service").First().Element("metadata")!.Value);
    }

    [Theory]
    [InlineData("json")]
    [InlineData("xml")]
    public async Task Service_definition_and_unknown_service(string formaat)
    {
        var (antwoord, body) = await Get($"/open311/v2/services/jeugdoverlast.{formaat}");
        var (onbekend, onbekendBody) = await Get($"/open311/v2/services/bestaat-niet.{formaat}");

        Assert.Equal(HttpStatusCode.OK, antwoord.StatusCode);
        if (formaat == "json")
        {
            var d = JsonDocument.Parse(body).RootElement;
            Assert.Equal("jeugdoverlast", d.GetProperty("service_code").GetString());
            // voorgevallen_op first, then the category's extra questions (RubriekVragenTests).
            var attribuut = d.GetProperty("attributes").EnumerateArray().First();
            Assert.Equal(JsonValueKind.True, attribuut.GetProperty("variable").ValueKind);
            Assert.Equal("voorgevallen_op", attribuut.GetProperty("code").GetString());
            Assert.Equal("datetime", attribuut.GetProperty("datatype").GetString());
            Assert.Equal(JsonValueKind.False, attribuut.GetProperty("required").ValueKind);
            Assert.Equal(1, attribuut.GetProperty("order").GetInt32());
        }
        else
        {
            var root = XDocument.Parse(body).Root!;
            Assert.Equal("service_definition", root.Name.LocalName);
            Assert.Equal("voorgevallen_op", root.Element("attributes")!.Element("attribute")!.Element("code")!.Value);
        }
        AssertFout(onbekend, onbekendBody, HttpStatusCode.NotFound, formaat);
    }

    [Theory]
    [InlineData("json")]
    [InlineData("xml")]
    public async Task A_request_filed_through_the_api_is_stored_like_a_web_report_and_readable(string formaat)
    {
        var (antwoord, body) = await Post(
            formaat,
            Geldig(
                ("email", "app-gebruiker@example.nl"),
                ("first_name", "Anna"),
                ("attribute[voorgevallen_op]", "2026-11-01T08:15:00+01:00")
            )
        );

        Assert.Equal(HttpStatusCode.OK, antwoord.StatusCode);
        var id =
            formaat == "json"
                ? Assert.Single(JsonDocument.Parse(body).RootElement.EnumerateArray()).GetProperty("service_request_id").GetString()!
                : XDocument.Parse(body).Root!.Element("request")!.Element("service_request_id")!.Value;
        await using var connection = await DataSource.OpenConnectionAsync();
        var melding = await connection.QuerySingleAsync<(string Bron, string Buurt, long? Sleutel)>(
            "SELECT bron, buurt_code, api_sleutel_id FROM melding WHERE volgcode = @id",
            new { id }
        );
        Assert.Equal(("api", TestGemeente.EersteBuurt), (melding.Bron, melding.Buurt));
        Assert.NotNull(melding.Sleutel);
        Assert.Equal(
            ("app-gebruiker@example.nl", "Anna"),
            await connection.QuerySingleAsync<(string, string)>(
                "SELECT c.email, c.naam FROM melder_contact c JOIN melding m ON m.id = c.melding_id WHERE m.volgcode = @id",
                new { id }
            )
        );
        Assert.Equal(
            1,
            await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM mail_outbox WHERE aan = 'app-gebruiker@example.nl'")
        );
        // It is on the tracking page too.
        Assert.Contains("Parkeeroverlast", (await Get($"/melding/{id}")).Body);

        var (leesAntwoord, lees) = await Get($"/open311/v2/requests/{id}.json");
        Assert.Equal(HttpStatusCode.OK, leesAntwoord.StatusCode);
        var verzoek = Assert.Single(JsonDocument.Parse(lees).RootElement.EnumerateArray());
        Assert.Equal(id, verzoek.GetProperty("service_request_id").GetString());
        Assert.Equal("open", verzoek.GetProperty("status").GetString());
        Assert.Equal("parkeeroverlast", verzoek.GetProperty("service_code").GetString());
        Assert.Equal(JsonValueKind.Number, verzoek.GetProperty("lat").ValueKind);
        Assert.Equal(JsonValueKind.Number, verzoek.GetProperty("long").ValueKind);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$", verzoek.GetProperty("requested_datetime").GetString());
        Assert.False(verzoek.TryGetProperty("description", out _));
        Assert.DoesNotContain("trottoir", lees);
        Assert.DoesNotContain("app-gebruiker", lees);
    }

    [Fact]
    public async Task A_status_change_in_the_back_office_shows_up_through_get_requests()
    {
        var (_, body) = await Post("json", Geldig());
        var id = JsonDocument.Parse(body).RootElement[0].GetProperty("service_request_id").GetString()!;
        await using (var connection = await DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync(
                """
                UPDATE melding SET status = 'afgehandeld', gewijzigd_op = now() WHERE volgcode = @id;
                INSERT INTO melding_historie (melding_id, van_status, naar_status, door, bericht)
                SELECT id, 'gemeld', 'afgehandeld', 'handhaver', 'De bestelbus is weggesleept.' FROM melding WHERE volgcode = @id;
                """,
                new { id }
            );
        }

        var (_, xml) = await Get($"/open311/v2/requests.xml?service_request_id={id}");
        var (_, gesloten) = await Get("/open311/v2/requests.json?status=closed");
        var (_, open) = await Get("/open311/v2/requests.json?status=open");

        var request = XDocument.Parse(xml).Root!.Element("request")!;
        Assert.Equal("closed", request.Element("status")!.Value);
        Assert.Equal("De bestelbus is weggesleept.", request.Element("status_notes")!.Value);
        Assert.Contains(id, gesloten);
        Assert.DoesNotContain(id, open);
    }

    [Fact]
    public async Task A_service_request_id_list_overrides_every_other_filter_and_status_takes_a_comma_list()
    {
        async Task<string> Nieuw(string beschrijving)
        {
            var (_, body) = await Post(
                "json",
                Geldig().Select(v => v.Item1 == "description" ? ("description", beschrijving) : v).ToArray()
            );
            return JsonDocument.Parse(body).RootElement[0].GetProperty("service_request_id").GetString()!;
        }
        var open = await Nieuw("Bestelbus staat elke dag op het trottoir.");
        var gesloten = await Nieuw("Aanhanger staat al weken voor de school.");
        await using (var connection = await DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("UPDATE melding SET status = 'afgehandeld' WHERE volgcode = @gesloten", new { gesloten });
        }

        // GeoReport v2: "If this parameter is entered, all other parameters are ignored"
        // (service_code, status and the dates alike).
        var (opId, opIdBody) = await Get(
            $"/open311/v2/requests.json?service_request_id={open},{gesloten}&service_code=jeugdoverlast&status=open"
                + "&start_date=2020-01-01T00:00:00Z&end_date=2020-01-02T00:00:00Z"
        );
        var (beide, beideBody) = await Get("/open311/v2/requests.json?status=open,closed");
        var (_, metSpatie) = await Get("/open311/v2/requests.xml?status=closed,%20open");
        var (_, alleenOpen) = await Get("/open311/v2/requests.json?status=open");
        var (fout, foutBody) = await Get("/open311/v2/requests.json?status=open,half");

        Assert.Equal(HttpStatusCode.OK, opId.StatusCode);
        Assert.Equal(
            new[] { open, gesloten }.Order(StringComparer.Ordinal),
            JsonDocument
                .Parse(opIdBody)
                .RootElement.EnumerateArray()
                .Select(v => v.GetProperty("service_request_id").GetString()!)
                .Order(StringComparer.Ordinal)
        );
        Assert.Equal(HttpStatusCode.OK, beide.StatusCode);
        Assert.Contains(open, beideBody);
        Assert.Contains(gesloten, beideBody);
        Assert.Contains(open, metSpatie);
        Assert.Contains(gesloten, metSpatie);
        Assert.Contains(open, alleenOpen);
        Assert.DoesNotContain(gesloten, alleenOpen);
        AssertFout(fout, foutBody, HttpStatusCode.BadRequest, "json");
    }

    [Fact]
    public async Task Sensitive_reports_can_be_filed_but_are_never_listed()
    {
        var (antwoord, body) = await Post(
            "json",
            Geldig().Select(v => v.Item1 == "service_code" ? ("service_code", "drugsafval") : v).ToArray()
        );
        var id = JsonDocument.Parse(body).RootElement[0].GetProperty("service_request_id").GetString()!;

        var (los, losBody) = await Get($"/open311/v2/requests/{id}.json");
        var (_, lijst) = await Get("/open311/v2/requests.json");
        var (_, opDienst) = await Get("/open311/v2/requests.json?service_code=drugsafval");

        Assert.Equal(HttpStatusCode.OK, antwoord.StatusCode);
        AssertFout(los, losBody, HttpStatusCode.NotFound, "json");
        Assert.DoesNotContain(id, lijst);
        Assert.Equal("[]", opDienst);
    }

    [Theory]
    [InlineData("json")]
    [InlineData("xml")]
    public async Task Every_error_case_answers_in_the_spec_form(string formaat)
    {
        var zonderSleutel = await Post(formaat, Geldig().Where(v => v.Item1 != "api_key").ToArray());
        var fouteSleutel = await Post(formaat, Geldig().Select(v => v.Item1 == "api_key" ? ("api_key", "wm_verkeerd") : v).ToArray());
        var onbekend = await Post(formaat, Geldig().Select(v => v.Item1 == "service_code" ? ("service_code", "vuurwerk") : v).ToArray());
        var zonderPlek = await Post(formaat, Geldig().Where(v => v.Item1 is not ("lat" or "long")).ToArray());
        var buiten = await Post(
            formaat,
            Geldig()
                .Select(v =>
                    v.Item1 == "lat" ? ("lat", "52.3731")
                    : v.Item1 == "long" ? ("long", "4.8926")
                    : v
                )
                .ToArray()
        );
        var kort = await Post(formaat, Geldig().Select(v => v.Item1 == "description" ? ("description", "kort") : v).ToArray());
        var datum = await Get($"/open311/v2/requests.{formaat}?start_date=gisteren");
        var status = await Get($"/open311/v2/requests.{formaat}?status=half");
        var jurisdictie = await Get($"/open311/v2/services.{formaat}?jurisdiction_id=amsterdam.nl");
        var onbekendVerzoek = await Get($"/open311/v2/requests/AAAA-BBBB-CCCC-DDDD.{formaat}");

        AssertFout(zonderSleutel.Antwoord, zonderSleutel.Body, HttpStatusCode.Forbidden, formaat);
        AssertFout(fouteSleutel.Antwoord, fouteSleutel.Body, HttpStatusCode.Forbidden, formaat);
        AssertFout(onbekend.Antwoord, onbekend.Body, HttpStatusCode.NotFound, formaat);
        AssertFout(zonderPlek.Antwoord, zonderPlek.Body, HttpStatusCode.BadRequest, formaat);
        AssertFout(buiten.Antwoord, buiten.Body, HttpStatusCode.BadRequest, formaat);
        Assert.Contains("buiten de gemeente", buiten.Body);
        AssertFout(kort.Antwoord, kort.Body, HttpStatusCode.BadRequest, formaat);
        AssertFout(datum.Antwoord, datum.Body, HttpStatusCode.BadRequest, formaat);
        AssertFout(status.Antwoord, status.Body, HttpStatusCode.BadRequest, formaat);
        AssertFout(jurisdictie.Antwoord, jurisdictie.Body, HttpStatusCode.NotFound, formaat);
        AssertFout(onbekendVerzoek.Antwoord, onbekendVerzoek.Body, HttpStatusCode.NotFound, formaat);
        await using var connection = await DataSource.OpenConnectionAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM melding"));
    }

    [Fact]
    public async Task Empty_optional_parameters_behave_like_absent_ones_and_dates_filter()
    {
        var (_, body) = await Post(
            "json",
            Geldig(("email", ""), ("phone", ""), ("jurisdiction_id", ""), ("attribute[voorgevallen_op]", ""))
        );
        var id = JsonDocument.Parse(body).RootElement[0].GetProperty("service_request_id").GetString()!;

        var (leeg, leegBody) = await Get("/open311/v2/requests.json?status=&service_code=&start_date=&end_date=&jurisdiction_id=");
        var uurGeleden = DateTimeOffset
            .UtcNow.AddHours(-1)
            .ToString("yyyy-MM-ddTHH:mm:ssK", System.Globalization.CultureInfo.InvariantCulture);
        var (_, binnen) = await Get($"/open311/v2/requests.json?start_date={Uri.EscapeDataString(uurGeleden)}");
        var (_, ervoor) = await Get("/open311/v2/requests.json?end_date=2020-01-01T00:00:00Z");

        Assert.Equal(HttpStatusCode.OK, leeg.StatusCode);
        Assert.Contains(id, leegBody);
        Assert.Contains(id, binnen);
        Assert.Equal("[]", ervoor);
    }

    [Fact]
    public async Task A_retried_post_finds_the_first_request_and_address_string_locates_it()
    {
        var eerste = await Post("json", Geldig());
        var tweede = await Post("json", Geldig());
        var adres = await Post(
            "json",
            [
                ("api_key", sleutel),
                ("service_code", "jeugdoverlast"),
                // A PC4 postcode whose centroid lies in the first buurt (2101, or Voorbeeldstad's 9992).
                ("address_string", TestAdressen.Pc4),
                ("description", "Groep jongeren bij het winkelcentrum."),
            ]
        );
        var (_, token) = await Get(
            $"/open311/v2/tokens/{JsonDocument.Parse(adres.Body).RootElement[0].GetProperty("service_request_id").GetString()}.json"
        );

        Assert.Equal(
            JsonDocument.Parse(eerste.Body).RootElement[0].GetProperty("service_request_id").GetString(),
            JsonDocument.Parse(tweede.Body).RootElement[0].GetProperty("service_request_id").GetString()
        );
        Assert.Equal(HttpStatusCode.OK, adres.Antwoord.StatusCode);
        Assert.Contains("\"token\"", token);
        await using var connection = await DataSource.OpenConnectionAsync();
        Assert.Equal(2, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM melding"));
        Assert.Equal(
            TestGemeente.EersteBuurt,
            await connection.QuerySingleAsync<string>("SELECT buurt_code FROM melding WHERE bron = 'api' AND omschrijving LIKE 'Groep%'")
        );
    }

    [Fact]
    public async Task Open_data_exports_only_public_reports_coarsened()
    {
        await Post("json", Geldig());
        await Post("json", Geldig().Select(v => v.Item1 == "service_code" ? ("service_code", "zorgen-om-iemand") : v).ToArray());

        var (csvAntwoord, csv) = await Get("/opendata/meldingen.csv");
        var (_, geojson) = await Get("/opendata/meldingen.geojson");

        Assert.Equal("text/csv", csvAntwoord.Content.Headers.ContentType?.MediaType);
        var regels = csv.Trim().Split('\n');
        Assert.Equal("volgcode,rubriek,status,gesloten,gemeld_op,buurt,lon,lat", regels[0]);
        Assert.Equal(2, regels.Length);
        Assert.Contains("Parkeeroverlast", regels[1]);
        Assert.DoesNotContain("Zorgen", csv);
        Assert.DoesNotContain("trottoir", csv);
        Assert.Contains("\"Parkeeroverlast\"", geojson);
        Assert.DoesNotContain("Zorgen", geojson);
    }

    [Fact]
    public async Task Posting_is_rate_limited_per_key()
    {
        await using var app = new WijkAppFactory(
            Database.ConnectionString,
            new Dictionary<string, string?> { ["Open311:PerSleutelPerMinuut"] = "2" }
        );
        var client = app.CreateClient();
        var statussen = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var inhoud = new FormUrlEncodedContent(
                Geldig()
                    .Select(v => v.Item1 == "description" ? ("description", $"Melding nummer {i} over parkeren.") : v)
                    .Select(v => new KeyValuePair<string, string>(v.Item1, v.Item2))
            );
            statussen.Add((await client.PostAsync("/open311/v2/requests.json", inhoud)).StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statussen);
    }

    [Fact]
    public async Task The_openapi_description_and_the_api_page_are_served_from_this_origin()
    {
        var (openapi, json) = await Get("/open311/openapi.json");
        var (pagina, html) = await Get("/open311");

        Assert.Equal(HttpStatusCode.OK, openapi.StatusCode);
        var paden = JsonDocument.Parse(json).RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/requests.{format}", paden);
        Assert.Contains("/services/{service_code}.{format}", paden);
        Assert.Equal(HttpStatusCode.OK, pagina.StatusCode);
        Assert.Contains("curl", html);
    }
}
