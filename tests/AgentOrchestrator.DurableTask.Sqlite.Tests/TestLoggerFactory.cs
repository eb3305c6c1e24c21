using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace AgentOrchestrator.DurableTask.Sqlite.Tests;

/// <summary>Writes the service's logs (Debug and up) to the test's output.</summary>
internal sealed class TestLoggerFactory(ITestOutputHelper output) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => new OutputLogger(output, categoryName);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class OutputLogger(ITestOutputHelper output, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            try
            {
                output.WriteLine($"{logLevel} {category}[{eventId.Id}] {formatter(state, exception)} {exception}");
            }
            catch (InvalidOperationException)
            {
                // The test has ended.
            }
        }
    }
}
