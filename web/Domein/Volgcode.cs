namespace Wijkmeldingen.Web.Domein;

/// <summary>A report's public tracking code (XXXX-XXXX-XXXX-XXXX, made by the database when a report
/// is filed). People type it: it is looked up case-insensitively and only in the shape we issue.</summary>
public static class Volgcode
{
    /// <summary>The code in its issued shape, or null when the text cannot be one.</summary>
    public static string? Normaliseer(string? code)
    {
        var c = new string((code ?? "").Where(char.IsLetterOrDigit).ToArray()).ToUpperInvariant();
        return c.Length == 16 && c.All(char.IsAsciiLetterOrDigit) ? $"{c[..4]}-{c[4..8]}-{c[8..12]}-{c[12..]}" : null;
    }
}
