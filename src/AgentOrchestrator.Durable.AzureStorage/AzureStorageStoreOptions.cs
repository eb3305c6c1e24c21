using System.Text.RegularExpressions;
using Azure.Core.Pipeline;

namespace AgentOrchestrator.Durable.AzureStorage;

/// <summary>Where the Azure Storage store keeps its task hub and how it shares the work between worker processes.</summary>
public sealed partial class AzureStorageStoreOptions
{
    /// <summary>
    /// The storage account's connection string. Default <c>UseDevelopmentStorage=true</c> (Azurite on its usual ports).
    /// </summary>
    public string ConnectionString { get; set; } = "UseDevelopmentStorage=true";

    /// <summary>
    /// The task hub: every table, queue and container the store uses starts with it, so several hubs share an
    /// account. Letters and digits, 3 to 45 characters, starting with a letter. Default <c>AgentOrchestrator</c>.
    /// </summary>
    public string HubName { get; set; } = "AgentOrchestrator";

    /// <summary>
    /// Control queues, each leased by one worker at a time. Fixed for the life of a task hub (an instance's
    /// partition is a hash of its id). 1 to 16; default 4.
    /// </summary>
    public int PartitionCount { get; set; } = 4;

    /// <summary>How long a partition lease lasts unless renewed: 15 to 60 seconds (the blob lease limits). Default 15 seconds.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often a worker renews its leases, balances partitions and sweeps its partitions for
    /// abandoned work. Must be under a third of <see cref="LeaseDuration"/>. Default 4 seconds.</summary>
    public TimeSpan LeaseRenewInterval { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>
    /// How often a worker sweeps its partitions for work whose queue message was lost to a crash (one filtered
    /// table query per sweep). Recovery after a crash takes up to the lock duration plus this. Default 15 seconds.
    /// </summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long after a write that may be followed by a queue message (a start, an event, a dispatched outbox)
    /// the owner of the instance's partition checks that the work was picked up. Default 30 seconds.
    /// </summary>
    public TimeSpan RecoveryGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Payload strings longer than this many characters go to a blob instead of the table row, keeping rows
    /// under the 64 KiB property and 1 MiB entity limits and a checkpoint under the 4 MiB transaction limit.
    /// 1,024 to 30,000; default 16,000.
    /// </summary>
    public int MaxInlinePayloadChars { get; set; } = 16_000;

    /// <summary>Names this process as a lease owner. Default: machine name, process id and a random suffix.</summary>
    public string OwnerId { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";

    /// <summary>
    /// Extra policies added to every storage client's pipeline (per retry, so each counts real requests);
    /// the benchmark counts storage operations with one. Default none.
    /// </summary>
    public IList<HttpPipelinePolicy> PipelinePolicies { get; } = [];

    /// <summary>The lower-case prefix of queue and container names.</summary>
    internal string LowerHub => HubName.ToLowerInvariant();

    /// <summary>Checks the options and names the first bad one.</summary>
    public void Validate()
    {
        Require(!string.IsNullOrWhiteSpace(ConnectionString), nameof(ConnectionString), "must not be empty");
        Require(HubNamePattern().IsMatch(HubName ?? string.Empty), nameof(HubName), "must be 3 to 45 letters and digits, starting with a letter");
        Require(PartitionCount is >= 1 and <= 16, nameof(PartitionCount), "must be between 1 and 16");
        Require(LeaseDuration >= TimeSpan.FromSeconds(15) && LeaseDuration <= TimeSpan.FromSeconds(60), nameof(LeaseDuration), "must be between 15 and 60 seconds");
        Require(LeaseRenewInterval > TimeSpan.Zero && LeaseRenewInterval * 3 <= LeaseDuration, nameof(LeaseRenewInterval), "must be positive and at most a third of LeaseDuration");
        Require(SweepInterval >= TimeSpan.FromSeconds(1), nameof(SweepInterval), "must be at least 1 second");
        Require(RecoveryGrace >= TimeSpan.FromSeconds(1), nameof(RecoveryGrace), "must be at least 1 second");
        Require(MaxInlinePayloadChars is >= 1024 and <= 30_000, nameof(MaxInlinePayloadChars), "must be between 1024 and 30000");
        Require(!string.IsNullOrWhiteSpace(OwnerId), nameof(OwnerId), "must not be empty");
    }

    private static void Require(bool condition, string name, string rule)
    {
        if (!condition)
        {
            throw new ArgumentException($"AzureStorageStoreOptions.{name} {rule}.", name);
        }
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{2,44}$")]
    private static partial Regex HubNamePattern();
}
