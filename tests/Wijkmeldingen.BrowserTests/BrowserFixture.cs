using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Wijkmeldingen.Testing;

namespace Wijkmeldingen.BrowserTests;

/// <summary>
/// One test database, the real app on a loopback port (Kestrel, not the in-memory test server) and
/// Debian's headless Chromium driven by Playwright. Playwright never downloads a browser here.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public static readonly string ChromiumPath = Environment.GetEnvironmentVariable("WIJK_CHROMIUM") is { Length: > 0 } path
        ? path
        : "/usr/bin/chromium";

    private static readonly string[] LaunchArgs =
    [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
    ];

    private TestDatabase database = null!;
    private WijkAppFactory app = null!;
    private IPlaywright playwright = null!;

    public IBrowser Browser { get; private set; } = null!;
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The running app's services (for the test-data builders that need them).</summary>
    public IServiceProvider Services => app.Services;
    public TestDatabase Database => database;

    /// <summary>Receives the portal's e-mail; the background sender runs, as in production.</summary>
    public TestSmtpServer Smtp { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync();
        Smtp = TestSmtpServer.Start();
        var settings = Smtp.Settings;
        settings["Mail:Verzenden"] = "true";
        settings["Mail:PollIntervalSeconden"] = "1";
        app = new WijkAppFactory(database.ConnectionString, settings);
        app.UseKestrel(0);
        app.StartServer();
        BaseAddress = app.ClientOptions.BaseAddress;

        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(
            new BrowserTypeLaunchOptions
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                Args = LaunchArgs,
            }
        );
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        playwright.Dispose();
        await app.DisposeAsync();
        Smtp.Dispose();
        await database.DisposeAsync();
    }

    public static BrowserNewContextOptions Phone =>
        new()
        {
            ViewportSize = new ViewportSize { Width = 360, Height = 740 },
            DeviceScaleFactor = 2,
            IsMobile = true,
            HasTouch = true,
            Locale = "nl-NL",
        };

    /// <summary>A larger phone (390 × 844, as issue 21 measures the map-first layout).</summary>
    public static BrowserNewContextOptions Phone390 =>
        new()
        {
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            DeviceScaleFactor = 3,
            IsMobile = true,
            HasTouch = true,
            Locale = "nl-NL",
        };

    public static BrowserNewContextOptions Desktop =>
        new()
        {
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            Locale = "nl-NL",
        };

    /// <summary>A page that fails the test on any request that leaves this origin (or that of
    /// <paramref name="basis"/>, a test's own server), on any console error (a Content-Security-Policy
    /// violation included) and on any uncaught script error.</summary>
    public async Task<(IPage Page, List<string> Problems)> OpenAsync(BrowserNewContextOptions options, Uri? basis = null)
    {
        var context = await Browser.NewContextAsync(options);
        var page = await context.NewPageAsync();
        var problems = new List<string>();
        var origin = (basis ?? BaseAddress).GetLeftPart(UriPartial.Authority);
        await page.RouteAsync("**/*", async route =>
        {
            if (
                route.Request.Url.StartsWith(origin, StringComparison.Ordinal)
                || route.Request.Url.StartsWith("data:", StringComparison.Ordinal)
            )
            {
                await route.ContinueAsync();
            }
            else
            {
                problems.Add("request outside this origin: " + route.Request.Url);
                await route.AbortAsync();
            }
        });
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                problems.Add("console error: " + message.Text);
            }
        };
        page.PageError += (_, error) => problems.Add("script error: " + error);
        return (page, problems);
    }

    /// <summary>A browser profile on disk, as on a real phone (an incognito context drops IndexedDB
    /// as soon as no page of the origin has it open). Dispose the context when done.</summary>
    public async Task<IBrowserContext> NieuwProfielAsync(BrowserNewContextOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var map = Directory.CreateTempSubdirectory("wijk-profiel-").FullName;
        return await playwright.Chromium.LaunchPersistentContextAsync(
            map,
            new BrowserTypeLaunchPersistentContextOptions
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                Args = LaunchArgs,
                ViewportSize = options.ViewportSize,
                DeviceScaleFactor = options.DeviceScaleFactor,
                IsMobile = options.IsMobile,
                HasTouch = options.HasTouch,
                Locale = options.Locale,
            }
        );
    }

    /// <summary>Moves the focus with the Tab key only, until the element matching
    /// <paramref name="selector"/> has it; fails when it is not reached.</summary>
    public static async Task TabNaarAsync(IPage page, string selector, int maximaal = 120)
    {
        for (var i = 0; i < maximaal; i++)
        {
            if (await page.EvaluateAsync<bool>("s => document.activeElement?.matches(s) ?? false", selector))
            {
                return;
            }
            await page.Keyboard.PressAsync("Tab");
        }
        Assert.Fail($"{selector} was not reached with {maximaal} presses of Tab");
    }

    /// <summary>
    /// Where <see cref="SchermafdrukAsync"/> writes: <c>WIJK_SCREENSHOTS</c> when set (<c>infra/wijk
    /// screenshots</c> points it at docs/img, so the README's pictures are made by the tests and stay
    /// current), else a folder under the temporary directory, so an ordinary test run leaves the
    /// working tree alone.
    /// </summary>
    public static string SchermafdrukMap =>
        Environment.GetEnvironmentVariable("WIJK_SCREENSHOTS") is { Length: > 0 } map
            ? map
            : Path.Combine(Path.GetTempPath(), "wijk-screenshots");

    /// <summary>A PNG of the page as it is now (the viewport, or the whole page), named
    /// <paramref name="naam"/>.png; fails when the file is not written.</summary>
    public static async Task SchermafdrukAsync(IPage page, string naam, bool volledig = false)
    {
        ArgumentNullException.ThrowIfNull(page);
        Directory.CreateDirectory(SchermafdrukMap);
        var pad = Path.Combine(SchermafdrukMap, naam + ".png");
        // Animations and the blinking caret off, so a picture only changes when the page does.
        await page.ScreenshotAsync(
            new PageScreenshotOptions
            {
                Path = pad,
                FullPage = volledig,
                Animations = ScreenshotAnimations.Disabled,
                Caret = ScreenshotCaret.Hide,
            }
        );
        Assert.True(new FileInfo(pad).Length > 1000, $"screenshot {pad} was not written");
    }

    /// <summary>axe-core over the page as it is now, restricted to WCAG 2.0/2.1 A and AA; any
    /// violation fails the test with its rule, impact and the offending elements.</summary>
    public static async Task AssertAccessibleAsync(IPage page)
    {
        var result = await page.RunAxe(
            new AxeRunOptions
            {
                RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
            }
        );
        var violations = result
            .Violations.Select(v => $"{v.Id} ({v.Impact}): {v.Help} — {string.Join(" | ", v.Nodes.Select(n => n.Html))}")
            .ToList();
        Assert.True(
            violations.Count == 0,
            $"axe-core found {violations.Count} violation(s) on {page.Url}:\n" + string.Join("\n", violations)
        );
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserGroup : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
