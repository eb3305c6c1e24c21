namespace AgentOrchestrator.Durable;

/// <summary>How a worker polls, locks, caches and limits its work.</summary>
public sealed class DurableWorkerOptions
{
    /// <summary>Names this worker as a lock owner. Default: machine name, process id and a random suffix.</summary>
    public string WorkerId { get; set; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..6]}";

    /// <summary>
    /// Episodes run at once. Default 10 per processor, as many as <see cref="MaxConcurrentActivities"/>: an activity
    /// that finishes runs its instance's next episode itself (direct completion) only when an episode slot is free, and
    /// takes the slower inbox path otherwise.
    /// </summary>
    public int MaxConcurrentOrchestrations { get; set; } = 10 * Environment.ProcessorCount;

    /// <summary>
    /// Activities run at once. Default 10 per processor (as Durable Functions does): activities mostly wait on models,
    /// HTTP tools and the store, not on the processor.
    /// </summary>
    public int MaxConcurrentActivities { get; set; } = 10 * Environment.ProcessorCount;

    /// <summary>How long a lock lasts before another worker may take the work. Default 30 seconds;
    /// activity locks are renewed while the activity runs.</summary>
    public TimeSpan LockDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Deliveries after which a message is dead-lettered instead of processed again. Default 5.</summary>
    public int MaxDeliveries { get; set; } = 5;

    /// <summary>The first wait after an empty poll; it doubles up to <see cref="MaxPollInterval"/>. Default 10 ms.</summary>
    public TimeSpan MinPollInterval { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>The longest wait between polls when idle. Default 500 ms.</summary>
    public TimeSpan MaxPollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Executions kept in memory between episodes so new events need no replay. Default 1000; 0 disables.</summary>
    public int MaxCachedExecutions { get; set; } = 1000;

    /// <summary>The most inbox messages one episode consumes. Default 100.</summary>
    public int MaxMessagesPerEpisode { get; set; } = 100;

    /// <summary>Checks the options and names the first bad one.</summary>
    public void Validate()
    {
        Require(!string.IsNullOrWhiteSpace(WorkerId), nameof(WorkerId), "must not be empty");
        Require(MaxConcurrentOrchestrations >= 1, nameof(MaxConcurrentOrchestrations), "must be at least 1");
        Require(MaxConcurrentActivities >= 1, nameof(MaxConcurrentActivities), "must be at least 1");
        Require(LockDuration >= TimeSpan.FromSeconds(1), nameof(LockDuration), "must be at least 1 second");
        Require(MaxDeliveries >= 1, nameof(MaxDeliveries), "must be at least 1");
        Require(MinPollInterval > TimeSpan.Zero && MinPollInterval <= MaxPollInterval, nameof(MinPollInterval), "must be positive and at most MaxPollInterval");
        Require(MaxCachedExecutions >= 0, nameof(MaxCachedExecutions), "must not be negative");
        Require(MaxMessagesPerEpisode >= 1, nameof(MaxMessagesPerEpisode), "must be at least 1");
    }

    private static void Require(bool condition, string name, string rule)
    {
        if (!condition)
        {
            throw new ArgumentException($"DurableWorkerOptions.{name} {rule}.", name);
        }
    }
}
