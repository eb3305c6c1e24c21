namespace AgentOrchestrator.Host.Storage;

/// <summary>Where the durable engine keeps orchestrations, histories and session event logs.</summary>
public enum HostStoreKind
{
    /// <summary>The embedded SQLite file under the data folder. The default.</summary>
    Sqlite,

    /// <summary>Azure Storage (Tables, Queues, Blobs; Azurite locally), connection string in <c>AzureWebJobsStorage</c>.</summary>
    AzureStorage,
}
