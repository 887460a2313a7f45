using System.Globalization;

namespace Wijkmeldingen.Web.Domein;

/// <summary>Times are stored in UTC and shown in Dutch local time.</summary>
public static class Tijd
{
    public static TimeZoneInfo Amsterdam { get; } = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    public static DateTimeOffset Lokaal(DateTimeOffset moment) => TimeZoneInfo.ConvertTime(moment, Amsterdam);

    /// <summary>"27 november 2026 om 14:05" in Dutch, "27 November 2026 at 14:05" in English.</summary>
    public static string DatumTijd(DateTimeOffset moment)
    {
        var lokaal = Lokaal(moment);
        var cultuur = CultureInfo.CurrentCulture;
        var om = cultuur.TwoLetterISOLanguageName == "nl" ? "om" : "at";
        return $"{lokaal.ToString("d MMMM yyyy", cultuur)} {om} {lokaal.ToString("HH:mm", cultuur)}";
    }

    public static string Datum(DateTimeOffset moment) => Lokaal(moment).ToString("d MMMM yyyy", CultureInfo.CurrentCulture);
}
