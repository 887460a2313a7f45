using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Data;
using Wijkmeldingen.Web.Geo.Geocoding;

namespace Wijkmeldingen.Tests.Geo;

/// <summary>The address import shows its progress by rows read, then the storing stage.</summary>
public sealed class AdresImportVoortgangTests : DatabaseTest
{
    [Fact]
    public async Task A_log_gets_percentage_lines_of_rows_read_then_storing()
    {
        var csv = new StringBuilder("bag_id,straat,huisnummer,huisletter,toevoeging,postcode,woonplaats,lat,lon\n");
        for (var i = 1; i <= 2500; i++)
        {
            csv.Append(
                CultureInfo.InvariantCulture,
                $"TEST{i:D12},Proefweg,{i},,,2101ZZ,Heemstede,"
                    + $"{52.3540 + (i % 50) * 0.00002:0.000000},{4.6200 + (i / 50) * 0.00002:0.000000}\n"
            );
        }
        var uit = new StringWriter();

        var resultaat = await new AdresImport(EigenaarDataSource, NullLogger<AdresImport>.Instance).ImportAsync(
            new StringReader(csv.ToString()),
            new Voortgang("import-adressen", uit, terminal: false),
            2500
        );

        Assert.Equal(2500, resultaat.Gelezen);
        Assert.Equal(
            [
                "import-adressen: 0% 0/2,500 lezen",
                "import-adressen: 40% 1,000/2,500 lezen",
                "import-adressen: 80% 2,000/2,500 lezen",
                "import-adressen: 100% 2,500/2,500 opslaan",
                "import-adressen: 100% klaar",
            ],
            uit.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries)
        );
    }
}
