using Wijkmeldingen.Web.Features.Wandelingen;

namespace Wijkmeldingen.Testing;

/// <summary>A walk sign-up as a resident makes it: ask for a place, then confirm with the link from
/// the e-mail (its key is what <see cref="Aanmeldingen.AanmeldenAsync(long, string, string, int, CancellationToken)"/>
/// puts in the link). Only a confirmed sign-up takes a place.</summary>
public static class WandelingAanmelden
{
    public static async Task<Aanmeldingen.Resultaat> AanmeldenEnBevestigenAsync(
        this Aanmeldingen aanmeldingen,
        long wandelingId,
        string naam,
        string email,
        int personen,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(aanmeldingen);
        var aanvraag = await aanmeldingen.AanmeldenAsync(wandelingId, naam, email, personen, cancellationToken);
        return aanvraag.Uitkomst == Aanmeldingen.Uitkomst.Bevestigen
            ? await aanmeldingen.BevestigenAsync(aanvraag.Sleutel!, cancellationToken)
            : aanvraag;
    }
}
