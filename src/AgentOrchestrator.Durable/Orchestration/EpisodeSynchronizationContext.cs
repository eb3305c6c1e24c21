namespace AgentOrchestrator.Durable.Orchestration;

/// <summary>
/// Runs orchestrator continuations one at a time on the thread that pumps it, so replay is
/// single-threaded and deterministic. Continuations are queued, never run on the thread pool.
/// </summary>
internal sealed class EpisodeSynchronizationContext : SynchronizationContext
{
    private readonly Queue<(SendOrPostCallback Callback, object? State)> _queue = new();
    private readonly Lock _gate = new();

    public override void Post(SendOrPostCallback d, object? state)
    {
        lock (_gate)
        {
            _queue.Enqueue((d, state));
        }
    }

    public override void Send(SendOrPostCallback d, object? state)
        => throw new NotSupportedException("Orchestrator code cannot block on its own scheduler.");

    public override SynchronizationContext CreateCopy() => this;

    /// <summary>Runs <paramref name="action"/> with this context installed, then every continuation it queues.</summary>
    public void Run(Action action)
    {
        var previous = Current;
        SetSynchronizationContext(this);
        try
        {
            action();
            while (TryDequeue(out var work))
            {
                work.Callback(work.State);
            }
        }
        finally
        {
            SetSynchronizationContext(previous);
        }
    }

    private bool TryDequeue(out (SendOrPostCallback Callback, object? State) work)
    {
        lock (_gate)
        {
            return _queue.TryDequeue(out work);
        }
    }
}
