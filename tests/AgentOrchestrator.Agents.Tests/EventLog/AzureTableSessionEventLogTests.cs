using System.Net;
using System.Net.Sockets;
using AgentOrchestrator.Agents.EventLog;
using AgentOrchestrator.Agents.Tests.Infrastructure;
using Azure.Core;
using Azure.Data.Tables;
using Microsoft.Extensions.Time.Testing;
using AgentOrchestrator.Testing;

namespace AgentOrchestrator.Agents.Tests.EventLog;

/// <summary>
/// What only the Azure Tables log has to get right, on Azurite: answers lost and retried by the storage client, a host
/// dying part-way through a split append, a host whose cached head is stale, an unreachable store, and what is left in
/// storage after a delete.
/// </summary>
[Trait("Category", "AzureStorage")]
public sealed class AzureTableSessionEventLogTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly AzuriteHubs _hubs = new();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AppendAsync_AnswerLostAndRetriedByTheStorageClient_StoresOnceAndReturnsTheRecords(bool withMebibytePayload)
    {
        var faults = new StorageFaults { LoseAnswerOfTransaction = 1 };
        var options = AzuriteHubs.Options(_hubs.NewHub());
        options.TableClientOptions.AddPolicy(faults, HttpPipelinePosition.PerRetry);
        var logger = new RecordingLogger<AzureTableSessionEventLog>();
        var log = new AzureTableSessionEventLog(options, TimeProvider.System, logger);
        var session = NewSession();
        var big = withMebibytePayload ? TestPayloads.Text(1024 * 1024) : "{}";
        SessionLogEntry[] entries = [Entry("m:1"), Entry("big", big), Entry("m:2")];

        var stored = await log.AppendAsync(session, entries).WaitAsync(Timeout);

        Assert.True(faults.Transactions >= 2, "the storage client did not send the transaction again");
        Assert.Equal([1L, 2L, 3L], stored.Select(r => r.Sequence));
        Assert.Equal(1, logger.Count(5204));
        var read = await log.ReadAsync(session, 0, 100).WaitAsync(Timeout);
        Assert.Equal(entries.Select(e => e.Data), read.Select(r => r.Data));
        Assert.Equal(4, Assert.Single(await log.AppendAsync(session, [Entry("m:3")]).WaitAsync(Timeout)).Sequence);
    }

    [Fact]
    public async Task AppendAsync_HostDiesPartWayThroughASplitAppend_ReadersSeeNoneOfItAndTheNextWriterTakesOverAfterTheLease()
    {
        var hub = _hubs.NewHub();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero));
        var faults = new StorageFaults();
        var dying = _hubs.CreateLog(hub, o => o.TableClientOptions.AddPolicy(faults, HttpPipelinePosition.PerRetry), time);
        var logger = new RecordingLogger<AzureTableSessionEventLog>();
        var other = new AzureTableSessionEventLog(AzuriteHubs.Options(hub), time, logger);
        var session = NewSession();
        await dying.AppendAsync(session, [Entry("before")]).WaitAsync(Timeout);
        SessionLogEntry[] batch = [.. Enumerable.Range(0, 60).Select(i => Entry($"batch-{i}"))];

        // 60 entries need two transactions; the host dies after the first (which reserved the log and wrote 49 rows).
        faults.DieBeforeTransaction = faults.Transactions + 2;
        await Assert.ThrowsAsync<InvalidOperationException>(() => dying.AppendAsync(session, batch).WaitAsync(Timeout));

        Assert.Equal(["before"], (await other.ReadAsync(session, 0, 100).WaitAsync(Timeout)).Select(r => Key(r)));
        Assert.Null(await other.FindAsync(session, "batch-0").WaitAsync(Timeout));
        var waiting = other.AppendAsync(session, [Entry("after")]);
        await logger.Logged(5202).WaitAsync(Timeout);
        Assert.False(waiting.IsCompleted, "the other host wrote while the split append still held the log");
        time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(2, Assert.Single(await waiting.WaitAsync(Timeout)).Sequence);
        Assert.Equal(1, logger.Count(5203));

        // The dead host's activity runs again: its entries land once, after the other host's.
        faults.DieBeforeTransaction = null;
        var retried = await dying.AppendAsync(session, batch).WaitAsync(Timeout);
        Assert.Equal(Enumerable.Range(3, 60).Select(i => (long)i), retried.Select(r => r.Sequence));
        var read = await other.ReadAsync(session, 0, 1000).WaitAsync(Timeout);
        Assert.Equal(["before", "after", .. batch.Select(e => e.DedupeKey)], read.Select(r => Key(r)));
        Assert.Equal(Enumerable.Range(1, 62).Select(i => (long)i), read.Select(r => r.Sequence));
    }

    [Fact]
    public async Task AppendAsync_AnotherHostWroteSinceThisHostsLastAppend_NumbersAfterTheOtherHostsRecords()
    {
        var hub = _hubs.NewHub();
        var logger = new RecordingLogger<AzureTableSessionEventLog>();
        var first = new AzureTableSessionEventLog(AzuriteHubs.Options(hub), TimeProvider.System, logger);
        var second = _hubs.CreateLog(hub);
        var session = NewSession();

        await first.AppendAsync(session, [Entry("a")]).WaitAsync(Timeout);
        await second.AppendAsync(session, [Entry("b"), Entry("c")]).WaitAsync(Timeout);
        var stored = await first.AppendAsync(session, [Entry("d")]).WaitAsync(Timeout);

        Assert.Equal(4, Assert.Single(stored).Sequence);
        Assert.Equal(1, logger.Count(5201));
        Assert.Equal(["a", "b", "c", "d"], (await second.ReadAsync(session, 0, 100).WaitAsync(Timeout)).Select(r => Key(r)));
    }

    [Fact]
    public async Task AppendAsync_NobodyElseWroteSinceThisHostsLastAppend_TakesOneRequest()
    {
        var faults = new StorageFaults();
        var log = _hubs.CreateLog(_hubs.NewHub(), o => o.TableClientOptions.AddPolicy(faults, HttpPipelinePosition.PerRetry));
        var session = NewSession();
        await log.AppendAsync(session, [Entry("a")]).WaitAsync(Timeout);
        var before = faults.Requests;

        var stored = await log.AppendAsync(session, [Entry("b"), Entry("c")]).WaitAsync(Timeout);

        Assert.Equal([2L, 3L], stored.Select(r => r.Sequence));
        Assert.Equal(1, faults.Requests - before);
    }

    [Fact]
    public async Task AppendAsync_LogDeletedByAnotherHostSinceThisHostsLastAppend_StartsTheNewLogAtOne()
    {
        var hub = _hubs.NewHub();
        var first = _hubs.CreateLog(hub);
        var second = _hubs.CreateLog(hub);
        var session = NewSession();
        await first.AppendAsync(session, [Entry("a"), Entry("b")]).WaitAsync(Timeout);

        await second.DeleteAsync(session).WaitAsync(Timeout);
        var stored = await first.AppendAsync(session, [Entry("b"), Entry("c")]).WaitAsync(Timeout);

        Assert.Equal([1L, 2L], stored.Select(r => r.Sequence));
        Assert.Equal(["b", "c"], (await second.ReadAsync(session, 0, 100).WaitAsync(Timeout)).Select(r => Key(r)));
        Assert.Null(await second.FindAsync(session, "a").WaitAsync(Timeout));
    }

    [Fact]
    public async Task Operations_StoreUnreachable_FailWithAnErrorNamingTheStoreAfterTheClientsRetries()
    {
        var port = ClosedPort();
        var connection = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={Convert.ToBase64String(new byte[64])};"
            + $"TableEndpoint=http://127.0.0.1:{port}/devstoreaccount1;BlobEndpoint=http://127.0.0.1:{port}/devstoreaccount1;";
        var faults = new StorageFaults();
        var options = AzuriteHubs.Options("Unreachable", connection);
        options.TableClientOptions.Retry.MaxRetries = 2;
        options.TableClientOptions.AddPolicy(faults, HttpPipelinePosition.PerRetry);
        var log = new AzureTableSessionEventLog(options, TimeProvider.System);

        var append = await Assert.ThrowsAsync<SessionEventLogUnavailableException>(() => log.AppendAsync(NewSession(), [Entry("a")]).WaitAsync(Timeout));
        var read = await Assert.ThrowsAsync<SessionEventLogUnavailableException>(() => log.ReadAsync(NewSession(), 0, 10).WaitAsync(Timeout));
        await Assert.ThrowsAsync<SessionEventLogUnavailableException>(() => log.CreateIfNotExistsAsync().WaitAsync(Timeout));

        Assert.Equal(9, faults.Requests);
        Assert.Contains($"127.0.0.1:{port}", append.Message, StringComparison.Ordinal);
        Assert.Contains("3 attempt(s) failed", append.Message, StringComparison.Ordinal);
        Assert.Contains("Azurite", append.Message, StringComparison.Ordinal);
        Assert.NotNull(append.InnerException);
        Assert.Contains($"127.0.0.1:{port}", read.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Operations_CallerCancels_ThrowCancellationNotUnavailable()
    {
        var log = _hubs.CreateLog(_hubs.NewHub());
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => log.AppendAsync(NewSession(), [Entry("a")], cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => log.ReadAsync(NewSession(), 0, 10, cancellationToken: cancelled.Token));
    }

    [Fact]
    public async Task FirstUse_NewHub_CreatesTheHubsTable()
    {
        var hub = _hubs.NewHub();
        var log = _hubs.CreateLog(hub);
        var service = new TableServiceClient(Azurite.ConnectionString);

        var before = await TableExistsAsync(service, hub + "SessionEvents");
        await log.AppendAsync(NewSession(), [Entry("a")]).WaitAsync(Timeout);
        await log.CreateIfNotExistsAsync().WaitAsync(Timeout);

        Assert.False(before);
        Assert.Equal(hub + "SessionEvents", log.TableName);
        Assert.True(await TableExistsAsync(service, log.TableName));
    }

    [Fact]
    public async Task DeleteAsync_LogWithMebibytePayloads_LeavesNoRowsOrBlobsBehind()
    {
        var hub = _hubs.NewHub();
        var log = _hubs.CreateLog(hub);
        var session = NewSession();
        var kept = NewSession();
        var big = TestPayloads.Text(1024 * 1024);
        await log.AppendAsync(session, [Entry("a"), Entry("big-1", big), Entry("big-2", big)]).WaitAsync(Timeout);
        await log.AppendAsync(session, [Entry("big-1", big), Entry("b")]).WaitAsync(Timeout);
        await log.AppendAsync(kept, [Entry("big-1", big)]).WaitAsync(Timeout);
        var blobsBefore = await CountAsync(AzuriteHubs.Container(hub).GetBlobsAsync());

        await log.DeleteAsync(session).WaitAsync(Timeout);

        Assert.Equal(3, blobsBefore);
        Assert.Equal(1, await CountAsync(AzuriteHubs.Container(hub).GetBlobsAsync()));
        var partitions = await ToListAsync(AzuriteHubs.Table(hub).QueryAsync<TableEntity>(select: ["PartitionKey"]), r => r.PartitionKey);
        Assert.Equal([kept], partitions.Distinct());
        Assert.Equal(big, (await log.FindAsync(kept, "big-1").WaitAsync(Timeout))?.Data);
    }

    [Theory]
    [InlineData("HubName")]
    [InlineData("MaxInlinePayloadChars")]
    [InlineData("SplitAppendLease")]
    public void Constructor_OptionOutOfRange_NamesTheOption(string option)
    {
        var options = AzuriteHubs.Options("Valid");
        switch (option)
        {
            case "HubName": options.HubName = "1-bad"; break;
            case "MaxInlinePayloadChars": options.MaxInlinePayloadChars = 480_001; break;
            default: options.SplitAppendLease = TimeSpan.FromSeconds(1); break;
        }

        var error = Assert.Throws<ArgumentException>(() => new AzureTableSessionEventLog(options, TimeProvider.System));

        Assert.Equal(option, error.ParamName);
        Assert.Contains("AzureTableSessionEventLogOptions." + option, error.Message, StringComparison.Ordinal);
    }

    /// <inheritdoc />
    public Task InitializeAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public Task DisposeAsync() => _hubs.DisposeAsync().AsTask();

    private static string NewSession() => "session-" + Guid.NewGuid().ToString("N");

    private static SessionLogEntry Entry(string key, string? data = null)
        => new("step", data ?? $"{{\"key\":\"{key}\"}}", new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero), key);

    private static string Key(SessionLogRecord record) => record.Data["{\"key\":\"".Length..^"\"}".Length];

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static async Task<bool> TableExistsAsync(TableServiceClient service, string table)
        => await CountAsync(service.QueryAsync(TableClient.CreateQueryFilter($"TableName eq {table}"))) > 0;

    private static async Task<int> CountAsync<T>(IAsyncEnumerable<T> items) => (await ToListAsync(items, i => i)).Count;

    private static async Task<List<TResult>> ToListAsync<T, TResult>(IAsyncEnumerable<T> items, Func<T, TResult> select)
    {
        var list = new List<TResult>();
        await foreach (var item in items)
        {
            list.Add(select(item));
        }

        return list;
    }
}
