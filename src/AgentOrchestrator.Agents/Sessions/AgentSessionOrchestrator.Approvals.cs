using AgentOrchestrator.Agents.Activities;

namespace AgentOrchestrator.Agents.Sessions;

/// <summary>Approvals: a call the manifest marks waits for a person's decision, with a timeout.</summary>
public sealed partial class AgentSessionOrchestrator
{
    /// <summary>
    /// Waits for the decision on <paramref name="call"/>. A timeout counts as a denial by <c>timeout</c>; decisions for
    /// other calls (late or stray) are dropped by the inbox.
    /// </summary>
    /// <returns>The decision, or null when the turn was cancelled while waiting.</returns>
    private async Task<ApprovalDecision?> AwaitApprovalAsync(TurnState turn, PlannedCall call)
    {
        var expiresAt = Min(Now + _state.Settings.ApprovalTimeout, turn.Deadline);
        var pending = new PendingApproval(call.CallId, call.Name, call.Arguments, call.ApprovalReason, expiresAt);
        _state.PendingApprovals.Add(pending);
        _state.Record(SessionEventKinds.ApprovalNeeded, new
        {
            turn = turn.Turn,
            callId = call.CallId,
            tool = call.Name,
            arguments = JsonText.Parse(call.Arguments),
            reason = call.ApprovalReason,
            expiresAt,
        });

        // The event is written before the wait, and the status published with the same checkpoint, so a client that
        // sees the event also sees the approval pending in the status.
        _state.Publish(SessionPhases.AwaitingApproval);
        await FlushEventsAsync();

        ApprovalDecision? decision;
        using (var timerScope = new CancellationTokenSource())
        {
            var decided = _inbox.ApprovalFor(call.CallId);
            var timer = _context.CreateTimer(expiresAt.UtcDateTime, timerScope.Token);
            var first = await Task.WhenAny(decided, timer, turn.Cancel);
            decision = first == decided ? await decided : null;
            _inbox.StopWaitingForApproval();
            timerScope.Cancel(); // a timer, unlike an event wait, may be cancelled: it only stops the wait for it
        }

        _state.PendingApprovals.Remove(pending);
        if (decision is null && turn.Cancel.IsCompletedSuccessfully)
        {
            return null;
        }

        decision ??= new ApprovalDecision(call.CallId, false, "timeout", $"No decision arrived by {expiresAt:O}.");
        _state.Record(SessionEventKinds.ApprovalDecided, new
        {
            turn = turn.Turn,
            callId = call.CallId,
            tool = call.Name,
            approved = decision.Approved,
            by = decision.By,
            reason = decision.Reason,
        });
        return decision;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
