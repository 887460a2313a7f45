using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Dapper;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Features.Wijkbeeld.Beheer.Beleving;

namespace Wijkmeldingen.Tests.Features.Wijkbeeld;

/// <summary>/beheer/beleving: a beheerder imports perceived-safety figures from a CSV. A file with
/// any wrong line is refused as a whole, with a Dutch message per line; a good one is previewed,
/// then upserted, and the public wijk page shows the figures. The sample file in db/seed is valid.</summary>
public sealed partial class BelevingImportTests : AppTest
{
    private static readonly HashSet<string> Wijken = [TestGemeente.EersteWijk, TestGemeente.AndereWijk, "WK039702"];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await BeheerAccounts.MaakAsync(App.Services, "beheerder@heemstede.nl", "Bea Beheerder", Rollen.Beheerder);
        await BeheerAccounts.MaakAsync(App.Services, "wijkagent@heemstede.nl", "Wim Wijkagent", Rollen.Wijkprofessional);
    }

    [Fact]
    public async Task The_sample_file_is_previewed_imported_and_shown_on_the_public_wijk_page()
    {
        // The sample file names the demo municipality's wijken: it is checked against those.
        if (TestGemeente.IsVoorbeeldstad)
        {
            await TestGemeente.DemoGebiedenAsync(EigenaarDataSource);
        }
        var beheerder = await BeheerAccounts.IngelogdAsync(App, "beheerder@heemstede.nl");
        var pagina = await beheerder.OpenAsync("/beheer/beleving");
        var voorbeeld = await File.ReadAllBytesAsync(VoorbeeldBestand());

        var controle = await beheerder.PostAsync(
            "/beheer/beleving?handler=Voorbeeld",
            pagina.Token,
            [],
            [("bestand", "beleving-voorbeeld.csv", voorbeeld, "text/csv")]
        );
        var html = await controle.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, controle.StatusCode);
        Assert.Contains("id=\"csv-ok\"", html);
        await using var connection = await DataSource.OpenConnectionAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM wijk_beleving"));

        var inhoud = WebUtility.HtmlDecode(InhoudPattern().Match(html).Groups[1].Value);
        var import = await beheerder.PostAsync("/beheer/beleving?handler=Importeren", pagina.Token, [new("inhoud", inhoud)]);

        Assert.Equal(HttpStatusCode.Redirect, import.StatusCode);
        Assert.Equal(9, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM wijk_beleving"));
        Assert.Equal(
            83.4m,
            await connection.ExecuteScalarAsync<decimal>(
                "SELECT waarde FROM wijk_beleving WHERE wijk_code = 'WK039700' AND jaar = 2025 AND indicator = 'veilig-in-buurt'"
            )
        );
        Assert.Contains(
            "9 cijfers ingelezen: 9 nieuw, 0 vervangen.",
            WebUtility.HtmlDecode(await beheerder.Http.GetStringAsync("/beheer/beleving"))
        );
        var publiek = WebUtility.HtmlDecode(await App.CreateClient().GetStringAsync("/wijken/WK039700?soort=jaar&jaar=2025"));
        var rij = Regex.Match(publiek, "<tr[^>]*data-code=\"veilig-in-buurt\">(.*?)</tr>", RegexOptions.Singleline).Groups[1].Value;
        Assert.Contains("83 % (2025)", rij);
        Assert.Contains("81 % (2024)", rij);
        Assert.Contains("VOORBEELD", rij);

        // The same file again replaces, never duplicates.
        Assert.Equal(
            HttpStatusCode.Redirect,
            (await beheerder.PostAsync("/beheer/beleving?handler=Importeren", pagina.Token, [new("inhoud", inhoud)])).StatusCode
        );
        Assert.Equal(9, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM wijk_beleving"));
        Assert.Equal(
            [(9, 9, 0, "[\"WK039700\", \"WK039701\", \"WK039702\"]"), (9, 0, 9, "[\"WK039700\", \"WK039701\", \"WK039702\"]")],
            await connection.QueryAsync<(int, int, int, string)>(
                """
                SELECT (na->>'regels')::int, (na->>'nieuw')::int, (na->>'bijgewerkt')::int, na->>'wijken'
                FROM audit WHERE actie = 'beleving-ingelezen' ORDER BY id
                """
            )
        );
    }

    [Fact]
    public async Task A_file_with_wrong_lines_is_refused_whole_with_a_dutch_message_per_line()
    {
        var beheerder = await BeheerAccounts.IngelogdAsync(App, "beheerder@heemstede.nl");
        var pagina = await beheerder.OpenAsync("/beheer/beleving");
        var csv = $"""
            wijk_code;jaar;indicator;omschrijving;waarde;eenheid;bron
            {TestGemeente.EersteWijk};2025;veilig-in-buurt;Voelt zich veilig;84;%;Monitor
            WK039799;2025;veilig-in-buurt;Voelt zich veilig;84;%;Monitor
            {TestGemeente.AndereWijk};twintig;veilig-in-buurt;Voelt zich veilig;84;%;Monitor
            {TestGemeente.AndereWijk};2025;veilig-in-buurt;Voelt zich veilig;veel;%;Monitor
            """;

        var antwoord = await beheerder.PostAsync(
            "/beheer/beleving?handler=Voorbeeld",
            pagina.Token,
            [],
            [("bestand", "fout.csv", Encoding.UTF8.GetBytes(csv), "text/csv")]
        );
        var html = WebUtility.HtmlDecode(await antwoord.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, antwoord.StatusCode);
        Assert.Contains("Er is niets ingelezen: het bestand heeft 3 fout(en).", html);
        Assert.Contains("Regel 3: onbekende wijk ‘WK039799’", html);
        Assert.Contains("Regel 4: ongeldig jaar ‘twintig’", html);
        Assert.Contains("Regel 5: ongeldige waarde ‘veel’", html);
        Assert.DoesNotContain("id=\"importformulier\"", html);
        // Posting the import step directly with the same content is refused too.
        var direct = await beheerder.PostAsync("/beheer/beleving?handler=Importeren", pagina.Token, [new("inhoud", csv)]);
        Assert.Equal(HttpStatusCode.BadRequest, direct.StatusCode);
        await using var connection = await DataSource.OpenConnectionAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM wijk_beleving"));
    }

    [Fact]
    public async Task Only_beheerders_import()
    {
        var wijkagent = await BeheerAccounts.IngelogdAsync(App, "wijkagent@heemstede.nl");

        Assert.Equal(HttpStatusCode.Forbidden, (await wijkagent.Http.GetAsync("/beheer/beleving")).StatusCode);
    }

    [Fact]
    public void Reads_semicolons_with_a_bom_and_decimal_commas()
    {
        var bytes = Encoding
            .UTF8.GetPreamble()
            .Concat(
                Encoding.UTF8.GetBytes(
                    "wijk_code;jaar;indicator;omschrijving;waarde;eenheid;bron\r\n"
                        + $"{TestGemeente.EersteWijk.ToLowerInvariant()};2025;veilig-in-buurt;Veilig;81,5;%;Monitor 2025\r\n\r\n"
                        + $"{TestGemeente.AndereWijk};2025;rapportcijfer;Cijfer;7,25;Rapportcijfer;Monitor\r\n"
                )
            )
            .ToArray();

        var resultaat = BelevingCsv.Lees(BelevingCsv.Decodeer(bytes)!, Wijken);

        Assert.Empty(resultaat.Fouten);
        Assert.Equal(
            [
                new BelevingRegel(2, TestGemeente.EersteWijk, 2025, "veilig-in-buurt", "Veilig", 81.5m, "%", "Monitor 2025"),
                new BelevingRegel(4, TestGemeente.AndereWijk, 2025, "rapportcijfer", "Cijfer", 7.25m, "rapportcijfer", "Monitor"),
            ],
            resultaat.Regels
        );
    }

    [Fact]
    public void Reads_commas_with_quoted_decimal_commas_and_points_without_a_header()
    {
        var resultaat = BelevingCsv.Lees(
            $"{TestGemeente.EersteWijk},2025,veilig-in-buurt,\"Veilig, ook 's avonds\",\"81,5\",%,Monitor\n"
                + $"{TestGemeente.AndereWijk},2025,veilig-in-buurt,Veilig,79.5,%,\"Monitor \"\"2025\"\"\"\n",
            Wijken
        );

        Assert.Empty(resultaat.Fouten);
        Assert.Equal(["Veilig, ook 's avonds", "Veilig"], resultaat.Regels.Select(r => r.Omschrijving));
        Assert.Equal([81.5m, 79.5m], resultaat.Regels.Select(r => r.Waarde));
        Assert.Equal("Monitor \"2025\"", resultaat.Regels[1].Bron);
    }

    [Theory]
    [InlineData("WK039700,2025,veilig,Veilig,81,5,%,Monitor", "beleving.fout.kolommen")] // an unquoted decimal comma in a comma file
    [InlineData("WK039700;2025;veilig;Veilig;101;%;Monitor", "beleving.fout.procent")]
    [InlineData("WK039700;2025;veilig;Veilig;11;rapportcijfer;Monitor", "beleving.fout.rapportcijfer")]
    [InlineData("WK039700;2025;veilig;Veilig;8,125;rapportcijfer;Monitor", "beleving.fout.waarde")]
    [InlineData("WK039700;1999;veilig;Veilig;8;rapportcijfer;Monitor", "beleving.fout.jaar")]
    [InlineData("WK039700;2025;Veilig In Buurt;Veilig;8;rapportcijfer;Monitor", "beleving.fout.indicator")]
    [InlineData("WK039700;2025;veilig;Veilig;8;punten;Monitor", "beleving.fout.eenheid")]
    [InlineData("WK039700;2025;veilig;Veilig;8;rapportcijfer;", "beleving.fout.bron")]
    [InlineData("WK039700;2025;veilig;\"Veilig;8;rapportcijfer;Monitor", "beleving.fout.aanhalingstekens")]
    [InlineData(
        "WK039700;2025;veilig;Veilig;8;rapportcijfer;Monitor\nWK039700;2025;veilig;Opnieuw;7;rapportcijfer;Monitor",
        "beleving.fout.dubbel"
    )]
    [InlineData("", "beleving.fout.leeg")]
    public void Wrong_lines_are_named(string csv, string sleutel)
    {
        // The lines name the demo municipality's first wijk: the loaded one's instead.
        var resultaat = BelevingCsv.Lees(csv.Replace("WK039700", TestGemeente.EersteWijk, StringComparison.Ordinal), Wijken);

        Assert.Equal(sleutel, Assert.Single(resultaat.Fouten).Sleutel);
    }

    [Fact]
    public void Text_that_is_not_utf8_is_refused() =>
        Assert.Null(
            BelevingCsv.Decodeer(
                Encoding.Latin1.GetBytes(
                    $"{TestGemeente.EersteWijk};2025;veilig;Gevoel van veiligheid ’s nachts;" + "8;rapportcijfer;Monitor é"
                )
            )
        );

    private static string VoorbeeldBestand()
    {
        for (var map = new DirectoryInfo(AppContext.BaseDirectory); map is not null; map = map.Parent)
        {
            var pad = Path.Combine(map.FullName, "db", "seed", "voorbeeld", "beleving-voorbeeld.csv");
            if (File.Exists(pad))
            {
                return pad;
            }
        }
        throw new FileNotFoundException("db/seed/voorbeeld/beleving-voorbeeld.csv not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"inhoud\" value=\"([^\"]*)\"")]
    private static partial Regex InhoudPattern();
}
