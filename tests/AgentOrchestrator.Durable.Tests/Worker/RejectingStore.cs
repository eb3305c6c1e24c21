using AgentOrchestrator.Durable.History;
using AgentOrchestrator.Durable.Storage;
using AgentOrchestrator.Durable.Testing;

namespace AgentOrchestrator.Durable.Tests.Worker;

/// <summary>
/// A store that refuses some writes, as a real store refuses a row or entity that is too large. Writes that carry a
/// dead letter always pass: that is how the engine gets rid of the message that caused the refusal.
/// </summary>
internal sealed class RejectingStore(IDurableStore inner) : DelegatingDurableStore(inner)
{
    private readonly SemaphoreSlim _rejected = new(0);

    /// <summary>Refuse checkpoints that would append an external event larger than this many characters.</summary>
    public int MaxEventInput { get; init; } = int.MaxValue;

    /// <summary>Refuse to complete the activity with this name.</summary>
    public string? RejectActivity { get; init; }

    /// <summary>Waits until the store has refused one more write.</summary>
    public Task WaitForRejectionAsync() => _rejected.WaitAsync(TimeSpan.FromSeconds(30)).ContinueWith(
        t => t.Result ? Task.CompletedTask : throw new TimeoutException("The store refused nothing in time."), TaskScheduler.Default).Unwrap();

    public override Task<long> CommitOrchestrationAsync(OrchestrationWorkItem workItem, OrchestrationCheckpoint checkpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        if (checkpoint.DeadLetters.Count == 0 && checkpoint.NewEvents.OfType<EventRaised>().Any(e => e.Input?.Length > MaxEventInput))
        {
            return Reject<long>("the checkpoint holds an event larger than the store accepts");
        }

        return Inner.CommitOrchestrationAsync(workItem, checkpoint, cancellationToken);
    }

    public override Task CompleteActivityAsync(ActivityWorkItem workItem, OrchestrationMessage result, DeadLetter? deadLetter = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workItem);
        return deadLetter is null && workItem.Task.Name == RejectActivity
            ? Reject<bool>("the activity result is larger than the store accepts")
            : Inner.CompleteActivityAsync(workItem, result, deadLetter, cancellationToken);
    }

    private Task<T> Reject<T>(string reason)
    {
        _rejected.Release();
        return Task.FromException<T>(new InvalidOperationException($"Store refused the write: {reason}."));
    }
}
