using System.Diagnostics;
using Dapper;
using Wijkmeldingen.Testing;

namespace Wijkmeldingen.Tests.Geo;

/// <summary>The BAG extract import: upsert, point-in-polygon, rows outside skipped and counted.</summary>
public sealed class AdresImportTests : DatabaseTest
{
    [Fact]
    public async Task Imports_rows_inside_with_buurt_and_wijk_and_counts_what_it_skips()
    {
        var resultaat = await TestAdressen.ImportAsync(EigenaarDataSource);

        Assert.Equal(8, resultaat.Gelezen);
        Assert.Equal(TestAdressen.Binnen, resultaat.Toegevoegd);
        Assert.Equal(0, resultaat.Bijgewerkt);
        Assert.Equal(TestAdressen.Buiten, resultaat.BuitenGemeente);
        Assert.Equal(TestAdressen.Ongeldig, resultaat.Ongeldig);
        Assert.Equal(0, resultaat.Dubbel);
        Assert.Contains(resultaat.Fouten, f => f.StartsWith("line 9: huisnummer", StringComparison.Ordinal));

        await using var connection = await DataSource.OpenConnectionAsync();
        var rijen = (
            await connection.QueryAsync<(string BagId, string Adresregel, string Postcode, string BuurtCode, string WijkCode)>(
                "SELECT bag_id, adresregel, postcode, buurt_code, wijk_code FROM adres ORDER BY bag_id"
            )
        ).ToList();
        Assert.Equal(TestAdressen.Binnen, rijen.Count);
        Assert.Equal(("TEST000000000004", "Teststraat 12a", TestAdressen.Postcode, TestAdressen.Buurt, TestAdressen.Wijk), rijen[3]);
        Assert.Equal(
            ("TEST000000000005", "Proefweg 3-2", TestAdressen.ProefwegPostcode, TestAdressen.ProefwegBuurt, TestAdressen.ProefwegWijk),
            rijen[4]
        );
    }

    [Fact]
    public async Task Importing_again_updates_instead_of_duplicating_and_the_last_line_of_an_id_wins()
    {
        await TestAdressen.ImportAsync(EigenaarDataSource);

        var resultaat = await TestAdressen.ImportAsync(EigenaarDataSource, TestAdressen.HerimportCsv);

        Assert.Equal(
            (3, 1, 1, 0, 1, 0),
            (resultaat.Gelezen, resultaat.Toegevoegd, resultaat.Bijgewerkt, resultaat.BuitenGemeente, resultaat.Dubbel, resultaat.Ongeldig)
        );
        await using var connection = await DataSource.OpenConnectionAsync();
        Assert.Equal(TestAdressen.Binnen + 1, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM adres"));
        Assert.Equal(
            "Teststraat 3",
            await connection.ExecuteScalarAsync<string>("SELECT adresregel FROM adres WHERE bag_id = 'TEST000000000001'")
        );
        Assert.Equal(
            $"teststraat 3 {TestAdressen.Postcode} {TestAdressen.Woonplaats}".ToLowerInvariant(),
            await connection.ExecuteScalarAsync<string>("SELECT zoektekst FROM adres WHERE bag_id = 'TEST000000000001'")
        );
    }

    [Fact]
    public async Task A_file_without_the_documented_columns_is_refused_and_nothing_is_stored()
    {
        await Assert.ThrowsAsync<InvalidDataException>(() =>
            TestAdressen.ImportAsync(EigenaarDataSource, "bag_id,straat,huisnummer,x,y\n1,A,1,155000,463000\n")
        );

        await using var connection = await DataSource.OpenConnectionAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM adres"));
    }

    [Fact]
    public async Task The_import_adressen_verb_of_the_web_app_imports_and_prints_its_counts()
    {
        var file = Path.Combine(Path.GetTempPath(), $"adressen-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(file, TestAdressen.Csv);
        try
        {
            var (exitCode, output, error) = await RunWebAsync("import-adressen", file);

            Assert.True(exitCode == 0, $"exit {exitCode}: {error}");
            Assert.Contains(
                "import-adressen: 8 rows read, 5 added, 0 updated, 2 skipped outside the municipality, 0 duplicate, 1 invalid",
                output
            );
            Assert.Contains("skipped line 9: huisnummer", error);
            await using var connection = await DataSource.OpenConnectionAsync();
            Assert.Equal(TestAdressen.Binnen, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM adres"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task The_import_adressen_verb_refuses_a_missing_file()
    {
        var (exitCode, _, error) = await RunWebAsync("import-adressen", "/nonexistent/adressen.csv");

        Assert.Equal(2, exitCode);
        Assert.Contains("file not found", error);
    }

    /// <summary>Runs the built web app (web/bin/&lt;configuration&gt;) with a verb, as infra/wijk does.</summary>
    private async Task<(int ExitCode, string Output, string Error)> RunWebAsync(params string[] args)
    {
        var testBin = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = testBin.Parent!.Name;
        var root = testBin;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Wijkmeldingen.sln")))
        {
            root = root.Parent;
        }
        Assert.NotNull(root);
        var webBin = Path.Combine(root.FullName, "web", "bin", configuration, "net10.0");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = webBin,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(webBin, "Wijkmeldingen.Web.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["ConnectionStrings__Wijkmeldingen"] = Database.ConnectionString;
        start.Environment["ConnectionStrings__WijkmeldingenEigenaar"] = Database.EigenaarConnectionString;
        start.Environment["DOTNET_ENVIRONMENT"] = "Testing";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
