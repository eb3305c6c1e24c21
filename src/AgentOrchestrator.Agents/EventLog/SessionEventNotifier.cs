using System.Collections.Concurrent;

namespace AgentOrchestrator.Agents.EventLog;

/// <summary>
/// Wakes readers of a session's log in this process as soon as a writer here appends to it. Readers still poll on a
/// slow interval, because writers on other hosts cannot wake them.
/// </summary>
public sealed class SessionEventNotifier
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _next = new(StringComparer.Ordinal);

    /// <summary>Tells this process's readers of <paramref name="sessionId"/> that its log grew.</summary>
    public void Appended(string sessionId)
    {
        if (_next.TryRemove(sessionId, out var appended))
        {
            appended.TrySetResult();
        }
    }

    /// <summary>
    /// Completes at the next append to the session's log in this process. Take it before reading, and await it only if
    /// the read found nothing new, so an append in between is not missed.
    /// </summary>
    public Task NextAppendAsync(string sessionId)
        => _next.GetOrAdd(sessionId, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
}
