using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using QRCoder;
using Wijkmeldingen.Web.Mail;

namespace Wijkmeldingen.Web.Features.Wandelingen;

/// <summary>/wijkwandelingen/aanmelding/{sleutel}: the personal page behind the link in the e-mail.
/// GET shows the sign-up and, while unconfirmed, asks to confirm (mail scanners follow links, so only
/// POST confirms); once confirmed it shows the check-in code and its QR code for the walk.</summary>
public sealed class AanmeldingModel(Aanmeldingen aanmeldingen, IOptions<MailOptions> mail) : PageModel
{
    public Aanmeldingen.Persoonlijk Aanmelding { get; private set; } = null!;
    public Aanmeldingen.Uitkomst? Uitkomst { get; private set; }
    public string Sleutel { get; private set; } = "";

    /// <summary>The QR code as a PNG data URI: the organiser's check-in page with this code filled in,
    /// so a phone camera opens it ready to confirm.</summary>
    public string? QrDataUri { get; private set; }

    public async Task<IActionResult> OnGetAsync(string sleutel, CancellationToken cancellationToken) =>
        await LaadAsync(sleutel, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(string sleutel, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(sleutel))
        {
            return NotFound();
        }
        var resultaat = await aanmeldingen.BevestigenAsync(sleutel, cancellationToken);
        Uitkomst = resultaat.Uitkomst;
        switch (resultaat.Uitkomst)
        {
            case Aanmeldingen.Uitkomst.Onbekend:
                return NotFound();
            case Aanmeldingen.Uitkomst.Verlopen:
                Response.StatusCode = StatusCodes.Status410Gone;
                return Page();
            case Aanmeldingen.Uitkomst.Gesloten:
                Response.StatusCode = StatusCodes.Status409Conflict;
                return Page();
            default:
                await LaadAsync(sleutel, cancellationToken);
                return Page();
        }
    }

    private async Task<bool> LaadAsync(string sleutel, CancellationToken cancellationToken)
    {
        // A blank key (/aanmelding/%20 binds as null) is no key.
        if (string.IsNullOrWhiteSpace(sleutel) || await aanmeldingen.PersoonlijkAsync(sleutel, cancellationToken) is not { } aanmelding)
        {
            return false;
        }
        (Aanmelding, Sleutel) = (aanmelding, sleutel);
        if (aanmelding.Code is { } code)
        {
            var link = mail.Value.Link($"beheer/wandelingen/{aanmelding.WandelingId}/inchecken?code={code}");
            using var generator = new QRCodeGenerator();
            using var data = generator.CreateQrCode(link, QRCodeGenerator.ECCLevel.M);
            QrDataUri = "data:image/png;base64," + Convert.ToBase64String(new PngByteQRCode(data).GetGraphic(6));
        }
        return true;
    }
}
