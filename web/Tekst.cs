namespace Wijkmeldingen.Web;

/// <summary>Marker for the shared UI texts in Resources/Tekst.resx (Dutch, the neutral language) and
/// Resources/Tekst.en.resx (English). It lives outside Resources/ on purpose: a class beside a .resx
/// makes MSBuild name the resources after the class, and the localizer would not find them.</summary>
public sealed class Tekst;
