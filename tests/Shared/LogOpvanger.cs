using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Wijkmeldingen.Testing;

/// <summary>A logger provider for a test host that keeps everything written to it: the formatted
/// message, every structured value, the scopes around it and the exception, as one text per entry.
/// Add it with <c>logging.AddProvider(opvanger)</c> and a filter for it (<see cref="Koppel"/>).</summary>
public sealed class LogOpvanger : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<string> regels = new();
    private IExternalScopeProvider scopes = new LoggerExternalScopeProvider();

    /// <summary>Everything from Debug up, whatever the app's own filter says (a provider-specific
    /// rule wins over the category rules of appsettings.json).</summary>
    public static void Koppel(ILoggingBuilder logging, LogOpvanger opvanger)
    {
        ArgumentNullException.ThrowIfNull(logging);
        logging.AddProvider(opvanger);
        logging.AddFilter<LogOpvanger>(null, LogLevel.Debug);
    }

    public IReadOnlyList<string> Regels => [.. regels];

    public string Tekst() => string.Join('\n', regels);

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => scopes = scopeProvider;

    public void Dispose() { }

    private sealed class Logger(LogOpvanger opvanger, string categorie) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => opvanger.scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(
            LogLevel logLevel,
            EventId eventId,
            TState state,
            Exception? exception,
            Func<TState, Exception?, string> formatter
        )
        {
            ArgumentNullException.ThrowIfNull(formatter);
            var tekst = new StringBuilder().Append(logLevel).Append(' ').Append(categorie).Append(": ").Append(formatter(state, exception));
            if (state is IEnumerable<KeyValuePair<string, object?>> waarden)
            {
                foreach (var (sleutel, waarde) in waarden)
                {
                    tekst.Append(" | ").Append(sleutel).Append('=').Append(waarde);
                }
            }
            opvanger.scopes.ForEachScope((scope, sb) => sb.Append(" | scope ").Append(scope), tekst);
            if (exception is not null)
            {
                tekst.Append('\n').Append(exception);
            }
            opvanger.regels.Enqueue(tekst.ToString());
        }
    }
}
