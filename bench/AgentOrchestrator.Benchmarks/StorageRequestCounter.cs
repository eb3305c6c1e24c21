using Azure.Core;
using Azure.Core.Pipeline;

namespace AgentOrchestrator.Benchmarks;

/// <summary>
/// Counts the HTTP requests the Azure SDK clients really send, by service (table, queue, blob). Added per retry,
/// so a retried request counts twice, as the storage account bills it.
/// </summary>
public sealed class StorageRequestCounter : HttpPipelineSynchronousPolicy
{
    private long _table;
    private long _queue;
    private long _blob;
    private long _tableReads;
    private long _queueReceives;
    private long _queueSends;

    public long Total => Interlocked.Read(ref _table) + Interlocked.Read(ref _queue) + Interlocked.Read(ref _blob);

    public string ByService => $"table:{Interlocked.Read(ref _table)},table_reads:{Interlocked.Read(ref _tableReads)},queue:{Interlocked.Read(ref _queue)},queue_receives:{Interlocked.Read(ref _queueReceives)},queue_sends:{Interlocked.Read(ref _queueSends)},blob:{Interlocked.Read(ref _blob)}";

    public override void OnSendingRequest(HttpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var uri = message.Request.Uri;
        // Azurite names services by port; Azure by host (account.table.core.windows.net).
        var host = uri.Host ?? string.Empty;
        if (host.Contains(".table.", StringComparison.Ordinal) || uri.Port is 10002 or 10012)
        {
            Interlocked.Increment(ref _table);
            if (message.Request.Method == RequestMethod.Get)
            {
                Interlocked.Increment(ref _tableReads);
            }
        }
        else if (host.Contains(".queue.", StringComparison.Ordinal) || uri.Port is 10001 or 10011)
        {
            Interlocked.Increment(ref _queue);
            if (message.Request.Method == RequestMethod.Get)
            {
                Interlocked.Increment(ref _queueReceives);
            }
            else if (message.Request.Method == RequestMethod.Post)
            {
                Interlocked.Increment(ref _queueSends);
            }
        }
        else
        {
            Interlocked.Increment(ref _blob);
        }
    }
}
