using AgentOrchestrator.Agents.EventLog;

namespace AgentOrchestrator.Agents.Activities;

/// <summary>
/// The events an orchestration handed to one activity run, written ahead of whatever the run appends next, in the same
/// append: a run that ends at once writes them with its outcome in one transaction instead of two. A run that takes a
/// while writes them on their own after <see cref="Delay"/>, so readers (a chat client's stream) see them promptly.
/// Appends are serialized, so nothing the run writes can land before them.
/// </summary>
internal sealed class HandedEvents(SessionEventWriter events, string sessionId, IReadOnlyList<SessionLogEntry> handed)
{
    /// <summary>How long a run may take before the handed events are written on their own.</summary>
    public static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(25);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private IReadOnlyList<SessionLogEntry> _unwritten = handed;

    /// <summary>
    /// Waits for <paramref name="work"/> up to <see cref="Delay"/>, then writes the handed events if it is still running.
    /// Returns when the work is done or the events are written, whichever the caller should wait for next.
    /// </summary>
    public async Task WriteIfSlowAsync(Task work, TimeProvider time)
    {
        if (_unwritten.Count > 0 && await Task.WhenAny(work, Task.Delay(Delay, time)).ConfigureAwait(false) != work)
        {
            await AppendAsync([]).ConfigureAwait(false);
        }
    }

    /// <summary>Appends <paramref name="entries"/>, preceded by the handed events if they are not written yet.</summary>
    public async Task AppendAsync(IReadOnlyList<SessionLogEntry> entries, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var all = _unwritten.Count == 0 ? entries : [.. _unwritten, .. entries];
            await events.AppendAsync(sessionId, all, cancellationToken).ConfigureAwait(false);
            _unwritten = []; // only once stored: an append that failed leaves them for the next one
        }
        finally
        {
            _gate.Release();
        }
    }
}
