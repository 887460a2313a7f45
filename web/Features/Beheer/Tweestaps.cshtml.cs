using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Npgsql;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Features.Beheer.Accounts;

namespace Wijkmeldingen.Web.Features.Beheer;

/// <summary>/beheer/tweestaps: a staff member turns on sign-in with an authenticator app (TOTP):
/// the page shows the shared key (and its otpauth:// URI), a correct code switches it on.</summary>
public sealed class TweestapsModel(
    UserManager<Medewerker> users,
    SignInManager<Medewerker> signIn,
    NpgsqlDataSource dataSource,
    IStringLocalizer<Wijkmeldingen.Web.BeheerTekst> b,
    Microsoft.Extensions.Options.IOptions<GemeenteProfiel> gemeente
) : PageModel
{
    public string Sleutel { get; private set; } = "";
    public string Uri { get; private set; } = "";
    public bool Actief { get; private set; }
    public string? Fout { get; private set; }

    [BindProperty]
    public string? Code { get; set; }

    [TempData]
    public string? Bericht { get; set; }

    public async Task<IActionResult> OnGetAsync() => await ToonAsync();

    public async Task<IActionResult> OnPostAanzettenAsync(CancellationToken cancellationToken)
    {
        var medewerker = await users.GetUserAsync(User) ?? throw new InvalidOperationException("Signed in without an account.");
        var code = (Code ?? "").Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        if (!await users.VerifyTwoFactorTokenAsync(medewerker, users.Options.Tokens.AuthenticatorTokenProvider, code))
        {
            Fout = b["tweestaps.fout"];
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return await ToonAsync();
        }
        await users.SetTwoFactorEnabledAsync(medewerker, true);
        // The security stamp changed; the stamp is checked on every request, so renew this session.
        await signIn.RefreshSignInAsync(medewerker);
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            await Audit.SchrijfAsync(
                connection,
                null,
                Actor.Van(User),
                "tweestaps-aan",
                null,
                null,
                new { medewerker.Id },
                cancellationToken
            );
        }
        Bericht = b["tweestaps.ok"];
        return RedirectToPage();
    }

    private async Task<IActionResult> ToonAsync()
    {
        var medewerker = await users.GetUserAsync(User) ?? throw new InvalidOperationException("Signed in without an account.");
        Actief = medewerker.TweestapsActief;
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
        return Page();
    }
}
