using AgentOrchestrator.Agents.Activities;

namespace AgentOrchestrator.Agents.Sessions;

/// <summary>Approvals: a call the manifest marks waits for a person's decision, with a timeout.</summary>
public sealed partial class AgentSessionOrchestrator
{
    /// <summary>
    /// Waits for the decision on <paramref name="call"/>. A timeout counts as a denial by <c>timeout</c>;
    /// decisions for other calls (late or stray) are ignored.
    /// </summary>
    /// <returns>The decision, or null when the turn was cancelled while waiting.</returns>
    private async Task<ApprovalDecision?> AwaitApprovalAsync(TurnState turn, PlannedCall call)
    {
        var expiresAt = Min(_context.CurrentUtcDateTime + _state.Settings.ApprovalTimeout, turn.Deadline);
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

        // The event is written in the checkpoint that publishes this status, so a client that sees the event
        // also sees the approval pending in the status.
        _state.Publish(SessionPhases.AwaitingApproval);

        ApprovalDecision? decision = null;
        using (var wait = new CancellationTokenSource())
        {
            var timer = _context.CreateTimer(expiresAt, wait.Token);
            while (decision is null)
            {
                var next = _context.WaitForExternalEvent<ApprovalDecision>(SessionEventNames.Approval, cancellationToken: wait.Token);
                await Task.WhenAny(next, timer, turn.Cancel);
                if (!next.IsCompletedSuccessfully)
                {
                    break;
                }

                var candidate = await next;
                decision = candidate?.CallId == call.CallId ? candidate : null;
            }

            wait.Cancel();
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
