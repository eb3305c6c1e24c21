using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace AgentOrchestrator.Host.Tests;

/// <summary>
/// A log provider that keeps everything a real provider could write: the formatted message, every structured value,
/// the exception as text and the scopes' values.
/// </summary>
internal sealed class LogCapture : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    /// <summary>Every captured line, one per log call.</summary>
    public IReadOnlyList<string> Lines => [.. _entries.Select(e => e.Line)];

    /// <summary>Every captured log call.</summary>
    public IReadOnlyList<LogEntry> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var message = formatter(state, exception);
            var line = new System.Text.StringBuilder();
            line.Append(category).Append('[').Append(eventId.Id).Append("] ").Append(message);
            var values = state as IEnumerable<KeyValuePair<string, object?>> ?? [];
            foreach (var (key, value) in values)
            {
                line.Append(" | ").Append(key).Append('=').Append(value);
            }

            owner._scopes.ForEachScope(
                (scope, builder) =>
                {
                    builder.Append(" | scope ").Append(scope);
                    foreach (var (key, value) in scope as IEnumerable<KeyValuePair<string, object?>> ?? [])
                    {
                        builder.Append(' ').Append(key).Append('=').Append(value);
                    }
                },
                line);
            if (exception is not null)
            {
                line.Append(" | ").Append(exception);
            }

            owner._entries.Enqueue(new LogEntry(message, [.. values], exception, line.ToString()));
        }
    }
}

/// <summary>One captured log call: its message, its structured values, its exception, and all of it as one line.</summary>
internal sealed record LogEntry(string Message, IReadOnlyList<KeyValuePair<string, object?>> Values, Exception? Exception, string Line);
