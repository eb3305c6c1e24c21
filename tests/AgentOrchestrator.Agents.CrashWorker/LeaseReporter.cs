using Microsoft.Extensions.Logging;

namespace AgentOrchestrator.Agents.CrashWorker;

/// <summary>
/// Prints DurableTask.AzureStorage's partition-lease events as <c>lease EventName k=v ...</c> lines, so the scale-out test can
/// see which worker owns which control-queue partition and when a killed worker's partitions were taken over.
/// </summary>
internal sealed class LeaseReporter : ILoggerProvider
{
    private static readonly HashSet<string> Reported = new(StringComparer.Ordinal)
    {
        "LeaseAcquisitionSucceeded", "LeaseStealingSucceeded", "LeaseRemoved", "PartitionRemoved", "LeaseRenewalFailed", "LeaseLost",
    };

    private static readonly Lock Gate = new();

    public ILogger CreateLogger(string categoryName) => new Reporter();

    public void Dispose()
    {
    }

    private sealed class Reporter : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Name is not { } name || !Reported.Contains(name))
            {
                return;
            }

            var fields = state as IEnumerable<KeyValuePair<string, object?>> ?? [];
            var line = $"lease {name} {string.Join(' ', fields.Where(f => f.Key != "{OriginalFormat}").Select(f => $"{f.Key}={f.Value}"))}";
            lock (Gate)
            {
                Console.Out.WriteLine(line);
                Console.Out.Flush();
            }
        }
    }
}
