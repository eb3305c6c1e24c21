namespace AgentOrchestrator.Api.Logging;

/// <summary>
/// Wraps the host's logger factory so that every logger it hands out masks what it logs with
/// <see cref="Api.Redaction.ForStaff(string)"/>: the host's own messages, the tools layer's, the engine's and ASP.NET
/// Core's alike, before any provider (console, OpenTelemetry, a test's) sees them. See <see cref="RedactingLogger"/>.
/// </summary>
public sealed class RedactingLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new RedactingLogger(inner.CreateLogger(categoryName));

    /// <inheritdoc />
    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    /// <inheritdoc />
    public void Dispose() => inner.Dispose();
}
