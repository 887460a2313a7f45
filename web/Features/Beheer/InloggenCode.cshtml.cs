using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Npgsql;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Features.Beheer.Accounts;

namespace Wijkmeldingen.Web.Features.Beheer;

/// <summary>/beheer/inloggen/code: the second step for accounts with an authenticator app, or one of
/// the account's recovery codes (each works once; using one is audited). Wrong codes count towards the
/// lockout like wrong passwords.</summary>
public sealed class InloggenCodeModel(
    SignInManager<Medewerker> signIn,
    NpgsqlDataSource dataSource,
    IStringLocalizer<Wijkmeldingen.Web.BeheerTekst> b
) : PageModel
{
    [BindProperty]
    public string? Code { get; set; }

    [BindProperty]
    public string? Herstelcode { get; set; }

    [BindProperty(SupportsGet = true, Name = "terug")]
    public string? Terug { get; set; }

    public string? Fout { get; private set; }

    public string? HerstelFout { get; private set; }

    public async Task<IActionResult> OnGetAsync() =>
        await signIn.GetTwoFactorAuthenticationUserAsync() is null ? Redirect("/beheer/inloggen") : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        if (await signIn.GetTwoFactorAuthenticationUserAsync() is null)
        {
            return Redirect("/beheer/inloggen");
        }
        var code = (Code ?? "").Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        var result = await signIn.TwoFactorAuthenticatorSignInAsync(code, isPersistent: false, rememberClient: false);
        if (result.Succeeded)
        {
            return Verder();
        }
        Fout = result.IsLockedOut ? b["inloggen.geblokkeerd.kort"] : b["tweestaps.fout"];
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    public async Task<IActionResult> OnPostHerstelAsync(CancellationToken cancellationToken)
    {
        if (await signIn.GetTwoFactorAuthenticationUserAsync() is not { } medewerker)
        {
            return Redirect("/beheer/inloggen");
        }
        var code = (Herstelcode ?? "").Trim();
        var result = code.Length is 0 or > 40
            ? Microsoft.AspNetCore.Identity.SignInResult.Failed
            : await signIn.TwoFactorRecoveryCodeSignInAsync(code);
        if (result.Succeeded)
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await Audit.SchrijfAsync(
                connection,
                null,
                new Actor(medewerker.Id, medewerker.Naam),
                "herstelcode-gebruikt",
                null,
                null,
                new { medewerker.Id },
                cancellationToken
            );
            return Verder();
        }
        HerstelFout = result.IsLockedOut ? b["inloggen.geblokkeerd.kort"] : b["herstelcodes.fout"];
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private LocalRedirectResult Verder() =>
        LocalRedirect(Url.IsLocalUrl(Terug) && Terug!.StartsWith("/beheer", StringComparison.Ordinal) ? Terug : "/beheer");
}
