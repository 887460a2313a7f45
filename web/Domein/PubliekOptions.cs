using System.ComponentModel.DataAnnotations;

namespace Wijkmeldingen.Web.Domein;

/// <summary>What the public may see of reports, under <c>Kaart</c> (the section's name predates the
/// split; the settings are unchanged). Every public output (map, list, feeds, digests, tracking
/// page, open data, Open311, walk pages) applies these rules; sensitive categories are never public
/// whatever they say (db function <c>publiek_punt</c>).</summary>
public sealed class PubliekOptions
{
    public const string Section = "Kaart";

    /// <summary>Public points of 'exact' categories are snapped to the centre of a raster cell of this
    /// many metres ('grof' categories to 250 m; sensitive ones are never public).</summary>
    [Range(1, 1000, ErrorMessage = "Kaart:PubliekRasterMeters must be between {1} and {2}.")]
    public int PubliekRasterMeters { get; set; } = 25;

    /// <summary>Public counts below this number are shown as "&lt; N" (small-count suppression).</summary>
    [Range(0, 1000, ErrorMessage = "Kaart:OnderdrukOnder must be between {1} and {2}.")]
    public int OnderdrukOnder { get; set; } = 5;

    /// <summary>Show the text (as moderated by staff: hidden text left out, redacted passages as
    /// "[verwijderd]") and the photos not hidden by staff of non-sensitive reports on the tracking page
    /// and in Open311. Off by default: then no text or photo is ever public.</summary>
    public bool TekstOpenbaar { get; set; }

    /// <summary>The municipality (CBS code) whose reports the public map, list and open data show: the
    /// application's own filter in those queries, beside the database's row-level security (V81), so
    /// each wall holds on its own. Set from the profile (<c>Gemeente:CbsCode</c>); not configured here.
    /// Empty: the queries return nothing.</summary>
    public string Gemeente { get; set; } = "";
}
