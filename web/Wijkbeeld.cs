namespace Wijkmeldingen.Web;

/// <summary>Marker for the UI texts of the safety pictures and hotspot maps (Features/Wijken) in
/// Resources/Wijkbeeld.resx (Dutch, the neutral language) and Resources/Wijkbeeld.en.resx. Kept apart
/// from Tekst.resx so features built side by side do not edit the same file; outside Resources/ for
/// the reason given on <see cref="Tekst"/>.</summary>
public sealed class Wijkbeeld;
