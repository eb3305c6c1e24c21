using Microsoft.DurableTask;

namespace AgentOrchestrator.Agents.Sessions;

/// <summary>
/// Receives a session's external events for the orchestration. The SDK hands each event to the newest waiter for its
/// name, even one whose wait was cancelled, and such an event would be lost; so the inbox never cancels a wait: it keeps
/// one live waiter per event name, re-armed after every delivery, and sorts what arrives. Messages, staff actions and
/// end requests queue in arrival order; a cancel counts only for the running turn; approvals go to the call they name.
/// Everything here is driven by history events, so replay rebuilds it exactly.
/// </summary>
internal sealed class SessionInbox
{
    /// <summary>Message ids remembered across generations, to drop a resent message delivered twice.</summary>
    private const int RememberedMessageIds = 100;

    private readonly TaskOrchestrationContext _context;
    private readonly Queue<InboxItem> _queue = new();
    private readonly List<string> _seenMessageIds;
    private readonly List<ApprovalDecision> _approvals = [];
    private TaskCompletionSource? _arrived;
    private TaskCompletionSource<CancelRequest?>? _cancel;
    private (string CallId, TaskCompletionSource<ApprovalDecision> Decision)? _approvalWaiter;
    private int _turn;

    public SessionInbox(TaskOrchestrationContext context, IEnumerable<UserMessage> carriedMessages, IEnumerable<ChainAction> carriedActions, IEnumerable<string> seenMessageIds)
    {
        _context = context;
        _seenMessageIds = [.. seenMessageIds];
        foreach (var action in carriedActions)
        {
            _queue.Enqueue(new InboxItem(null, action, false));
        }

        foreach (var message in carriedMessages)
        {
            _queue.Enqueue(new InboxItem(message, null, false));
        }

        _ = PumpAsync<UserMessage>(SessionEventNames.UserMessage, OnMessage);
        _ = PumpAsync<ChainAction>(SessionEventNames.ChainAction, a => Enqueue(new InboxItem(null, a, false)));
        _ = PumpAsync<object>(SessionEventNames.End, _ => Enqueue(new InboxItem(null, null, true)));
        _ = PumpAsync<CancelRequest>(SessionEventNames.Cancel, OnCancel);
        _ = PumpAsync<ApprovalDecision>(SessionEventNames.Approval, OnApproval);
    }

    /// <summary>The ids of the most recent messages, for the next generation.</summary>
    public IReadOnlyList<string> SeenMessageIds => _seenMessageIds.TakeLast(RememberedMessageIds).ToList();

    /// <summary>True when something waits in the queue.</summary>
    public bool HasWaiting => _queue.Count > 0;

    /// <summary>The next message, staff action or end request, waiting for one if none is queued.</summary>
    public async Task<InboxItem> NextAsync()
    {
        while (_queue.Count == 0)
        {
            _arrived = new TaskCompletionSource();
            await _arrived.Task;
        }

        return _queue.Dequeue();
    }

    /// <summary>What is queued and not handled yet, for the next generation (an end request is not carried).</summary>
    public (IReadOnlyList<UserMessage> Messages, IReadOnlyList<ChainAction> Actions) TakeQueued()
    {
        var items = _queue.ToList();
        _queue.Clear();
        return ([.. items.Select(i => i.Message).OfType<UserMessage>()], [.. items.Select(i => i.Action).OfType<ChainAction>()]);
    }

    /// <summary>Starts listening for cancels of <paramref name="turn"/>; the task completes when one arrives.</summary>
    public Task<CancelRequest?> BeginTurn(int turn)
    {
        _turn = turn;
        _cancel = new TaskCompletionSource<CancelRequest?>();
        return _cancel.Task;
    }

    /// <summary>Stops listening for cancels: one arriving now is dropped.</summary>
    public void EndTurn()
    {
        _turn = 0;
        _cancel = null;
        _approvals.Clear();
    }

    /// <summary>Waits for the decision on <paramref name="callId"/>; decisions for other calls are dropped.</summary>
    public Task<ApprovalDecision> ApprovalFor(string callId)
    {
        var early = _approvals.Find(a => a.CallId == callId);
        _approvals.Clear();
        if (early is not null)
        {
            return Task.FromResult(early);
        }

        var decision = new TaskCompletionSource<ApprovalDecision>();
        _approvalWaiter = (callId, decision);
        return decision.Task;
    }

    /// <summary>Stops waiting for a decision (it was decided, timed out or the turn was cancelled).</summary>
    public void StopWaitingForApproval() => _approvalWaiter = null;

    private async Task PumpAsync<T>(string name, Action<T?> deliver)
    {
        while (true)
        {
            deliver(await _context.WaitForExternalEvent<T?>(name));
        }
    }

    private void OnMessage(UserMessage? message)
    {
        if (message is null || _seenMessageIds.Contains(message.MessageId, StringComparer.Ordinal))
        {
            return; // a resent message that was already delivered
        }

        _seenMessageIds.Add(message.MessageId);
        Enqueue(new InboxItem(message, null, false));
    }

    private void OnCancel(CancelRequest? request)
    {
        if (_cancel is { } cancel && (request?.Turn is null || request.Turn == _turn))
        {
            cancel.TrySetResult(request);
        }
    }

    private void OnApproval(ApprovalDecision? decision)
    {
        if (decision is null)
        {
            return;
        }

        if (_approvalWaiter is { } waiter && waiter.CallId == decision.CallId)
        {
            _approvalWaiter = null;
            waiter.Decision.TrySetResult(decision);
        }
        else if (_turn != 0)
        {
            _approvals.Add(decision); // may be for a call of this turn that has not started waiting yet
        }
    }

    private void Enqueue(InboxItem item)
    {
        _queue.Enqueue(item);
        _arrived?.TrySetResult();
    }
}
