using AgentOrchestrator.Api;

namespace AgentOrchestrator.Api.Logging;

/// <summary>
/// Masks a log call before it reaches the providers. A message template is code, written and reviewed like code, so
/// its own text is kept; what fills its holes is data and is masked, as are the exception (message and stack text)
/// and the scopes. A message without a template (a plain string state) is masked whole.
/// </summary>
internal sealed class RedactingLogger(ILogger inner) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => state switch
        {
            string text => inner.BeginScope(Redaction.ForStaff(text)),
            IReadOnlyList<KeyValuePair<string, object?>> values => inner.BeginScope(RedactedLogValues.From(values, () => values.ToString() ?? string.Empty)),
            _ => inner.BeginScope(state),
        };

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!inner.IsEnabled(logLevel))
        {
            return;
        }

        ArgumentNullException.ThrowIfNull(formatter);
        var shownException = RedactedException.From(exception);
        var values = state as IReadOnlyList<KeyValuePair<string, object?>>;
        var redacted = RedactedLogValues.From(values ?? [], () => formatter(state, exception));
        inner.Log(logLevel, eventId, redacted, shownException, static (s, _) => s.ToString());
    }
}
