using System.Globalization;
using System.Resources;

namespace Wijkmeldingen.Web.Fotos;

/// <summary>The messages shown next to the photo field, one per reason a photo is refused, in the
/// visitor's language: Resources/Tekst.resx (Dutch) and Tekst.en.resx, keys <c>foto.fout.*</c>.</summary>
public static class FotoFouten
{
    // The same resources IStringLocalizer<Tekst> reads (ResourcesPath "Resources"); these texts have
    // no {gemeente} placeholder, so the plain ResourceManager is enough and keeps this part free of DI.
    private static readonly ResourceManager Teksten = new("Wijkmeldingen.Web.Resources.Tekst", typeof(Tekst).Assembly);

    public static string GeenFoto => Lees("foto.fout.geenfoto");
    public static string TeVeelPixels => Lees("foto.fout.teveelpixels");
    public static string Onleesbaar => Lees("foto.fout.onleesbaar");
    public static string Leeg => Lees("foto.fout.leeg");

    /// <summary>"Deze foto is groter dan 10 MB." for the configured limit.</summary>
    public static string TeGroot(long maxBytes) =>
        Lees("foto.fout.tegroot").Replace("{0}", (maxBytes / (1024.0 * 1024.0)).ToString("0.#", Cijfers), StringComparison.Ordinal);

    /// <summary>"Voeg maximaal 3 foto's toe." for the configured limit.</summary>
    public static string TeVeelFotos(int maxAantal) =>
        maxAantal == 1
            ? Lees("foto.fout.teveelfotos.een")
            : Lees("foto.fout.teveelfotos").Replace("{0}", maxAantal.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);

    /// <summary>Decimal comma in Dutch, point in English.</summary>
    private static CultureInfo Cijfers =>
        CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en" ? CultureInfo.InvariantCulture : CultureInfo.GetCultureInfo("nl-NL");

    private static string Lees(string naam) =>
        Teksten.GetString(naam, CultureInfo.CurrentUICulture) ?? throw new InvalidOperationException($"Resource {naam} is missing.");
}
