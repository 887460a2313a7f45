namespace Wijkmeldingen.Web;

// Markers for the UI texts in Resources/ (Dutch is the neutral language, English in *.en.resx). The
// localizer finds Resources/<Name>.resx from a marker's name, so the markers live here, outside
// Resources/: a class beside a .resx makes MSBuild name the resources after the class instead.
// Each name ends in "Tekst" so that it never shadows a feature's namespace (Features.Beheer,
// Features.Wijkbeeld), which is what once forced `global::` into the views.

/// <summary>The shared public UI texts: Resources/Tekst.resx and Tekst.en.resx.</summary>
public sealed class Tekst;

/// <summary>The back office's texts (sign-in, accounts, triage, walks' staff pages):
/// Resources/BeheerTekst.resx and BeheerTekst.en.resx.</summary>
public sealed class BeheerTekst;

/// <summary>The public safety picture's texts (/wijken): Resources/WijkbeeldTekst.resx.</summary>
public sealed class WijkbeeldTekst;

/// <summary>The staff half of the safety picture (hotspots, stories, perceived safety, alerts):
/// Resources/WijkbeeldBeheerTekst.resx.</summary>
public sealed class WijkbeeldBeheerTekst;
