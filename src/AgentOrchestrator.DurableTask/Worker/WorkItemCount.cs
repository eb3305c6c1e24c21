namespace AgentOrchestrator.DurableTask.Worker;

/// <summary>A count of work items held, and a wait for it to reach zero.</summary>
internal sealed class WorkItemCount
{
    private readonly Lock _gate = new();
    private int _count;
    private TaskCompletionSource? _zero;

    public void Add()
    {
        lock (_gate)
        {
            _count++;
        }
    }

    public void Remove()
    {
        TaskCompletionSource? zero = null;
        lock (_gate)
        {
            if (--_count <= 0)
            {
                _count = 0;
                (zero, _zero) = (_zero, null);
            }
        }

        zero?.TrySetResult();
    }

    /// <summary>Completes when the count is zero (at once if it is).</summary>
    public Task WhenZero()
    {
        lock (_gate)
        {
            if (_count == 0)
            {
                return Task.CompletedTask;
            }

            _zero ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _zero.Task;
        }
    }
}
