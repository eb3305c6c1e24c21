using System.Collections.Concurrent;
using System.Net.Sockets;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentOrchestrator.Agents.EventLog;

/// <summary>
/// Session event logs in an Azure Storage table, one table per task hub (<c>{hub}SessionEvents</c>, created if
/// missing), shared by every host of the hub: several hosts may append to one session's log at once, and readers on any
/// host never see a gap or a record that later disappears.
/// </summary>
/// <remarks>
/// <para>
/// One partition per session. Its head row holds the log's generation and the last sequence number readers may see;
/// every append rewrites it under its ETag in the same entity-group transaction as its records (one row each, keyed by
/// the zero-padded sequence number) and its dedupe rows (one per key, naming the record). A writer that finds the head
/// moved (HTTP 412, or 409 when two create it) reads it again and numbers its records again. Appends in this process
/// take turns per session, so only writers on different hosts ever race.
/// </para>
/// <para>
/// Dedupe rows are inserted, so the table refuses a key it already holds; the append then looks its keys up, drops
/// the stored ones and writes the rest. A key found stored by an earlier attempt of the same call (a write whose answer
/// was lost and that the storage client retried) is returned as stored by this call.
/// </para>
/// <para>
/// An append too large for one transaction (100 rows, 4 MiB) is written in parts: the first part reserves the log for
/// <see cref="AzureTableSessionEventLogOptions.SplitAppendLease"/>, later ones renew it, the last advances the head, so
/// readers see all of it at once. Payloads over <see cref="AzureTableSessionEventLogOptions.MaxInlinePayloadChars"/>
/// go to blobs in <c>{hub}-session-events</c>.
/// </para>
/// <para>
/// Limits: a kind of at most <see cref="MaxKindChars"/> characters and a dedupe key of at most
/// <see cref="MaxDedupeKeyChars"/>. Payloads are text: a lone surrogate is stored as U+FFFD, as JSON would write it.
/// A store that cannot be reached, once the storage client's retries are spent, raises
/// <see cref="SessionEventLogUnavailableException"/>; other storage errors pass through as they are.
/// </para>
/// </remarks>
public sealed partial class AzureTableSessionEventLog : ISessionEventLog
{
    /// <summary>The longest kind an entry may have.</summary>
    public const int MaxKindChars = 1024;

    /// <summary>The longest dedupe key an entry may have.</summary>
    public const int MaxDedupeKeyChars = 4096;

    private readonly TableClient _table;
    private readonly SessionLogPayloads _payloads;
    private readonly AzureTableSessionEventLogOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Uri _tableEndpoint;
    private readonly KeyedAsyncLock _appendLocks = new();

    /// <summary>The heads this process wrote last, so its next append needs no read when nobody else wrote since.</summary>
    private readonly ConcurrentDictionary<string, SessionLogHead> _heads = new(StringComparer.Ordinal);

    private readonly Lock _gate = new();
    private Task? _tableCreated;

    /// <summary>Creates the log on the storage account of <see cref="AzureTableSessionEventLogOptions.ConnectionString"/>.</summary>
    /// <param name="options">Where the logs live and their limits; checked here.</param>
    /// <param name="timeProvider">The clock of split-append reservations and of waits between attempts.</param>
    /// <param name="logger">Where conflicts, take-overs and kept blobs are logged; none when null.</param>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public AzureTableSessionEventLog(AzureTableSessionEventLogOptions options, TimeProvider timeProvider, ILogger<AzureTableSessionEventLog>? logger = null)
        : this(
            new TableServiceClient(Checked(options).ConnectionString, options.TableClientOptions),
            new BlobServiceClient(options.ConnectionString, options.BlobClientOptions),
            options,
            timeProvider,
            logger)
    {
    }

    /// <summary>
    /// Creates the log on given storage clients (for example ones that authenticate with a token credential);
    /// <see cref="AzureTableSessionEventLogOptions.ConnectionString"/> and the client options are not used.
    /// </summary>
    /// <param name="tables">The account's table service.</param>
    /// <param name="blobs">The account's blob service, for payloads too large for a row.</param>
    /// <param name="options">The hub and the limits; checked here.</param>
    /// <param name="timeProvider">The clock of split-append reservations and of waits between attempts.</param>
    /// <param name="logger">Where conflicts, take-overs and kept blobs are logged; none when null.</param>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public AzureTableSessionEventLog(
        TableServiceClient tables, BlobServiceClient blobs, AzureTableSessionEventLogOptions options, TimeProvider timeProvider, ILogger<AzureTableSessionEventLog>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(blobs);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _options = Checked(options);
        _time = timeProvider;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _table = tables.GetTableClient(options.TableName);
        _tableEndpoint = new Uri(tables.Uri.GetLeftPart(UriPartial.Path));
        _payloads = new SessionLogPayloads(blobs.GetBlobContainerClient(options.ContainerName), options.MaxInlinePayloadChars);
    }

    /// <summary>The table holding the logs.</summary>
    public string TableName => _table.Name;

    /// <summary>
    /// Creates the table if it is missing. Optional: the first operation does it too; call it at start-up to find a
    /// store that cannot be reached before the first session does.
    /// </summary>
    /// <exception cref="SessionEventLogUnavailableException">The store does not answer.</exception>
    public Task CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
        => GuardAsync(
            async () =>
            {
                await EnsureTableAsync(cancellationToken);
                return true;
            },
            cancellationToken);

    /// <inheritdoc />
    /// <exception cref="SessionEventLogUnavailableException">The store does not answer.</exception>
    public Task<IReadOnlyList<SessionLogRecord>> ReadAsync(string sessionId, long afterSequence, int maxCount, string? kind = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        return maxCount <= 0
            ? Task.FromResult<IReadOnlyList<SessionLogRecord>>([])
            : GuardAsync(() => ReadCoreAsync(sessionId, Math.Max(afterSequence, 0), maxCount, kind, cancellationToken), cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="SessionEventLogUnavailableException">The store does not answer.</exception>
    public Task<SessionLogRecord?> FindAsync(string sessionId, string dedupeKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        ArgumentNullException.ThrowIfNull(dedupeKey);
        return GuardAsync(() => FindCoreAsync(sessionId, dedupeKey, cancellationToken), cancellationToken);
    }

    private async Task<IReadOnlyList<SessionLogRecord>> ReadCoreAsync(string sessionId, long after, int maxCount, string? kind, CancellationToken cancellationToken)
    {
        await EnsureTableAsync(cancellationToken);
        var partition = SessionLogTableKeys.Partition(sessionId);
        var head = await ReadHeadAsync(partition, cancellationToken);
        if (!head.Exists || head.Last <= after)
        {
            return [];
        }

        // Rows past the head belong to an append not finished yet (or abandoned): never read them.
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {partition} and RowKey gt {SessionLogTableKeys.Record(head.Generation, after)} and RowKey le {SessionLogTableKeys.Record(head.Generation, head.Last)}");
        if (kind is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"Kind eq {kind}");
        }

        var rows = new List<TableEntity>();
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(maxCount, 1000), cancellationToken: cancellationToken))
        {
            rows.Add(row);
            if (rows.Count >= maxCount)
            {
                break;
            }
        }

        var payloads = await _payloads.ReadAllAsync(rows, cancellationToken);
        var records = new List<SessionLogRecord>(rows.Count);
        for (var i = 0; i < rows.Count && payloads[i] is { } data; i++)
        {
            // A missing blob means the log is being deleted (rows newest first, then blobs): stop there, never skip.
            records.Add(ToRecord(rows[i], data));
        }

        return records;
    }

    private async Task<SessionLogRecord?> FindCoreAsync(string sessionId, string dedupeKey, CancellationToken cancellationToken)
    {
        await EnsureTableAsync(cancellationToken);
        var partition = SessionLogTableKeys.Partition(sessionId);
        var head = await ReadHeadAsync(partition, cancellationToken);
        if (!head.Exists)
        {
            return null;
        }

        // A dedupe row counts only if it names a visible record that carries the same key: an unfinished append may
        // have left one naming a row past the head, or one a later writer has overwritten.
        var key = SessionLogTableKeys.Escape(dedupeKey);
        var keyRow = await _table.GetEntityIfExistsAsync<TableEntity>(partition, SessionLogTableKeys.Key(head.Generation, key), cancellationToken: cancellationToken);
        if (!keyRow.HasValue || keyRow.Value!.GetInt64("Seq") is not { } sequence || sequence > head.Last || keyRow.Value.GetString("Key") != key)
        {
            return null;
        }

        var record = await _table.GetEntityIfExistsAsync<TableEntity>(partition, SessionLogTableKeys.Record(head.Generation, sequence), cancellationToken: cancellationToken);
        if (!record.HasValue || record.Value!.GetString("Key") != key)
        {
            return null;
        }

        return await _payloads.ReadAsync(record.Value, cancellationToken) is { } data ? ToRecord(record.Value, data) : null;
    }

    private async Task<SessionLogHead> ReadHeadAsync(string partition, CancellationToken cancellationToken)
    {
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(partition, SessionLogTableKeys.Head, cancellationToken: cancellationToken);
        return response.HasValue ? SessionLogHead.From(response.Value!) : SessionLogHead.None;
    }

    private static SessionLogRecord ToRecord(TableEntity row, string data)
        => new(
            SessionLogTableKeys.Sequence(row.RowKey),
            row.GetString("Kind") ?? string.Empty,
            data,
            new DateTimeOffset(row.GetInt64("AtTicks") ?? 0, TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(row.GetInt32("AtOffsetMinutes") ?? 0)));

    private async Task EnsureTableAsync(CancellationToken cancellationToken)
    {
        Task created;
        lock (_gate)
        {
            created = _tableCreated ??= CreateTableAsync();
        }

        try
        {
            await created.WaitAsync(cancellationToken);
        }
        catch (Exception) when (created.IsFaulted || created.IsCanceled)
        {
            // Let the next call try again rather than fail for good on one bad moment.
            lock (_gate)
            {
                if (_tableCreated == created)
                {
                    _tableCreated = null;
                }
            }

            throw;
        }
    }

    private async Task CreateTableAsync()
    {
        await _table.CreateIfNotExistsAsync(CancellationToken.None);
        AzureTableSessionEventLogLogs.TableReady(_logger, _table.Name);
    }

    /// <summary>Runs a storage operation; a store that did not answer (after the client's retries) becomes a clear error.</summary>
    private async Task<T> GuardAsync<T>(Func<Task<T>> operation, CancellationToken cancellationToken)
    {
        try
        {
            return await operation();
        }
        catch (Exception e) when (IsUnreachable(e, cancellationToken))
        {
            var attempts = e is AggregateException aggregate ? aggregate.InnerExceptions.Count : 1;
            var last = e is AggregateException { InnerExceptions.Count: > 0 } all ? all.InnerExceptions[^1] : e;
            throw new SessionEventLogUnavailableException(
                $"The session event log cannot reach Azure Storage: table '{_table.Name}' at {_tableEndpoint}, payload blobs at {_payloads.Endpoint}. "
                + $"{attempts} attempt(s) failed; the last said: {last.Message} "
                + "Check that the storage account (or Azurite) is running and that the connection string names it.",
                e);
        }
    }

    /// <summary>
    /// True for a request that never got an answer: no connection, a dropped one, a network timeout (a timeout is a
    /// cancellation the caller did not ask for). The storage client's retry policy gives up with an aggregate of them.
    /// </summary>
    private static bool IsUnreachable(Exception e, CancellationToken cancellationToken) => e switch
    {
        RequestFailedException { Status: 0 } => true,
        AggregateException aggregate => aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(i => IsUnreachable(i, cancellationToken)),
        HttpRequestException or IOException or SocketException => true,
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        _ => false,
    };

    private static AzureTableSessionEventLogOptions Checked(AzureTableSessionEventLogOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return options;
    }
}
