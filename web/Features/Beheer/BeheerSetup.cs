using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.ApplicationModels;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Wijkmeldingen.Web.Data;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Features.Beheer.Accounts;
using Wijkmeldingen.Web.Hosting;

namespace Wijkmeldingen.Web.Features.Beheer;

/// <summary>Settings under <c>Beheer</c>.</summary>
public sealed class BeheerOptions
{
    public const string Section = "Beheer";

    /// <summary>Failed sign-ins in a row before an account is locked.</summary>
    [Range(1, 100, ErrorMessage = "Beheer:LockoutPogingen must be between {1} and {2}.")]
    public int LockoutPogingen { get; set; } = 5;

    [Range(1, 10080, ErrorMessage = "Beheer:LockoutMinuten must be between {1} and {2}.")]
    public int LockoutMinuten { get; set; } = 15;

    /// <summary>How long an invitation (set-password link) stays valid.</summary>
    [Range(1, 90, ErrorMessage = "Beheer:UitnodigingGeldigDagen must be between {1} and {2}.")]
    public int UitnodigingGeldigDagen { get; set; } = 7;

    /// <summary>Minimum password length (no composition rules: length matters most).</summary>
    [Range(8, 128, ErrorMessage = "Beheer:WachtwoordMinimumLengte must be between {1} and {2}.")]
    public int WachtwoordMinimumLengte { get; set; } = 12;

    /// <summary>Idle minutes before a staff session ends.</summary>
    [Range(5, 10080, ErrorMessage = "Beheer:SessieMinuten must be between {1} and {2}.")]
    public int SessieMinuten { get; set; } = 480;

    /// <summary>Beheerders must sign in in two steps: until they set up an authenticator app, every
    /// back-office page sends them to /beheer/tweestaps.</summary>
    public bool TweestapsVerplichtVoorBeheerders { get; set; } = true;

    /// <summary>How long a "forgot password" link stays valid.</summary>
    [Range(5, 1440, ErrorMessage = "Beheer:WachtwoordVergetenMinuten must be between {1} and {2}.")]
    public int WachtwoordVergetenMinuten { get; set; } = 60;

    /// <summary>"Forgot password" mails per account per hour (more requests get the same answer, no mail).</summary>
    [Range(1, 20, ErrorMessage = "Beheer:WachtwoordVergetenPerUur must be between {1} and {2}.")]
    public int WachtwoordVergetenPerUur { get; set; } = 3;

    /// <summary>"Forgot password" requests per client address per hour (more get a 429).</summary>
    [Range(1, 1000, ErrorMessage = "Beheer:WachtwoordVergetenPerAdresPerUur must be between {1} and {2}.")]
    public int WachtwoordVergetenPerAdresPerUur { get; set; } = 10;

    /// <summary>Days after an account was switched off before its name, address and credentials are
    /// removed (<see cref="MedewerkerOpschonen"/>); 0: kept until deleted by hand.</summary>
    [Range(0, 3650, ErrorMessage = "Beheer:GedeactiveerdBewarenDagen must be between {1} and {2}.")]
    public int GedeactiveerdBewarenDagen { get; set; } = 180;
}

/// <summary>The back office: staff accounts (ASP.NET Core Identity on Dapper stores, cookie sign-in,
/// lockout), role policies on every /beheer page and endpoint, and the feature's services.</summary>
public static class BeheerSetup
{
    public const string CookieNaam = "wijk.beheer";

    public static IServiceCollection AddBeheer(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BeheerOptions>().BindConfiguration(BeheerOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // Deactivated staff accounts are anonymised after Beheer:GedeactiveerdBewarenDagen (the portal's clock).
        services.AddOpschoonRegel(sp =>
            MedewerkerOpschonen.Regel(sp.GetRequiredService<IOptions<BeheerOptions>>().Value, sp.GetRequiredService<TimeProvider>())
        );
        var opties = configuration.GetSection(BeheerOptions.Section).Get<BeheerOptions>() ?? new BeheerOptions();

        services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
        services
            .AddIdentityCore<Medewerker>(options =>
            {
                options.User.RequireUniqueEmail = false; // the e-mail is the user name, unique in the table
                options.Password.RequiredLength = opties.WachtwoordMinimumLengte;
                options.Password.RequireDigit = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequiredUniqueChars = 4;
                options.Lockout.AllowedForNewUsers = true;
                options.Lockout.MaxFailedAccessAttempts = opties.LockoutPogingen;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(opties.LockoutMinuten);
                // "Confirmed" means "active" here (MedewerkerBevestiging): a deactivated account cannot sign in.
                options.SignIn.RequireConfirmedAccount = true;
            })
            .AddRoles<Rol>()
            .AddUserStore<MedewerkerStore>()
            .AddRoleStore<RolStore>()
            .AddClaimsPrincipalFactory<MedewerkerClaimsFactory>()
            .AddUserConfirmation<MedewerkerBevestiging>()
            .AddSignInManager()
            // Invitation links (password reset tokens) and authenticator apps; no phone or e-mail codes.
            .AddTokenProvider<DataProtectorTokenProvider<Medewerker>>(TokenOptions.DefaultProvider)
            .AddTokenProvider<AuthenticatorTokenProvider<Medewerker>>(TokenOptions.DefaultAuthenticatorProvider)
            // "Forgot password" links: the same kind of token, with its own (short) lifespan and key purpose.
            .AddTokenProvider<WachtwoordVergetenTokens>(WachtwoordVergetenTokens.Naam);
        services.Configure<DataProtectionTokenProviderOptions>(o => o.TokenLifespan = TimeSpan.FromDays(opties.UitnodigingGeldigDagen));
        services.Configure<WachtwoordVergetenTokenOpties>(o =>
        {
            o.Name = WachtwoordVergetenTokens.Naam;
            o.TokenLifespan = TimeSpan.FromMinutes(opties.WachtwoordVergetenMinuten);
        });
        services.AddSingleton<WachtwoordVergetenLimiet>();
        services.AddOpschoonRegel(WachtwoordVergetenLimiet.Regel());

        services.ConfigureApplicationCookie(options =>
        {
            options.Cookie.Name = CookieNaam;
            // Only the back office needs the cookie; public pages stay cookie-free for staff too.
            options.Cookie.Path = "/beheer";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.ExpireTimeSpan = TimeSpan.FromMinutes(opties.SessieMinuten);
            options.SlidingExpiration = true;
            options.LoginPath = "/beheer/inloggen";
            options.LogoutPath = "/beheer/uitloggen";
            options.ReturnUrlParameter = "terug";
            // A signed-in staff member without the right role gets a plain 403, not a redirect.
            options.Events.OnRedirectToAccessDenied = context =>
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
        });
        // Check the security stamp on every back-office request: deactivating an account or changing
        // its roles (both change the stamp) takes effect at once, not after the default 30 minutes.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.Zero);
        services.ConfigureExternalCookie(options => options.Cookie.Path = "/beheer");
        services.Configure<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions>(
            IdentityConstants.TwoFactorUserIdScheme,
            options => options.Cookie.Path = "/beheer"
        );

        services
            .AddAuthorizationBuilder()
            .AddPolicy(BeheerPolicies.Medewerker, p => p.RequireAuthenticatedUser().RequireRole(Rollen.Alle))
            .AddPolicy(BeheerPolicies.Triage, p => p.RequireAuthenticatedUser().RequireRole(Rollen.Wijkprofessional, Rollen.Beheerder))
            .AddPolicy(BeheerPolicies.Beheerder, p => p.RequireAuthenticatedUser().RequireRole(Rollen.Beheerder))
            .AddPolicy(BeheerPolicies.Wandelingen, p => p.RequireAuthenticatedUser().RequireRole(Rollen.Organisator, Rollen.Beheerder));

        // Every page of the back office itself (Features/Beheer) needs a staff role; accounts and
        // categories need a beheerder. Features authorise their own staff halves (their Beheer/
        // folders); as a second line, any page whose route lies under /beheer needs a staff role
        // whichever folder it is in. Sign-in and the set-password page (invitation link) are the
        // only anonymous ones.
        services.Configure<RazorPagesOptions>(options =>
        {
            options.Conventions.AuthorizeFolder("/Beheer", BeheerPolicies.Medewerker);
            options.Conventions.AuthorizeFolder("/Beheer/Medewerkers", BeheerPolicies.Beheerder);
            options.Conventions.AuthorizeFolder("/Beheer/Rubrieken", BeheerPolicies.Beheerder);
            options.Conventions.AuthorizeFolder("/Beheer/Teams", BeheerPolicies.Beheerder);
            options.Conventions.Add(new BeheerRoutesAlleenVoorMedewerkers());
            options.Conventions.AllowAnonymousToPage("/Beheer/Inloggen");
            options.Conventions.AllowAnonymousToPage("/Beheer/InloggenCode");
            options.Conventions.AllowAnonymousToPage("/Beheer/Wachtwoord");
            options.Conventions.AllowAnonymousToPage("/Beheer/WachtwoordVergeten");
        });

        services.AddScoped<MedewerkerAccounts>();
        services.AddScoped<WachtwoordVergeten>();
        // `beheerder-maken EMAIL [NAAM]`: a fresh installation's first beheerder.
        services.AddCommando("beheerder-maken", BeheerderMaken.RunAsync);
        // Development demo data: one staff account per role with a known password (never in Production).
        services.AddDemoStap(BeheerDemo.Stap);
        return services;
    }

    /// <summary>Adds the staff policy to every page whose route starts with <c>beheer/</c>, wherever
    /// its folder is, so a staff page put in a folder nobody authorised is still closed. An anonymous
    /// page (sign-in) keeps its <see cref="Microsoft.AspNetCore.Authorization.AllowAnonymousAttribute"/>, which wins.</summary>
    private sealed class BeheerRoutesAlleenVoorMedewerkers : IPageApplicationModelConvention
    {
        public void Apply(PageApplicationModel model)
        {
            var onderBeheer =
                model.ActionDescriptor.AttributeRouteInfo?.Template is { } t
                && (t.Equals("beheer", StringComparison.OrdinalIgnoreCase) || t.StartsWith("beheer/", StringComparison.OrdinalIgnoreCase));
            if (onderBeheer)
            {
                model.Filters.Add(new Microsoft.AspNetCore.Mvc.Authorization.AuthorizeFilter(BeheerPolicies.Medewerker));
            }
        }
    }

    public static WebApplication UseBeheer(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseAuthentication();
        app.UseAuthorization();
        // Mandatory two-step sign-in for beheerders (Beheer:TweestapsVerplichtVoorBeheerders): a
        // beheerder without it reaches only the set-up page and sign-out.
        app.Use(
            (context, next) =>
            {
                var gebruiker = context.User;
                if (
                    context.Request.Path.StartsWithSegments("/beheer")
                    && !context.Request.Path.StartsWithSegments("/beheer/tweestaps")
                    && !context.Request.Path.StartsWithSegments("/beheer/uitloggen")
                    && gebruiker.Identity?.IsAuthenticated == true
                    && gebruiker.IsInRole(Rollen.Beheerder)
                    && !gebruiker.HasClaim(c => c.Type == MedewerkerClaimsFactory.TweestapsClaim)
                    && context.RequestServices.GetRequiredService<IOptions<BeheerOptions>>().Value.TweestapsVerplichtVoorBeheerders
                )
                {
                    context.Response.Redirect("/beheer/tweestaps?verplicht=1");
                    return Task.CompletedTask;
                }
                return next(context);
            }
        );
        // Staff pages show personal data: never cached, never indexed.
        app.Use(
            (context, next) =>
            {
                if (context.Request.Path.StartsWithSegments("/beheer"))
                {
                    context.Response.Headers.CacheControl = "no-cache, no-store";
                    context.Response.Headers.Pragma = "no-cache";
                    context.Response.Headers["X-Robots-Tag"] = "noindex, nofollow";
                }
                return next(context);
            }
        );
        return app;
    }
}
