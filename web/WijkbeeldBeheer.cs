namespace Wijkmeldingen.Web;

/// <summary>Marker for the UI texts of the staff side of the safety picture (staff hotspot map and
/// wijk picture, narratives, perceived-safety import, alerts) in Resources/WijkbeeldBeheer.resx
/// (Dutch, neutral) and Resources/WijkbeeldBeheer.en.resx. A file of its own so that the back office
/// and the public safety picture can grow side by side without merge conflicts.</summary>
public sealed class WijkbeeldBeheer;
