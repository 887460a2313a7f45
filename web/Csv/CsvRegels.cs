using System.Globalization;
using CsvHelper;

namespace Wijkmeldingen.Web.Csv;

/// <summary>
/// The portal's one rule for every CSV it writes or reads, through CsvHelper (RFC 4180):
/// <list type="bullet">
/// <item>Exports: a field with the separator, a quote, CR or LF is quoted, quotes inside doubled; a
/// text field that starts with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, a tab or a CR gets a leading
/// <c>'</c> (and quotes), so a spreadsheet shows it as text instead of running it as a formula (CSV
/// injection). Numbers are written as numbers, so a negative number stays a number. Separator, line
/// end and BOM stay each export's own documented choice.</item>
/// <item>Imports: quoted fields may hold the separator, quotes ("") and line breaks; spaces around a
/// field are dropped; the line a record starts on is tracked for the per-line messages.</item>
/// </list>
/// </summary>
public static class CsvRegels
{
    /// <summary>The characters that make a cell a formula in Excel, LibreOffice and Google Sheets (OWASP).</summary>
    public const string FormuleTekens = "=+-@\t\r";

    /// <summary>What goes in front of such a cell: Excel's "this cell is text".</summary>
    public const char Ontschadelijk = '\'';

    /// <summary>The options of an export: <paramref name="scheiding"/> between fields,
    /// <paramref name="regeleinde"/> after each record, a UTF-8 BOM when <paramref name="bom"/>.</summary>
    public static CsvWriterOptions Export(char scheiding, string regeleinde, bool bom) =>
        new()
        {
            Separator = scheiding,
            NewLine = regeleinde,
            WriteByteOrderMark = bom,
            Quoting = CsvQuoting.WhenNeeded,
            Injection = CsvInjection.Escape,
            InjectionCharacters = FormuleTekens,
            InjectionEscape = Ontschadelijk,
            FormatProvider = CultureInfo.InvariantCulture,
            ValidateFieldCount = true,
        };

    /// <summary>Writes a whole export into memory (UTF-8) and returns its bytes.</summary>
    public static byte[] Schrijf(CsvWriterOptions opties, Action<CsvWriter> schrijf)
    {
        ArgumentNullException.ThrowIfNull(opties);
        ArgumentNullException.ThrowIfNull(schrijf);
        using var buffer = new MemoryStream();
        using (var writer = CsvWriter.Create(buffer, opties, leaveOpen: true))
        {
            schrijf(writer);
        }
        return buffer.ToArray();
    }

    /// <summary>The options of an import with a known separator and no header handling (the
    /// importer checks the header itself): quoted line breaks allowed, empty lines skipped, spaces
    /// around fields dropped, line numbers tracked, every record returned whatever its field count.</summary>
    public static CsvReaderOptions Import(char scheiding) =>
        new()
        {
            Separator = scheiding,
            HasHeader = false,
            AllowLineBreaksInQuotes = true,
            SkipEmptyLines = true,
            TrimWhitespace = true,
            TrackLineNumbers = true,
            MalformedData = CsvMalformedDataHandling.Recover,
            FieldCountMismatch = CsvFieldCountHandling.Allow,
            FormatProvider = CultureInfo.InvariantCulture,
        };

    /// <summary>The separator of a file that may use semicolons or commas: a semicolon when the first
    /// line has one and, if <paramref name="kommaWint"/>, no comma; else a comma.</summary>
    public static char Scheiding(string eersteRegel, bool kommaWint = false)
    {
        ArgumentNullException.ThrowIfNull(eersteRegel);
        var puntkomma = eersteRegel.Contains(';', StringComparison.Ordinal);
        return puntkomma && !(kommaWint && eersteRegel.Contains(',', StringComparison.Ordinal)) ? ';' : ',';
    }

    /// <summary>The fields of the current record, as text.</summary>
    public static string[] Velden(CsvReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var velden = new string[reader.FieldCount];
        for (var i = 0; i < velden.Length; i++)
        {
            velden[i] = reader.GetString(i);
        }
        return velden;
    }

    /// <summary>Whether the current record is a line of only spaces (one empty field after trimming).</summary>
    public static bool IsLeeg(CsvReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return reader.FieldCount == 1 && string.IsNullOrWhiteSpace(reader.GetString(0));
    }
}
