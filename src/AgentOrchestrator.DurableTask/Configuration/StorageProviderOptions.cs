namespace AgentOrchestrator.DurableTask.Configuration;

/// <summary>The <c>storageProvider</c> part of <c>extensions:durableTask</c>: which orchestration service keeps the task hub.</summary>
public sealed class StorageProviderOptions
{
    /// <summary>The provider. Default <see cref="StorageProviderType.Sqlite"/>.</summary>
    public StorageProviderType Type { get; set; } = StorageProviderType.Sqlite;

    /// <summary>
    /// For <see cref="StorageProviderType.AzureStorage"/>: the name of the setting that holds the connection string
    /// (in <c>local.settings.json</c> <c>Values</c> or the environment). Default <c>AzureWebJobsStorage</c>.
    /// </summary>
    public string ConnectionStringName { get; set; } = "AzureWebJobsStorage";

    /// <summary>For <see cref="StorageProviderType.AzureStorage"/>: control queue partitions, 1 to 16. Default 4.</summary>
    public int PartitionCount { get; set; } = 4;

    /// <summary>
    /// For <see cref="StorageProviderType.AzureStorage"/>: the longest wait between polls of an idle control queue, which
    /// bounds how late an idle host notices new work. Default 1 s (Durable Functions: 30 s), for chat latency.
    /// </summary>
    public TimeSpan MaxQueuePollingInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// For <see cref="StorageProviderType.Sqlite"/>: the database file. A relative path is resolved by the host
    /// (the self-hosted service puts it under its data folder). Default <c>sessions.db</c>.
    /// </summary>
    public string DatabaseFile { get; set; } = "sessions.db";

    internal void Validate()
    {
        if (!Enum.IsDefined(Type))
        {
            throw new InvalidOperationException($"{DurableTaskHostOptions.SectionName}:storageProvider:type must be Sqlite or AzureStorage.");
        }

        DurableTaskHostOptions.Require(PartitionCount is >= 1 and <= 16, "storageProvider:partitionCount", PartitionCount, "1 to 16");
        DurableTaskHostOptions.Require(
            MaxQueuePollingInterval >= TimeSpan.FromMilliseconds(100) && MaxQueuePollingInterval <= TimeSpan.FromMinutes(5),
            "storageProvider:maxQueuePollingInterval", MaxQueuePollingInterval, "00:00:00.1 to 00:05:00");
        if (Type == StorageProviderType.Sqlite && string.IsNullOrWhiteSpace(DatabaseFile))
        {
            throw new InvalidOperationException($"{DurableTaskHostOptions.SectionName}:storageProvider:databaseFile is empty.");
        }

        if (Type == StorageProviderType.AzureStorage && string.IsNullOrWhiteSpace(ConnectionStringName))
        {
            throw new InvalidOperationException($"{DurableTaskHostOptions.SectionName}:storageProvider:connectionStringName is empty.");
        }
    }
}
