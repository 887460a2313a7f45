using System.Globalization;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Wijkmeldingen.Web.Domein;

/// <summary>
/// The UI texts of this municipality: the resource files write <c>{gemeente}</c> where the
/// municipality's name goes and <c>{wijkcode}</c> for an example wijk code; this factory wraps the
/// resource files' own so that every localizer fills them in from the profile, before any
/// <c>{0}</c>-style arguments are formatted.
/// </summary>
public sealed class GemeenteTekstFactory(ResourceManagerStringLocalizerFactory binnen, IOptions<GemeenteProfiel> profiel)
    : IStringLocalizerFactory
{
    public IStringLocalizer Create(Type resourceSource) => new GemeenteTekstLocalizer(binnen.Create(resourceSource), profiel.Value);

    public IStringLocalizer Create(string baseName, string location) =>
        new GemeenteTekstLocalizer(binnen.Create(baseName, location), profiel.Value);
}

/// <summary>One resource file's texts with the profile's values filled in.</summary>
public sealed class GemeenteTekstLocalizer(IStringLocalizer binnen, GemeenteProfiel profiel) : IStringLocalizer
{
    public LocalizedString this[string name] => Vul(binnen[name]);

    public LocalizedString this[string name, params object[] arguments]
    {
        get
        {
            var tekst = Vul(binnen[name]);
            var waarde = string.Format(CultureInfo.CurrentCulture, tekst.Value, arguments);
            return new LocalizedString(name, waarde, tekst.ResourceNotFound, tekst.SearchedLocation);
        }
    }

    public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) =>
        binnen.GetAllStrings(includeParentCultures).Select(Vul);

    /// <summary>The placeholders every resource text may use.</summary>
    public static string Vul(string tekst, GemeenteProfiel profiel)
    {
        ArgumentNullException.ThrowIfNull(tekst);
        ArgumentNullException.ThrowIfNull(profiel);
        return tekst
            .Replace("{gemeente}", profiel.Naam, StringComparison.Ordinal)
            .Replace("{wijkcode}", profiel.VoorbeeldWijkcode, StringComparison.Ordinal);
    }

    private LocalizedString Vul(LocalizedString tekst) =>
        new(tekst.Name, Vul(tekst.Value, profiel), tekst.ResourceNotFound, tekst.SearchedLocation);
}
