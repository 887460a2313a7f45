namespace Wijkmeldingen.Web;

/// <summary>Marker for the back office's UI texts in Resources/Beheer.resx (Dutch, neutral) and
/// Resources/Beheer.en.resx. Kept apart from Tekst.resx so the back office can grow without merge
/// conflicts; outside Resources/ for the same reason as <see cref="Tekst"/>.</summary>
public sealed class Beheer;
