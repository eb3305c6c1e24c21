using System.Text.Json;
using AgentOrchestrator.Durable;
using AgentOrchestrator.Durable.Storage;

namespace AgentOrchestrator.Agents.Sessions;

/// <summary>
/// What chat frontends and support staff do with sessions: start one, send messages, decide approvals,
/// cancel a turn, end it, read its status and event log, and act on parked rollbacks.
/// </summary>
public sealed class AgentSessionClient(DurableTaskClient client, IInstanceEventLog eventLog)
{
    /// <summary>The longest user message accepted, in characters.</summary>
    public const int MaxMessageLength = 32_000;

    private static readonly OrchestrationRuntimeStatus[] Open =
        [OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Suspended];

    /// <summary>Starts a session for <paramref name="owner"/>, optionally with a first message.</summary>
    /// <returns>The new session's status.</returns>
    public async Task<SessionStatus> StartSessionAsync(string owner, string? firstMessage = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        if (firstMessage is not null)
        {
            ValidateText(firstMessage);
        }

        var sessionId = "s-" + Guid.NewGuid().ToString("N");
        var input = new SessionInput { Owner = owner, FirstMessage = firstMessage is null ? null : new UserMessage("m-1", firstMessage) };
        await client.ScheduleNewOrchestrationInstanceAsync(AgentSessionOrchestrator.Name, input, new StartOrchestrationOptions { InstanceId = sessionId }, cancellationToken);
        return (await GetStatusAsync(sessionId, cancellationToken))!;
    }

    /// <summary>Sends a user message; it starts a turn now, or after the running turn ends.</summary>
    /// <param name="sessionId">The session.</param>
    /// <param name="text">The message.</param>
    /// <param name="messageId">Optional client id: sending twice with one id delivers once.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The message id.</returns>
    public async Task<string> SendMessageAsync(string sessionId, string text, string? messageId = null, CancellationToken cancellationToken = default)
    {
        ValidateText(text);
        await EnsureOpenAsync(sessionId, cancellationToken);
        var id = messageId ?? "m-" + Guid.NewGuid().ToString("N");
        await client.RaiseEventAsync(sessionId, SessionEventNames.UserMessage, new UserMessage(id, text), eventId: $"msg:{id}", cancellationToken);
        return id;
    }

    /// <summary>Approves or denies a tool call that waits for approval.</summary>
    /// <exception cref="ArgumentException">No such call is waiting.</exception>
    public async Task DecideApprovalAsync(string sessionId, ApprovalDecision decision, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decision);
        var status = await EnsureOpenAsync(sessionId, cancellationToken);
        if (!status.Progress.PendingApprovals.Any(p => p.CallId == decision.CallId))
        {
            throw new ArgumentException($"No tool call '{decision.CallId}' is waiting for approval in session '{sessionId}'.", nameof(decision));
        }

        await client.RaiseEventAsync(sessionId, SessionEventNames.Approval, decision, eventId: $"approval:{decision.CallId}", cancellationToken);
    }

    /// <summary>Cancels the running turn: its completed steps are rolled back and the session waits for the next message.</summary>
    public async Task CancelTurnAsync(string sessionId, string? reason = null, CancellationToken cancellationToken = default)
    {
        await EnsureOpenAsync(sessionId, cancellationToken);
        await client.RaiseEventAsync(sessionId, SessionEventNames.Cancel, new CancelRequest(reason), cancellationToken: cancellationToken);
    }

    /// <summary>Ends the session after its running turn.</summary>
    public async Task EndSessionAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        await EnsureOpenAsync(sessionId, cancellationToken);
        await client.RaiseEventAsync(sessionId, SessionEventNames.End, null, eventId: "end", cancellationToken);
    }

    /// <summary>Runs a parked chain's failed compensations again, or records that staff resolved them by hand.</summary>
    /// <exception cref="ArgumentException">No such chain is parked.</exception>
    public async Task ActOnParkedChainAsync(string sessionId, ChainAction action, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(action);
        var status = await EnsureOpenAsync(sessionId, cancellationToken);
        if (!status.Progress.ParkedChains.Any(c => c.ChainId == action.ChainId))
        {
            throw new ArgumentException($"No chain '{action.ChainId}' is parked in session '{sessionId}'.", nameof(action));
        }

        await client.RaiseEventAsync(sessionId, SessionEventNames.ChainAction, action, cancellationToken: cancellationToken);
    }

    /// <summary>Reads a session's status, or null when it does not exist.</summary>
    public async Task<SessionStatus?> GetStatusAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sessionId);
        var instance = await client.GetInstanceAsync(sessionId, cancellationToken);
        return instance is null || instance.Name != AgentSessionOrchestrator.Name ? null : ToStatus(instance);
    }

    /// <summary>Reads a session's events after <paramref name="afterSequence"/>, oldest first.</summary>
    public async Task<IReadOnlyList<SessionEvent>> ReadEventsAsync(string sessionId, long afterSequence, int maxCount = 500, CancellationToken cancellationToken = default)
    {
        var records = await eventLog.ReadLogAsync(sessionId, afterSequence, maxCount, cancellationToken: cancellationToken);
        return [.. records.Select(r => new SessionEvent(r.Sequence, r.Kind, r.Timestamp, ParseData(r.Data)))];
    }

    /// <summary>Lists sessions matching a filter, one page at a time.</summary>
    public async Task<SessionPage> ListSessionsAsync(SessionQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.PageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.PageSize, 500);
        var page = await client.QueryInstancesAsync(
            new InstanceQuery
            {
                Name = AgentSessionOrchestrator.Name,
                Statuses = query.Statuses,
                CreatedFrom = query.CreatedFrom,
                PageSize = query.PageSize,
                ContinuationToken = query.ContinuationToken,
            },
            cancellationToken);
        var sessions = page.Instances.Select(ToStatus)
            .Where(s => query.Owner is null || s.Progress.Owner == query.Owner)
            .Where(s => !query.NeedsAttentionOnly || s.Progress.NeedsAttention)
            .ToList();
        return new SessionPage(sessions, page.ContinuationToken);
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

    private static JsonElement ParseData(string data)
    {
        using var document = JsonDocument.Parse(data);
        return document.RootElement.Clone();
    }

    private static void ValidateText(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ArgumentException("The message text is empty.", nameof(text));
        }

        if (text.Length > MaxMessageLength)
        {
            throw new ArgumentException($"The message text has {text.Length} characters; at most {MaxMessageLength} are accepted.", nameof(text));
        }
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
