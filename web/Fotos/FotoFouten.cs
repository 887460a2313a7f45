using System.Globalization;

namespace Wijkmeldingen.Web.Fotos;

/// <summary>The Dutch messages shown next to the photo field, one per reason a photo is refused.</summary>
public static class FotoFouten
{
    public const string GeenFoto = "Dit bestand is geen foto. Kies een JPG-, PNG- of WebP-bestand.";
    public const string TeVeelPixels = "Deze foto heeft te veel pixels. Kies een kleinere foto.";
    public const string Onleesbaar = "Deze foto kon niet worden gelezen. Probeer een andere foto.";
    public const string Leeg = "Dit bestand is leeg. Kies een foto.";

    /// <summary>"Deze foto is groter dan 10 MB." for the configured limit.</summary>
    public static string TeGroot(long maxBytes) =>
        string.Create(CultureInfo.GetCultureInfo("nl-NL"), $"Deze foto is groter dan {maxBytes / (1024.0 * 1024.0):0.#} MB.");

    /// <summary>"Voeg maximaal 3 foto's toe." for the configured limit.</summary>
    public static string TeVeelFotos(int maxAantal) =>
        maxAantal == 1
            ? "Voeg maximaal 1 foto toe."
            : string.Create(CultureInfo.InvariantCulture, $"Voeg maximaal {maxAantal} foto's toe.");
}
