using AgentOrchestrator.Agents.Activities;
using AgentOrchestrator.Agents.EventLog;
using Microsoft.DurableTask;

namespace AgentOrchestrator.Agents.Sessions;

/// <summary>
/// The saga: completed compensatable steps form the turn's chain (in history as activity results before the
/// next step starts); a step that fails for good, a cancel, the deadline or the budget roll the chain back
/// newest first; a pivot seals it; a compensation that fails for good parks the rest for staff.
/// </summary>
public sealed partial class AgentSessionOrchestrator
{
    /// <summary>Every compensation gets at least this many attempts, whatever its tool's policy says.</summary>
    private const int MinCompensationAttempts = 3;

    private static readonly CallRetry StaffRetry = new(MinCompensationAttempts, 1_000, 2, 30_000);

    /// <summary>While a group of calls runs side by side: the events decided before it, carried by each call.</summary>
    private IReadOnlyList<SessionLogEntry> _groupEvents = [];

    /// <summary>Runs one read-only call (retried as its manifest says) and returns the tool message.</summary>
    private async Task<TranscriptMessage> RunCallAsync(TurnState turn, PlannedCall call)
    {
        var outcome = await InvokeWithRetryAsync(turn.Turn, call.CallId, call.Name, call.Version!, call.Arguments, Key(turn, call), call.Retry, null);
        return ToolMessage(turn, call, outcome.Success
            ? new { result = JsonText.Parse(outcome.Result) }
            : new { error = outcome.ErrorCode, message = outcome.Error });
    }

    /// <summary>Runs one side-effecting call: approval if asked, the call, then the saga bookkeeping.</summary>
    private async Task<(TranscriptMessage Message, bool Succeeded)> RunEffectAsync(TurnState turn, PlannedCall call)
    {
        if (call.NeedsApproval)
        {
            var decision = await AwaitApprovalAsync(turn, call);
            if (decision is null)
            {
                return (ToolMessage(turn, call, new { error = "not_run", message = "The turn was cancelled while the call waited for approval." }), true);
            }

            if (!decision.Approved)
            {
                return (ToolMessage(turn, call, new { error = "approval_denied", by = decision.By, reason = decision.Reason }), true);
            }
        }

        turn.ToolCalls++;
        _state.Publish(SessionPhases.RunningTools);
        var key = Key(turn, call);
        var outcome = await InvokeWithRetryAsync(turn.Turn, call.CallId, call.Name, call.Version!, call.Arguments, key, call.Retry, null);
        if (outcome.Success)
        {
            Extend(turn, call, key, outcome);
            return (ToolMessage(turn, call, new { result = JsonText.Parse(outcome.Result) }), true);
        }

        if (call.ReadOnly)
        {
            return (ToolMessage(turn, call, new { error = outcome.ErrorCode, message = outcome.Error }), false);
        }

        var rolledBack = await CompensateChainAsync(turn, $"'{call.Name}' failed: {outcome.Error}");
        return (ToolMessage(turn, call, new
        {
            error = outcome.ErrorCode,
            message = outcome.Error,
            rolledBack = rolledBack.Select(r => new { callId = r.CallId, tool = r.Tool, compensation = r.Compensation, status = r.Status }),
            note = "The steps listed were undone. Tell the user what failed and what was rolled back.",
        }), false);
    }

    /// <summary>Adds a completed step to the chain, or seals the chain when the step is a pivot.</summary>
    private void Extend(TurnState turn, PlannedCall call, string key, ToolCallOutcome outcome)
    {
        if (call.Role == "pivot")
        {
            _state.Record(SessionEventKinds.ChainSealed, new { turn = turn.Turn, callId = call.CallId, tool = call.Name, sealedCalls = turn.Chain.Select(s => s.CallId) });
            turn.Chain.Clear();
            _state.OpenChain.Clear();
        }
        else if (call.Role == "compensatable")
        {
            turn.Chain.Add(new ChainStep(call.CallId, call.Name, key, outcome.Compensation, outcome.Compensation is null ? "no compensation could be planned from the call's result" : null));
            _state.OpenChain.Add($"{call.Name} ({call.CallId})");
        }
    }

    /// <summary>Undoes the chain newest first; parks what cannot be undone. Returns what happened to each step.</summary>
    private async Task<IReadOnlyList<RollbackEntry>> CompensateChainAsync(TurnState turn, string reason)
    {
        var entries = new List<RollbackEntry>();
        var parked = new List<ParkedStep>();
        if (turn.Chain.Count > 0)
        {
            _state.Publish(SessionPhases.Compensating);
        }

        foreach (var step in Enumerable.Reverse(turn.Chain))
        {
            var compensation = step.Compensation;
            if (parked.Count > 0 || compensation is null)
            {
                // Once a compensation is stuck, older steps wait with it: undoing them out of order could be worse.
                parked.Add(ToParked(step, parked.Count > 0 ? "waiting for a newer step's compensation" : step.Problem!));
                entries.Add(new RollbackEntry(step.CallId, step.Tool, compensation?.Tool, "parked"));
                continue;
            }

            var retry = compensation.Retry with { MaxAttempts = Math.Max(compensation.Retry.MaxAttempts, MinCompensationAttempts) };
            var outcome = await InvokeWithRetryAsync(turn.Turn, step.CallId, compensation.Tool, compensation.Version, compensation.Arguments, CompensationKey(step.IdempotencyKey), retry, step.Tool, reason);
            if (outcome.Success)
            {
                entries.Add(new RollbackEntry(step.CallId, step.Tool, compensation.Tool, "rolled_back"));
            }
            else if (compensation.ContinueOnFailure)
            {
                entries.Add(new RollbackEntry(step.CallId, step.Tool, compensation.Tool, "compensation_failed"));
            }
            else
            {
                parked.Add(ToParked(step, outcome.Error ?? outcome.ErrorCode ?? "failed"));
                entries.Add(new RollbackEntry(step.CallId, step.Tool, compensation.Tool, "parked"));
            }
        }

        if (parked.Count > 0)
        {
            var chain = new ParkedChain($"t{turn.Turn}-{_context.NewGuid():N}"[..16], turn.Turn, parked);
            _state.ParkedChains.Add(chain);
            _state.Record(SessionEventKinds.ChainParked, new { turn = turn.Turn, chainId = chain.ChainId, pending = parked });
        }

        turn.Chain.Clear();
        _state.OpenChain.Clear();
        return entries;
    }

    /// <summary>Handles a staff action on a parked chain: retry its compensations, or record it as resolved by hand.</summary>
    private async Task ActOnParkedChainAsync(ChainAction action)
    {
        var index = _state.ParkedChains.FindIndex(c => c.ChainId == action.ChainId);
        if (index < 0)
        {
            return;
        }

        var chain = _state.ParkedChains[index];
        var remaining = new List<ParkedStep>();
        if (action.Action == ChainActionKind.Retry)
        {
            _state.Publish(SessionPhases.Compensating);
            foreach (var step in chain.Pending)
            {
                var outcome = remaining.Count > 0
                    ? null
                    : await InvokeWithRetryAsync(chain.Turn, step.CallId, step.CompensationTool, step.CompensationVersion, step.Arguments, step.IdempotencyKey, StaffRetry, step.Tool, "retried by staff");
                if (outcome is not { Success: true })
                {
                    remaining.Add(outcome is null ? step : step with { Error = outcome.Error ?? outcome.ErrorCode ?? "failed" });
                }
            }
        }

        if (remaining.Count == 0)
        {
            _state.ParkedChains.RemoveAt(index);
        }
        else
        {
            _state.ParkedChains[index] = chain with { Pending = remaining };
        }

        _state.Publish(); // the status shows the chain's new state no later than its event

        _state.Record(SessionEventKinds.ChainResolved, new
        {
            turn = chain.Turn,
            chainId = chain.ChainId,
            action = action.Action.ToString().ToLowerInvariant(),
            by = action.By,
            note = action.Note,
            outcome = action.Action == ChainActionKind.Resolve ? "resolved by hand" : remaining.Count == 0 ? "compensated" : "still parked",
            pending = remaining,
        });
    }

    /// <summary>
    /// Runs attempts of a call or compensation until one succeeds, one fails for good, or the attempts run out; waits
    /// between them on durable timers. While the service answers that an earlier attempt with the same key is still in
    /// progress, it waits (as the service asks, up to the tool's in-progress bound) without spending attempts: a crash of
    /// the service between taking a key and finishing its work never turns a good call into a failed one.
    /// </summary>
    private async Task<ToolCallOutcome> InvokeWithRetryAsync(
        int turn, string callId, string tool, string version, string arguments, string key, CallRetry retry, string? compensationOf, string? reason = null)
    {
        DateTimeOffset? waitingSince = null;
        for (int attempt = 1, wait = 0; ;)
        {
            var input = new ToolCallInput(_context.InstanceId, turn, callId, tool, version, arguments, key, attempt, retry.MaxAttempts, compensationOf)
            {
                Reason = reason,
                Wait = wait,
            };
            // Carried by the attempt and written as it starts: "started" means a worker took the attempt.
            _state.Record(input.EventKind("started"), input.Describe(), $"{input.AttemptKey}:started");
            input = input with { Events = [.. _groupEvents, .. _state.TakePendingEvents()] };
            var outcome = await InvokeAsync(input);
            if (outcome.InProgress)
            {
                waitingSince ??= Now;
                var bound = TimeSpan.FromMilliseconds(retry.InProgressTimeoutMs);
                var waited = Now - waitingSince.Value;
                if (waited >= bound)
                {
                    var failed = outcome with { InProgress = false, Retryable = false, ErrorCode = "in_progress_timeout", Error = $"The service still had the call in progress after {bound}." };
                    _state.Record(input.EventKind("failed"), Describe(input, failed), $"{key}:in_progress_timeout");
                    return failed;
                }

                var asked = TimeSpan.FromMilliseconds(outcome.RetryAfterMs ?? retry.InitialIntervalMs);
                await _context.CreateTimer(Shortest(asked, bound - waited, _state.Settings.MaxRetryDelay), CancellationToken.None);
                wait++;
                continue;
            }

            if (outcome.Success || !outcome.Retryable || attempt >= retry.MaxAttempts)
            {
                return outcome;
            }

            var delay = outcome.RetryAfterMs is { } after ? TimeSpan.FromMilliseconds(after) : retry.DelayBefore(attempt + 1);
            await _context.CreateTimer(Shortest(delay, _state.Settings.MaxRetryDelay, _state.Settings.MaxRetryDelay), CancellationToken.None);
            (attempt, wait) = (attempt + 1, 0);
        }
    }

    private async Task<ToolCallOutcome> InvokeAsync(ToolCallInput input)
    {
        try
        {
            return await _context.CallActivityAsync<ToolCallOutcome>(SessionActivityNames.InvokeTool, input);
        }
        catch (TaskFailedException e)
        {
            return new ToolCallOutcome(false, null, "activity_failed", e.FailureDetails.ErrorMessage, false, null, null);
        }
    }

    private static Dictionary<string, object?> Describe(ToolCallInput input, ToolCallOutcome outcome)
    {
        var data = input.Describe();
        data["code"] = outcome.ErrorCode;
        data["error"] = outcome.Error;
        data["willRetry"] = false;
        return data;
    }

    private static TimeSpan Shortest(TimeSpan a, TimeSpan b, TimeSpan c) => TimeSpan.FromTicks(Math.Min(a.Ticks, Math.Min(b.Ticks, c.Ticks)));

    private string Key(TurnState turn, PlannedCall call) => $"{_context.InstanceId}:{turn.Turn}:{call.CallId}";

    private static string CompensationKey(string key) => key + ":compensate";

    private static ParkedStep ToParked(ChainStep step, string error) => new(
        step.CallId,
        step.Tool,
        step.Compensation?.Tool ?? "(none)",
        step.Compensation?.Version ?? string.Empty,
        step.Compensation?.Arguments ?? "{}",
        CompensationKey(step.IdempotencyKey),
        error);
}
