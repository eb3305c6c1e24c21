using AgentOrchestrator.Agents.EventLog;
using AgentOrchestrator.Agents.Tests.Infrastructure;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using AgentOrchestrator.Testing;

namespace AgentOrchestrator.Agents.Tests.EventLog;

/// <summary>Task hubs of one test on Azurite, each with its own table and payload container, deleted at the end.</summary>
internal sealed class AzuriteHubs : IAsyncDisposable
{
    private const string TableSuffix = "SessionEvents";
    private readonly List<string> _hubs = [];

    /// <summary>A new hub name, not used by any other test.</summary>
    public string NewHub()
    {
        var hub = "T" + Guid.NewGuid().ToString("N")[..16];
        _hubs.Add(hub);
        return hub;
    }

    /// <summary>Options for <paramref name="hub"/> on Azurite, with the storage client's retries made quick.</summary>
    public static AzureTableSessionEventLogOptions Options(string hub, string? connectionString = null)
    {
        var options = new AzureTableSessionEventLogOptions { ConnectionString = connectionString ?? Azurite.ConnectionString, HubName = hub };
        options.TableClientOptions.Retry.Delay = options.BlobClientOptions.Retry.Delay = TimeSpan.FromMilliseconds(20);
        options.TableClientOptions.Retry.MaxDelay = options.BlobClientOptions.Retry.MaxDelay = TimeSpan.FromMilliseconds(200);
        return options;
    }

    /// <summary>A log on <paramref name="hub"/>, as one host would open it.</summary>
    public AzureTableSessionEventLog CreateLog(string hub, Action<AzureTableSessionEventLogOptions>? configure = null, TimeProvider? time = null)
    {
        var options = Options(hub);
        configure?.Invoke(options);
        return new AzureTableSessionEventLog(options, time ?? TimeProvider.System);
    }

    /// <summary>The hub a log was opened on.</summary>
    public string HubOf(AzureTableSessionEventLog log) => log.TableName[..^TableSuffix.Length];

    /// <summary>The hub's table, to look at its rows as they are stored.</summary>
    public static TableClient Table(string hub) => new TableServiceClient(Azurite.ConnectionString).GetTableClient(hub + TableSuffix);

    /// <summary>The hub's payload container.</summary>
    public static BlobContainerClient Container(string hub) => new BlobServiceClient(Azurite.ConnectionString).GetBlobContainerClient(Options(hub).ContainerName);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var hub in _hubs)
        {
            await Table(hub).DeleteAsync();
            try
            {
                await Container(hub).DeleteIfExistsAsync();
            }
            catch (RequestFailedException)
            {
                // Azurite may refuse a container that never existed; nothing to clean then.
            }
        }
    }
}
