using System.Net;
using System.Text;
using CsvHelper;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Tests.Features.Wandelingen;
using Wijkmeldingen.Tests.Features.Wijkbeeld;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Features.Wandelingen;
using Wijkmeldingen.Web.Features.Wijkbeeld;

namespace Wijkmeldingen.Tests.Csv;

/// <summary>
/// Every CSV export, through its real endpoint over the real database, with hostile cells: values a
/// spreadsheet would run as a formula (=, +, -, @, a leading tab or CR) and one with the separator, a
/// quote and a line break. The output is read back with CsvHelper: each formula cell starts with ',
/// the other value comes back whole, and the number of rows and columns is what it was without them.
/// </summary>
public sealed class CsvExportTests : AppTest
{
    /// <summary>The hostile values; all but the last must come back defused ('...).</summary>
    public static readonly string[] Vijandig =
    [
        "=HYPERLINK(\"http://x\",\"klik\")",
        "+31 6 12345678",
        "-2+3",
        "@SUM(A1)",
        "\t=1+1",
        "\r=1+1",
        "Jansen; \"Bram\", de\nbuurman",
    ];

    /// <summary>Categories that get reports in the wijk figures test, as many as there are names left.</summary>
    private static readonly string[] Rubrieken = ["jeugdoverlast", "parkeeroverlast", "woonoverlast", "te-hard-rijden"];

    private static string Verwacht(string waarde) => waarde == Vijandig[^1] ? waarde : "'" + waarde;

    [Fact]
    public async Task The_wijk_figures_csv_defuses_formula_cells_and_keeps_its_rows_and_columns()
    {
        var oktober = new DateTime(2025, 10, 15, 12, 0, 0);
        await using var connection = await EigenaarDataSource.OpenConnectionAsync();
        var wijk = TestGemeente.EersteWijk;
        var buurten = (
            await connection.QueryAsync<string>("SELECT code FROM buurt WHERE wijk_code = @wijk ORDER BY code LIMIT 4", new { wijk })
        ).ToList();
        // Every hostile value names something in the wijk's CSV: the wijk, its categories, up to four buurten;
        // a wijk with fewer buurten (Voorbeeldstad's has three) gets a category more.
        var rubrieken = Rubrieken.Take(Vijandig.Length - 1 - buurten.Count).ToList();
        foreach (var buurt in buurten)
        {
            await TestMeldingen.MeldAsync(DataSource, rubrieken[0], buurt, oktober, 6);
        }
        foreach (var rubriek in rubrieken.Skip(1))
        {
            await TestMeldingen.MeldAsync(DataSource, rubriek, buurten[0], oktober, 6);
        }
        var verversen = App.Services.GetRequiredService<WijkbeeldVerversen>();
        await verversen.VerversAsync();
        var client = App.CreateClient();
        const string Query = "?soort=kwartaal&kwartaal=2025-4";
        var voor = Lees(await client.GetByteArrayAsync($"/wijken/{wijk}/cijfers.csv" + Query), ';', bom: true);
        var gemeenteVoor = Lees(await client.GetByteArrayAsync("/wijken/cijfers.csv" + Query), ';', bom: true);

        // The names a beheerder or the CBS import sets: the wijk, two categories and four buurten (or three
        // categories and three buurten).
        await connection.ExecuteAsync("UPDATE wijk SET naam = @naam WHERE code = @wijk", new { naam = Vijandig[0], wijk });
        for (var i = 0; i < rubrieken.Count; i++)
        {
            await connection.ExecuteAsync(
                "UPDATE rubriek SET naam = @naam WHERE code = @code",
                new { naam = Vijandig[1 + i], code = rubrieken[i] }
            );
        }
        for (var i = 0; i < buurten.Count; i++)
        {
            await connection.ExecuteAsync(
                "UPDATE buurt SET naam = @naam WHERE code = @code",
                new { naam = Vijandig[1 + rubrieken.Count + i], code = buurten[i] }
            );
        }
        await verversen.VerversAsync();
        var antwoord = await client.GetAsync($"/wijken/{wijk}/cijfers.csv" + Query);
        var na = Lees(await antwoord.Content.ReadAsByteArrayAsync(), ';', bom: true);
        var gemeenteNa = Lees(await client.GetByteArrayAsync("/wijken/cijfers.csv" + Query), ';', bom: true);

        Assert.Equal(HttpStatusCode.OK, antwoord.StatusCode);
        Assert.Equal("text/csv", antwoord.Content.Headers.ContentType?.MediaType);
        Assert.Equal(voor.Count, na.Count);
        Assert.Equal(gemeenteVoor.Count, gemeenteNa.Count);
        Assert.All(na.Concat(gemeenteNa), r => Assert.Equal(13, r.Length));
        Assert.Equal(voor[0], na[0]);
        Assert.Equal("gebied", na[0][0]);
        var namen = na.Skip(1).Select(r => r[5]).ToList();
        Assert.Equal(Vijandig.Length, Vijandig.Count(v => namen.Contains(Verwacht(v))));
        Assert.Contains(Verwacht(Vijandig[0]), namen);
        Assert.Contains(Verwacht(Vijandig[^1]), namen);
        Assert.Contains(Verwacht(Vijandig[1]), gemeenteNa.Select(r => r[5]));
        GeenFormules(na.Concat(gemeenteNa), tekstKolommen: 6);
        // The figures are unchanged: only the names were hostile.
        Assert.Equal(voor.Skip(1).Select(r => r[6..]), na.Skip(1).Select(r => r[6..]));
    }

    [Fact]
    public async Task The_open_data_csv_defuses_formula_cells_and_keeps_its_rows_and_columns()
    {
        var nu = Tijd.Lokaal(App.Services.GetRequiredService<TimeProvider>().GetUtcNow()).AddDays(-3).DateTime;
        await using var connection = await EigenaarDataSource.OpenConnectionAsync();
        var buurten = (await connection.QueryAsync<string>("SELECT code FROM buurt ORDER BY code LIMIT 3")).ToList();
        await TestMeldingen.MeldAsync(DataSource, "jeugdoverlast", buurten[0], nu, 2);
        await TestMeldingen.MeldAsync(DataSource, "parkeeroverlast", buurten[1], nu, 2, status: "in-behandeling");
        await TestMeldingen.MeldAsync(DataSource, "jeugdoverlast", buurten[2], nu, 1);
        var client = App.CreateClient();
        var voor = Lees(await client.GetByteArrayAsync("/opendata/meldingen.csv"), ',', bom: false);

        await connection.ExecuteAsync("UPDATE rubriek SET naam = @naam WHERE code = 'jeugdoverlast'", new { naam = Vijandig[0] });
        await connection.ExecuteAsync("UPDATE rubriek SET naam = @naam WHERE code = 'parkeeroverlast'", new { naam = Vijandig[1] });
        await connection.ExecuteAsync("UPDATE meldingstatus SET naam = @naam WHERE code = 'gemeld'", new { naam = Vijandig[2] });
        await connection.ExecuteAsync("UPDATE meldingstatus SET naam = @naam WHERE code = 'in-behandeling'", new { naam = Vijandig[3] });
        for (var i = 0; i < buurten.Count; i++)
        {
            await connection.ExecuteAsync(
                "UPDATE buurt SET naam = @naam WHERE code = @code",
                new { naam = Vijandig[4 + i], code = buurten[i] }
            );
        }
        var antwoord = await client.GetAsync("/opendata/meldingen.csv");
        var bytes = await antwoord.Content.ReadAsByteArrayAsync();
        var na = Lees(bytes, ',', bom: false);

        Assert.Equal(HttpStatusCode.OK, antwoord.StatusCode);
        Assert.Equal("text/csv", antwoord.Content.Headers.ContentType?.MediaType);
        Assert.NotEqual(0xEF, bytes[0]);
        Assert.Equal(6, voor.Count);
        Assert.Equal(voor.Count, na.Count);
        Assert.Equal(["volgcode", "rubriek", "status", "gesloten", "gemeld_op", "buurt", "lon", "lat"], na[0]);
        Assert.All(na, r => Assert.Equal(8, r.Length));
        var rijen = na.Skip(1).ToList();
        Assert.Equal(3, rijen.Count(r => r[1] == Verwacht(Vijandig[0])));
        Assert.Equal(2, rijen.Count(r => r[1] == Verwacht(Vijandig[1])));
        Assert.Equal(3, rijen.Count(r => r[2] == Verwacht(Vijandig[2])));
        Assert.Equal(2, rijen.Count(r => r[2] == Verwacht(Vijandig[3])));
        Assert.Equal([2, 2, 1], Vijandig[4..].Select(v => rijen.Count(r => r[5] == Verwacht(v))));
        GeenFormules(na, tekstKolommen: 8);
        Assert.All(rijen, r => Assert.True(double.TryParse(r[6], System.Globalization.CultureInfo.InvariantCulture, out _)));
        Assert.Equal(voor.Skip(1).Select(r => r[6] + r[7]), rijen.Select(r => r[6] + r[7]));
    }

    [Fact]
    public async Task The_walk_participant_csv_defuses_formula_cells_and_keeps_its_rows_and_columns()
    {
        var client = await WandelingBeheerTests.OrganisatorAsync(App);
        var id = await WandelingBeheerTests.MaakAsync(client, WandelingBeheerTests.Velden(capaciteit: "30"));
        await WandelingBeheerTests.PubliceerAsync(client, id);
        var service = App.Services.GetRequiredService<Aanmeldingen>();
        for (var i = 0; i < Vijandig.Length; i++)
        {
            await service.AanmeldenEnBevestigenAsync(id, Vijandig[i], $"deelnemer{i}@example.nl", 1, CancellationToken.None);
        }

        var antwoord = await client.Http.GetAsync($"/beheer/wandelingen/{id}/aanmeldingen?handler=Csv");
        var bytes = await antwoord.Content.ReadAsByteArrayAsync();
        var rijen = Lees(bytes, ';', bom: true);

        Assert.Equal(HttpStatusCode.OK, antwoord.StatusCode);
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        Assert.Equal(["Naam", "E-mailadres", "Personen", "Soort", "Aangemeld op"], rijen[0]);
        Assert.Equal(Vijandig.Length + 1, rijen.Count);
        Assert.All(rijen, r => Assert.Equal(5, r.Length));
        Assert.Equal(
            Vijandig.Select(Verwacht).Order(StringComparer.Ordinal),
            rijen.Skip(1).Select(r => r[0]).Order(StringComparer.Ordinal)
        );
        Assert.All(rijen.Skip(1), r => Assert.Equal(["1", "Deelnemer"], r[2..4]));
        GeenFormules(rijen, tekstKolommen: 5);
    }

    /// <summary>Reads an export back as a spreadsheet would see its cells (no trimming).</summary>
    private static List<string[]> Lees(byte[] bytes, char scheiding, bool bom)
    {
        var preamble = Encoding.UTF8.GetPreamble();
        Assert.Equal(bom, bytes.AsSpan().StartsWith(preamble));
        var tekst = Encoding.UTF8.GetString(bom ? bytes[preamble.Length..] : bytes);
        var rijen = new List<string[]>();
        using var reader = CsvReader.FromText(
            tekst,
            new CsvReaderOptions
            {
                Separator = scheiding,
                HasHeader = false,
                AllowLineBreaksInQuotes = true,
                TrimWhitespace = false,
                MalformedData = CsvMalformedDataHandling.Throw,
                FieldCountMismatch = CsvFieldCountHandling.Throw,
            }
        );
        while (reader.Read())
        {
            var rij = new string[reader.FieldCount];
            for (var i = 0; i < rij.Length; i++)
            {
                rij[i] = reader.GetString(i);
            }
            rijen.Add(rij);
        }
        return rijen;
    }

    /// <summary>No text cell in the first <paramref name="tekstKolommen"/> columns starts with a
    /// character a spreadsheet reads as the start of a formula.</summary>
    private static void GeenFormules(IEnumerable<string[]> rijen, int tekstKolommen)
    {
        foreach (var rij in rijen)
        {
            foreach (var cel in rij.Take(tekstKolommen))
            {
                Assert.False(cel.Length > 0 && "=+-@\t\r".Contains(cel[0], StringComparison.Ordinal), $"formula cell: {cel}");
            }
        }
    }
}
