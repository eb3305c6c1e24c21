using Azure.Core;
using Azure.Core.Pipeline;

namespace AgentOrchestrator.Agents.Tests.EventLog;

/// <summary>
/// A storage client pipeline policy that counts the requests a client really sends and plants faults in them: a
/// transaction whose answer is lost on the way back (the client retries it, as it would after a dropped connection),
/// or a host that dies before sending a transaction. Added per retry, so every attempt passes through it.
/// </summary>
internal sealed class StorageFaults : HttpPipelinePolicy
{
    private int _requests;
    private int _transactions;

    /// <summary>Requests sent, retries included.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Entity-group transactions sent (or attempted), retries included.</summary>
    public int Transactions => Volatile.Read(ref _transactions);

    /// <summary>The transaction (1 = the first) that is stored but whose answer never arrives.</summary>
    public int? LoseAnswerOfTransaction { get; set; }

    /// <summary>The transaction (1 = the first) that is never sent because its host dies.</summary>
    public int? DieBeforeTransaction { get; set; }

    /// <inheritdoc />
    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Interlocked.Increment(ref _requests);
        var transaction = message.Request.Uri.Path.EndsWith("/$batch", StringComparison.Ordinal) ? Interlocked.Increment(ref _transactions) : 0;
        if (transaction != 0 && transaction == DieBeforeTransaction)
        {
            throw new InvalidOperationException($"Test fault: the host died before sending transaction {transaction}.");
        }

        await ProcessNextAsync(message, pipeline);
        if (transaction != 0 && transaction == LoseAnswerOfTransaction)
        {
            throw new IOException($"Test fault: the connection dropped before the answer to transaction {transaction} arrived.");
        }
    }

    /// <inheritdoc />
    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        => ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();
}
