using System.Text.RegularExpressions;
using Azure.Data.Tables;
using Azure.Storage.Blobs;

namespace AgentOrchestrator.Agents.EventLog;

/// <summary>Where <see cref="AzureTableSessionEventLog"/> keeps the session event logs of a task hub, and its limits.</summary>
public sealed partial class AzureTableSessionEventLogOptions
{
    /// <summary>The largest payload a row can hold in properties: 15 properties of 32,000 characters, under the 1 MiB entity limit.</summary>
    public const int MaxInlinePayloadCharsLimit = 480_000;

    /// <summary>
    /// The storage account's connection string (tables and, for large payloads, blobs).
    /// Default <c>UseDevelopmentStorage=true</c> (Azurite on its usual ports).
    /// </summary>
    public string ConnectionString { get; set; } = "UseDevelopmentStorage=true";

    /// <summary>
    /// The task hub whose sessions these logs belong to: the table is <c>{HubName}SessionEvents</c> and the payload
    /// container <c>{hubname}-session-events</c>, so several hubs share an account. Letters and digits, 3 to 45
    /// characters, starting with a letter (as Durable Task's Azure Storage provider requires). Default <c>AgentOrchestrator</c>.
    /// </summary>
    public string HubName { get; set; } = "AgentOrchestrator";

    /// <summary>
    /// Payloads up to this many characters are kept in the record's row, split over properties of 32,000 characters;
    /// longer ones go to a blob, which costs a round trip to write and to read each. 1,024 to
    /// <see cref="MaxInlinePayloadCharsLimit"/>; default 256,000.
    /// </summary>
    public int MaxInlinePayloadChars { get; set; } = 256_000;

    /// <summary>
    /// How long an append too large for one table transaction holds the session's log while it writes its parts; other
    /// writers wait for it, and take the log over if it has not finished by then (its writer died). Every part renews
    /// it. 5 seconds to 5 minutes; default 30 seconds.
    /// </summary>
    public TimeSpan SplitAppendLease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How many times one append may find that another writer moved the log's head first before it gives up with an
    /// <see cref="InvalidOperationException"/>. 1 to 10,000; default 100.
    /// </summary>
    public int MaxAppendConflicts { get; set; } = 100;

    /// <summary>
    /// Options of the table client: retries (the SDK retries failed requests before an error reaches the caller),
    /// timeouts, diagnostics and extra pipeline policies. Default: the SDK's defaults.
    /// </summary>
    public TableClientOptions TableClientOptions { get; } = new();

    /// <summary>Options of the blob client that stores large payloads. Default: the SDK's defaults.</summary>
    public BlobClientOptions BlobClientOptions { get; } = new();

    /// <summary>The table holding the hub's session event logs: <c>{HubName}SessionEvents</c>.</summary>
    public string TableName => HubName + "SessionEvents";

    /// <summary>The blob container holding payloads too large for a row: <c>{hubname}-session-events</c>.</summary>
    public string ContainerName => HubName.ToLowerInvariant() + "-session-events";

    /// <summary>Checks the options and names the first bad one.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public void Validate()
    {
        Require(!string.IsNullOrWhiteSpace(ConnectionString), nameof(ConnectionString), "must not be empty");
        Require(HubNamePattern().IsMatch(HubName ?? string.Empty), nameof(HubName), "must be 3 to 45 letters and digits, starting with a letter");
        Require(MaxInlinePayloadChars is >= 1024 and <= MaxInlinePayloadCharsLimit, nameof(MaxInlinePayloadChars), $"must be between 1024 and {MaxInlinePayloadCharsLimit}");
        Require(SplitAppendLease >= TimeSpan.FromSeconds(5) && SplitAppendLease <= TimeSpan.FromMinutes(5), nameof(SplitAppendLease), "must be between 5 seconds and 5 minutes");
        Require(MaxAppendConflicts is >= 1 and <= 10_000, nameof(MaxAppendConflicts), "must be between 1 and 10000");
    }

    private static void Require(bool condition, string name, string rule)
    {
        if (!condition)
        {
            throw new ArgumentException($"AzureTableSessionEventLogOptions.{name} {rule}.", name);
        }
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{2,44}$")]
    private static partial Regex HubNamePattern();
}
