using System.Globalization;

namespace Wijkmeldingen.Web.Domein;

/// <summary>
/// The language of the texts that live in the database (category, theme, priority and state names,
/// a category's help texts): Dutch, or English when the visitor chose English. Queries select
/// <c>in_taal(r.naam, r.naam_en, @taal)</c> (V65) with <see cref="Code"/> as <c>@taal</c>; a text
/// without an English form falls back to Dutch. CSV exports and mails sent by background rounds pass
/// nothing and stay Dutch.
/// </summary>
public static class Taal
{
    public const string Nederlands = "nl";
    public const string Engels = "en";

    /// <summary>"en" when the current UI culture is English, else "nl".</summary>
    public static string Code => Van(CultureInfo.CurrentUICulture);

    public static string Van(CultureInfo cultuur)
    {
        ArgumentNullException.ThrowIfNull(cultuur);
        return cultuur.TwoLetterISOLanguageName == Engels ? Engels : Nederlands;
    }

    /// <summary>Texts in <paramref name="code"/> ("en" or else Dutch) until the result is disposed: mails
    /// to a melder are written in the language the report was filed in (<c>melding.taal</c>, V74), whatever
    /// the language of the staff member or round that sends them.</summary>
    public static IDisposable In(string? code)
    {
        var vorige = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(code == Engels ? "en" : "nl-NL");
        return new Terug(vorige);
    }

    private sealed class Terug(CultureInfo vorige) : IDisposable
    {
        public void Dispose() => CultureInfo.CurrentUICulture = vorige;
    }

    /// <summary>The same rule as the SQL function in_taal, for texts read in both languages.</summary>
    public static string Kies(string nl, string? en) => Code == Engels && !string.IsNullOrWhiteSpace(en) ? en : nl;
}
