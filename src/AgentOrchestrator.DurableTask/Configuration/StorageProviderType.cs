namespace AgentOrchestrator.DurableTask.Configuration;

/// <summary>The orchestration services the hosts can run on.</summary>
public enum StorageProviderType
{
    /// <summary>The embedded SQLite orchestration service (one file, zero set-up). The default.</summary>
    Sqlite,

    /// <summary>Microsoft's DurableTask.AzureStorage provider (Azurite locally), for several hosts on one task hub.</summary>
    AzureStorage,
}
