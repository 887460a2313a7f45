using System.Text;

namespace Wijkmeldingen.Web.Features.Wandelingen.Beheer;

/// <summary>The CSV exports of the walks' staff pages (Excel, semicolon separated, UTF-8 with BOM).</summary>
public static class WandelingCsv
{
    /// <summary>A CSV field for Excel with a semicolon separator: quoted when needed, and a leading
    /// formula character defused (CSV injection).</summary>
    public static string CsvVeld(string? waarde)
    {
        var tekst = waarde ?? "";
        if (tekst.Length > 0 && tekst[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            tekst = "'" + tekst;
        }
        return tekst.AsSpan().IndexOfAny(";\"\r\n") >= 0 ? "\"" + tekst.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : tekst;
    }

    public static string CsvRegel(params string?[] velden) => string.Join(';', velden.Select(CsvVeld)) + "\r\n";

    public static byte[] MetBom(string tekst) => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(tekst)];
}
