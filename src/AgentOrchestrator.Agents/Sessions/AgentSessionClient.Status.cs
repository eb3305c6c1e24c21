using DurableTask.Core.History;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace AgentOrchestrator.Agents.Sessions;

/// <summary>Reading sessions, and what staff do to them as orchestrations: suspend, resume, terminate, purge.</summary>
public sealed partial class AgentSessionClient
{
    private static readonly OrchestrationRuntimeStatus[] Open =
        [OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Suspended];

    /// <summary>Reads a session's status, or null when it does not exist.</summary>
    public async Task<SessionStatus?> GetStatusAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sessionId);
        var instance = await client.GetInstanceAsync(sessionId, getInputsAndOutputs: true, cancellationToken);
        return instance is null || instance.Name != AgentSessionOrchestrator.Name ? null : ToStatus(instance);
    }

    /// <summary>Lists sessions matching a filter, one page at a time.</summary>
    public async Task<SessionPage> ListSessionsAsync(SessionQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.PageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.PageSize, 500);
        var filter = new OrchestrationQuery
        {
            Statuses = query.Statuses,
            CreatedFrom = query.CreatedFrom,
            PageSize = query.PageSize,
            ContinuationToken = query.ContinuationToken,
            FetchInputsAndOutputs = true,
        };
        await foreach (var page in client.GetAllInstancesAsync(filter).AsPages(query.ContinuationToken, query.PageSize).WithCancellation(cancellationToken))
        {
            var sessions = page.Values.Where(i => i.Name == AgentSessionOrchestrator.Name).Select(ToStatus)
                .Where(s => query.Owner is null || s.Progress.Owner == query.Owner)
                .Where(s => !query.NeedsAttentionOnly || s.Progress.NeedsAttention)
                .OrderByDescending(s => s.CreatedAt)
                .ToList();
            return new SessionPage(sessions, page.ContinuationToken);
        }

        return new SessionPage([], null);
    }

    /// <summary>The session's orchestration history (its current execution), oldest first.</summary>
    public async Task<IList<HistoryEvent>> GetHistoryAsync(string sessionId, CancellationToken cancellationToken = default)
        => await client.GetOrchestrationHistoryAsync(sessionId, cancellationToken);

    /// <summary>Suspends a running session: it keeps its events and resumes where it stopped.</summary>
    public async Task SuspendAsync(string sessionId, string note, CancellationToken cancellationToken = default)
    {
        await EnsureOpenAsync(sessionId, cancellationToken);
        await client.SuspendInstanceAsync(sessionId, note, cancellationToken);
    }

    /// <summary>Resumes a suspended session.</summary>
    public async Task ResumeAsync(string sessionId, string note, CancellationToken cancellationToken = default)
    {
        await EnsureOpenAsync(sessionId, cancellationToken);
        await client.ResumeInstanceAsync(sessionId, note, cancellationToken);
    }

    /// <summary>Terminates a session by force: no compensation runs, and its status says which steps were left.</summary>
    public async Task TerminateAsync(string sessionId, string note, CancellationToken cancellationToken = default)
    {
        await EnsureOpenAsync(sessionId, cancellationToken);
        await client.TerminateInstanceAsync(sessionId, note, cancellationToken);
    }

    /// <summary>Purges an ended session with its history and event log; false when it has not ended.</summary>
    public async Task<bool> PurgeAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        var status = await GetStatusAsync(sessionId, cancellationToken) ?? throw new SessionNotFoundException(sessionId);
        if (Open.Contains(status.RuntimeStatus))
        {
            return false;
        }

        await client.PurgeInstanceAsync(sessionId, cancellationToken);
        await eventLog.DeleteAsync(sessionId, cancellationToken);
        return true;
    }

    private static SessionStatus ToStatus(OrchestrationMetadata instance)
    {
        var progress = instance.ReadCustomStatusAs<SessionProgress>()
            ?? new SessionProgress { Owner = instance.ReadInputAs<SessionInput>()?.Owner ?? string.Empty };
        return new SessionStatus
        {
            SessionId = instance.InstanceId,
            RuntimeStatus = instance.RuntimeStatus,
            CreatedAt = instance.CreatedAt,
            LastUpdatedAt = instance.LastUpdatedAt,
            Progress = progress,
            TerminationNote = instance.RuntimeStatus == OrchestrationRuntimeStatus.Terminated
                ? progress.OpenChain.Count == 0
                    ? "Terminated by force; no completed step was waiting to be rolled back."
                    : $"Terminated by force; compensation was skipped for: {string.Join(", ", progress.OpenChain)}."
                : null,
        };
    }

    private async Task<SessionStatus> EnsureOpenAsync(string sessionId, CancellationToken cancellationToken)
    {
        var status = await GetStatusAsync(sessionId, cancellationToken) ?? throw new SessionNotFoundException(sessionId);
        if (!Open.Contains(status.RuntimeStatus) || status.Progress.Phase == SessionPhases.Ended)
        {
            throw new SessionClosedException(sessionId, status.RuntimeStatus.ToString().ToLowerInvariant());
        }

        return status;
    }
}
