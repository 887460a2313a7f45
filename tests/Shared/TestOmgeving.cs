using System.Runtime.CompilerServices;

namespace Wijkmeldingen.Testing;

/// <summary>
/// Process-wide settings for the test assemblies. Every app a test starts would otherwise open
/// inotify watchers (configuration reload, static files); with dozens of apps alive at once that
/// runs into the kernel's per-user limit (128 here). Polling watchers need none.
/// </summary>
internal static class TestOmgeving
{
    [ModuleInitializer]
    internal static void Init() => Environment.SetEnvironmentVariable("DOTNET_USE_POLLING_FILE_WATCHER", "true");
}
