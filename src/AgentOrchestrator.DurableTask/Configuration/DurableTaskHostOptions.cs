namespace AgentOrchestrator.DurableTask.Configuration;

/// <summary>
/// The Durable Task settings, in the shape Durable Functions reads from <c>host.json</c>
/// (<c>extensions:durableTask</c>), so the self-hosted service and a Functions app share one file.
/// </summary>
public sealed class DurableTaskHostOptions
{
    /// <summary>The configuration section: <c>extensions:durableTask</c> (as in a Functions <c>host.json</c>).</summary>
    public const string SectionName = "extensions:durableTask";

    /// <summary>The task hub: one set of tables (or one database) whose instances these workers run. Default <c>AgentOrchestrator</c>.</summary>
    public string HubName { get; set; } = "AgentOrchestrator";

    /// <summary>Where orchestrations are kept. Default: the embedded SQLite file.</summary>
    public StorageProviderOptions StorageProvider { get; set; } = new();

    /// <summary>
    /// Keeps a running orchestration in memory between its events, so it is not replayed from history on every one.
    /// Default <c>true</c> (Durable Functions defaults to false; the SQLite service is built around it).
    /// </summary>
    public bool ExtendedSessionsEnabled { get; set; } = true;

    /// <summary>How long an idle orchestration stays in memory with extended sessions, in seconds. Default 30.</summary>
    public int ExtendedSessionIdleTimeoutInSeconds { get; set; } = 30;

    /// <summary>
    /// Activities one worker process runs at once. Default 100 per processor (Durable Functions: 10): an agent's activities
    /// wait on a model or a service (seconds, against milliseconds of processor), and an activity holds its slot while it
    /// waits, so 10 per processor let 20 model calls on a 2-core host hold up every other session's step. In the agent
    /// benchmark (50 sessions) 20 slots measured 2.2-2.6 ms per tool call, 40 or more 1.3-1.4 ms (docs/PERFORMANCE.md).
    /// </summary>
    public int MaxConcurrentActivityFunctions { get; set; } = 100 * Environment.ProcessorCount;

    /// <summary>
    /// Orchestration work items one worker process holds at once. Default 1000 (Durable Functions: 10 per processor):
    /// with extended sessions an idle session holds one, and DTFx keeps at most half of them as sessions, so a low value
    /// makes busy sessions beyond it reload their history on every event. An idle session costs memory, not processor.
    /// </summary>
    public int MaxConcurrentOrchestratorFunctions { get; set; } = 1000;

    /// <summary>Throws <see cref="InvalidOperationException"/> naming the first setting that is out of range.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(HubName) || !HubName.All(c => char.IsAsciiLetterOrDigit(c)) || !char.IsAsciiLetter(HubName[0]) || HubName.Length > 45)
        {
            throw new InvalidOperationException(
                $"{SectionName}:hubName '{HubName}' is not a valid task hub name: use 1 to 45 ASCII letters and digits, starting with a letter.");
        }

        Require(ExtendedSessionIdleTimeoutInSeconds is >= 1 and <= 3600, "extendedSessionIdleTimeoutInSeconds", ExtendedSessionIdleTimeoutInSeconds, "1 to 3600");
        Require(MaxConcurrentActivityFunctions is >= 1 and <= 10_000, "maxConcurrentActivityFunctions", MaxConcurrentActivityFunctions, "1 to 10000");
        Require(MaxConcurrentOrchestratorFunctions is >= 1 and <= 10_000, "maxConcurrentOrchestratorFunctions", MaxConcurrentOrchestratorFunctions, "1 to 10000");
        StorageProvider.Validate();
    }

    internal static void Require(bool condition, string key, object value, string range)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"{SectionName}:{key} is {value}; it must be {range}.");
        }
    }
}
