namespace AgentOrchestrator.DurableTask.Worker;

/// <summary>
/// Counts the activities running in this worker, so a stopping host can let them finish (their results are then
/// checkpointed) before it stops DTFx's dispatchers.
/// </summary>
internal sealed class RunningActivities
{
    private readonly Lock _gate = new();
    private int _count;
    private TaskCompletionSource? _idle;

    /// <summary>Marks one activity as running until the returned handle is disposed.</summary>
    public IDisposable Enter()
    {
        lock (_gate)
        {
            _count++;
        }

        return new Exit(this);
    }

    /// <summary>Completes when no activity runs (at once if none does).</summary>
    public Task WhenIdle()
    {
        lock (_gate)
        {
            if (_count == 0)
            {
                return Task.CompletedTask;
            }

            _idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _idle.Task;
        }
    }

    private void Leave()
    {
        TaskCompletionSource? idle = null;
        lock (_gate)
        {
            if (--_count == 0)
            {
                (idle, _idle) = (_idle, null);
            }
        }

        idle?.TrySetResult();
    }

    private sealed class Exit(RunningActivities owner) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Leave();
            }
        }
    }
}
