using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Npgsql;
using QRCoder;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Features.Beheer.Accounts;

namespace Wijkmeldingen.Web.Features.Beheer;

/// <summary>/beheer/tweestaps: a staff member turns on sign-in with an authenticator app (TOTP,
/// Identity's AuthenticatorTokenProvider): the page shows a QR code of the otpauth:// URI and the
/// shared key as text; a correct code switches it on and shows ten recovery codes once (stored only
/// hashed, each usable once). New codes replace the old ones. For a beheerder it is mandatory when
/// Beheer:TweestapsVerplichtVoorBeheerders is on (BeheerSetup sends them here).</summary>
public sealed class TweestapsModel(
    UserManager<Medewerker> users,
    SignInManager<Medewerker> signIn,
    NpgsqlDataSource dataSource,
    IStringLocalizer<Wijkmeldingen.Web.BeheerTekst> b,
    IOptions<GemeenteProfiel> gemeente,
    IOptions<BeheerOptions> beheer
) : PageModel
{
    public const int AantalHerstelcodes = 10;

    public string Sleutel { get; private set; } = "";
    public string Uri { get; private set; } = "";
    public string QrDataUri { get; private set; } = "";
    public bool Actief { get; private set; }
    public int HerstelcodesOver { get; private set; }
    public IReadOnlyList<string> Herstelcodes { get; private set; } = [];
    public string? Fout { get; private set; }

    /// <summary>A beheerder who must set it up before anything else.</summary>
    public bool Verplicht { get; private set; }

    [BindProperty]
    public string? Code { get; set; }

    [TempData]
    public string? Bericht { get; set; }

    /// <summary>The confirmation of a POST that renders the page itself (to show the codes once).</summary>
    public string? Succes { get; private set; }

    public async Task<IActionResult> OnGetAsync() => await ToonAsync();

    public async Task<IActionResult> OnPostAanzettenAsync(CancellationToken cancellationToken)
    {
        var medewerker = await users.GetUserAsync(User) ?? throw new InvalidOperationException("Signed in without an account.");
        if (medewerker.TweestapsActief)
        {
            return RedirectToPage();
        }
        var code = (Code ?? "").Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        if (!await users.VerifyTwoFactorTokenAsync(medewerker, users.Options.Tokens.AuthenticatorTokenProvider, code))
        {
            Fout = b["tweestaps.fout"];
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return await ToonAsync();
        }
        await users.SetTwoFactorEnabledAsync(medewerker, true);
        var codes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(medewerker, AantalHerstelcodes))?.ToList() ?? [];
        // The security stamp changed; the stamp is checked on every request, so renew this session.
        await signIn.RefreshSignInAsync(medewerker);
        await AuditAsync("tweestaps-aan", medewerker, cancellationToken);
        Herstelcodes = codes;
        return await ToonAsync(b["tweestaps.ok"]);
    }

    public async Task<IActionResult> OnPostHerstelcodesAsync(CancellationToken cancellationToken)
    {
        var medewerker = await users.GetUserAsync(User) ?? throw new InvalidOperationException("Signed in without an account.");
        if (!medewerker.TweestapsActief)
        {
            return RedirectToPage();
        }
        Herstelcodes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(medewerker, AantalHerstelcodes))?.ToList() ?? [];
        await AuditAsync("herstelcodes-vernieuwd", medewerker, cancellationToken);
        return await ToonAsync(b["herstelcodes.vernieuwd"]);
    }

    private async Task AuditAsync(string actie, Medewerker medewerker, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await Audit.SchrijfAsync(connection, null, Actor.Van(User), actie, null, null, new { medewerker.Id }, cancellationToken);
    }

    private async Task<IActionResult> ToonAsync(string? bericht = null)
    {
        Succes = bericht;
        var medewerker = await users.GetUserAsync(User) ?? throw new InvalidOperationException("Signed in without an account.");
        Actief = medewerker.TweestapsActief;
        Verplicht = !Actief && beheer.Value.TweestapsVerplichtVoorBeheerders && User.IsInRole(Rollen.Beheerder);
        if (Actief)
        {
            HerstelcodesOver = await users.CountRecoveryCodesAsync(medewerker);
            return Page();
        }
        var sleutel = await users.GetAuthenticatorKeyAsync(medewerker);
        if (string.IsNullOrEmpty(sleutel))
        {
            await users.ResetAuthenticatorKeyAsync(medewerker);
            await signIn.RefreshSignInAsync(medewerker);
            sleutel = await users.GetAuthenticatorKeyAsync(medewerker) ?? "";
        }
        Sleutel = string.Join(' ', sleutel.Chunk(4).Select(c => new string(c))).ToLowerInvariant();
        var uitgever = System.Uri.EscapeDataString($"Wijkmeldingen {gemeente.Value.Naam}");
        Uri =
            $"otpauth://totp/{uitgever}:{System.Uri.EscapeDataString(medewerker.Email)}"
            + $"?secret={sleutel}"
            + $"&issuer={uitgever}&digits=6";
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(Uri, QRCodeGenerator.ECCLevel.M);
        QrDataUri = "data:image/png;base64," + Convert.ToBase64String(new PngByteQRCode(data).GetGraphic(5));
        return Page();
    }
}
