using Wijkmeldingen.Web.Csv;

namespace Wijkmeldingen.Web.Features.Wandelingen.Beheer;

/// <summary>The CSV exports of the walks' staff pages, for Excel: semicolons, CRLF, UTF-8 with BOM,
/// the shared quoting and formula rule (<see cref="CsvRegels"/>).</summary>
public static class WandelingCsv
{
    public static byte[] Schrijf(IReadOnlyList<string> kop, IEnumerable<IReadOnlyList<string?>> rijen)
    {
        ArgumentNullException.ThrowIfNull(kop);
        ArgumentNullException.ThrowIfNull(rijen);
        return CsvRegels.Schrijf(CsvRegels.Export(';', "\r\n", bom: true), csv =>
        {
            csv.WriteHeader([.. kop]);
            foreach (var rij in rijen)
            {
                foreach (var veld in rij)
                {
                    csv.WriteField(veld);
                }
                csv.EndRecord();
            }
        });
    }
}
