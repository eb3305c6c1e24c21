using AgentOrchestrator.Agents.Activities;
using AgentOrchestrator.Agents.EventLog;
using Microsoft.DurableTask;

namespace AgentOrchestrator.Agents.Sessions;

/// <summary>The turn: call the model, check its tool calls, get approvals, run the calls, feed results back.</summary>
public sealed partial class AgentSessionOrchestrator
{
    private async Task RunTurnAsync(UserMessage message)
    {
        _state.Turn++;
        _state.TurnsThisGeneration++;
        var cancel = _inbox.BeginTurn(_state.Turn);
        var turn = new TurnState(_state.Turn, Now + _state.Settings.TurnTimeout, cancel);
        _state.Record(SessionEventKinds.TurnStarted, new { turn = turn.Turn, messageId = message.MessageId, text = message.Text }, AgentSessionClient.TurnStartedKey(message.MessageId));

        IReadOnlyList<TranscriptMessage> newMessages = [new TranscriptMessage("user", message.Text, Turn: turn.Turn)];
        while (CheckGuards(turn))
        {
            var reply = await CallModelAsync(turn, newMessages);
            if (reply is null || OverBudget(turn, reply))
            {
                break;
            }

            if (reply.Calls.Count == 0)
            {
                break;
            }

            newMessages = await RunCallsAsync(turn, reply.Calls);
        }

        if (turn.Abort is TurnAbort.None)
        {
            // The model activity that gave the final answer recorded the turn's completion with it.
            EndTurn();
            return;
        }

        var rolledBack = await CompensateChainAsync(turn, $"turn {Describe(turn.Abort)}");
        _state.Record(SessionEventKinds.TurnCompleted, new
        {
            turn = turn.Turn,
            outcome = Describe(turn.Abort),
            text = AbortText(turn, rolledBack),
            inputTokens = turn.InputTokens,
            outputTokens = turn.OutputTokens,
            cost = turn.Cost,
        }, AgentSessionClient.TurnCompletedKey(turn.Turn));
        // The transcript says the turn ended here, so a model answer that arrives late is left out of later turns.
        _state.RecordTranscript(turn.Turn, turn.Step + 1, [new TranscriptMessage(TranscriptBuilder.AbortRole, AbortText(turn, rolledBack), Turn: turn.Turn, Step: turn.LastAnsweredStep)]);
        EndTurn();
    }

    private void EndTurn()
    {
        _inbox.EndTurn();
        _state.OpenChain.Clear(); // published as idle once the turn's events are written
    }

    /// <summary>True while the turn may take another model step; otherwise sets why it stops.</summary>
    private bool CheckGuards(TurnState turn)
    {
        if (Interrupted(turn))
        {
            return false;
        }

        if (turn.Step >= _state.Settings.MaxStepsPerTurn)
        {
            (turn.Abort, turn.AbortDetail) = (TurnAbort.Limit, $"the model made {turn.Step} calls, the most a turn allows");
        }

        return turn.Abort is TurnAbort.None;
    }

    /// <summary>True (and the reason set) when the turn was aborted, cancelled, or ran past its deadline.</summary>
    private bool Interrupted(TurnState turn)
    {
        if (turn.Abort is TurnAbort.None && turn.Cancel.IsCompletedSuccessfully)
        {
            (turn.Abort, turn.AbortDetail) = (TurnAbort.Cancelled, turn.Cancel.Result?.Reason);
        }
        else if (turn.Abort is TurnAbort.None && Now >= turn.Deadline)
        {
            (turn.Abort, turn.AbortDetail) = (TurnAbort.Deadline, $"the turn ran past its {_state.Settings.TurnTimeout} deadline");
        }

        return turn.Abort is not TurnAbort.None;
    }

    /// <summary>
    /// Calls the model with the step's new messages (they ride in with the call, with the other decided events). A cancel
    /// stops the wait at once: the turn is rolled back without waiting for a model that hangs, and its late answer is
    /// left out of the transcript.
    /// </summary>
    private async Task<ModelCallResult?> CallModelAsync(TurnState turn, IReadOnlyList<TranscriptMessage> newMessages)
    {
        turn.Step++;
        _state.Publish(SessionPhases.Thinking);
        _state.RecordTranscript(turn.Turn, turn.Step, newMessages);
        try
        {
            var call = _context.CallActivityAsync<ModelCallResult>(
                SessionActivityNames.CallModel,
                new ModelCallInput(_context.InstanceId, turn.Turn, turn.Step, _state.Settings, new TurnUsage(turn.InputTokens, turn.OutputTokens, turn.Cost))
                {
                    Events = _state.TakePendingEvents(),
                });
            if (await Task.WhenAny(call, turn.Cancel) != call)
            {
                Interrupted(turn);
                return null;
            }

            var reply = await call;
            turn.LastAnsweredStep = turn.Step;
            turn.InputTokens += reply.InputTokens;
            turn.OutputTokens += reply.OutputTokens;
            turn.Cost += reply.Cost;
            _state.InputTokens += reply.InputTokens;
            _state.OutputTokens += reply.OutputTokens;
            _state.Cost += reply.Cost;
            return reply;
        }
        catch (TaskFailedException e)
        {
            (turn.Abort, turn.AbortDetail) = (TurnAbort.ModelFailed, e.FailureDetails.ErrorMessage);
            return null;
        }
    }

    /// <summary>Stops the turn when it asks for more work after spending its budget; a final answer is still delivered.</summary>
    private bool OverBudget(TurnState turn, ModelCallResult reply)
    {
        var settings = _state.Settings;
        if (reply.Calls.Count == 0)
        {
            return false;
        }

        if (turn.InputTokens + turn.OutputTokens > settings.MaxTokensPerTurn)
        {
            (turn.Abort, turn.AbortDetail) = (TurnAbort.Budget, $"the turn used {turn.InputTokens + turn.OutputTokens} tokens of {settings.MaxTokensPerTurn}");
        }
        else if (settings.MaxSessionCost is { } max && _state.Cost > max)
        {
            (turn.Abort, turn.AbortDetail) = (TurnAbort.Budget, $"the session cost {_state.Cost} of at most {max}");
        }

        return turn.Abort is not TurnAbort.None;
    }

    /// <summary>
    /// Runs one response's calls and returns the tool messages, in the model's order. Consecutive read-only
    /// calls run in parallel; side-effecting calls run one by one. After a side effect fails for good, the
    /// chain is rolled back and the remaining calls are not run.
    /// </summary>
    private async Task<IReadOnlyList<TranscriptMessage>> RunCallsAsync(TurnState turn, IReadOnlyList<PlannedCall> calls)
    {
        var messages = new TranscriptMessage?[calls.Count];
        foreach (var (call, index) in calls.Select((c, i) => (c, i)).Where(x => !x.c.IsValid))
        {
            turn.Repairs++;
            _state.Record(SessionEventKinds.ToolRejected, new { turn = turn.Turn, callId = call.CallId, tool = call.Name, errors = call.Errors });
            messages[index] = ToolMessage(turn, call, new { error = call.Version is null ? "unknown_tool" : "invalid_arguments", details = call.Errors });
        }

        if (turn.Repairs > _state.Settings.RepairLimit)
        {
            (turn.Abort, turn.AbortDetail) = (TurnAbort.Limit, $"the model sent {turn.Repairs} invalid tool calls, more than the {_state.Settings.RepairLimit} a turn allows");
        }

        var failed = false;
        var index2 = 0;
        while (index2 < calls.Count)
        {
            var call = calls[index2];
            if (!call.IsValid)
            {
                index2++;
                continue;
            }

            if (failed || !CheckCallGuards(turn))
            {
                messages[index2++] = ToolMessage(turn, call, new { error = "not_run", message = failed ? "An earlier call of this response failed, so this call was not run." : $"The turn stopped: {turn.AbortDetail}." });
                continue;
            }

            if (call.ReadOnly && !call.NeedsApproval)
            {
                var group = calls.Skip(index2).TakeWhile(c => c.IsValid && c.ReadOnly && !c.NeedsApproval).ToList();
                turn.ToolCalls += group.Count;
                _state.Publish(SessionPhases.RunningTools);
                // Events decided before the group go with every call of it (written once, by whichever runs first), so
                // they precede everything the calls write, whatever order the calls run in.
                _groupEvents = _state.TakePendingEvents();
                TranscriptMessage[] outcomes;
                try
                {
                    outcomes = await Task.WhenAll(group.Select(c => RunCallAsync(turn, c)));
                }
                finally
                {
                    _groupEvents = [];
                }

                foreach (var outcome in outcomes)
                {
                    messages[index2++] = outcome;
                }

                continue;
            }

            var (message, succeeded) = await RunEffectAsync(turn, call);
            messages[index2++] = message;
            failed = !succeeded;
        }

        return [.. messages.Select(m => m!)];
    }

    private bool CheckCallGuards(TurnState turn)
    {
        if (Interrupted(turn))
        {
            return false;
        }

        if (turn.ToolCalls >= _state.Settings.MaxToolCallsPerTurn)
        {
            (turn.Abort, turn.AbortDetail) = (TurnAbort.Limit, $"the turn made {turn.ToolCalls} tool calls, the most it allows");
        }

        return turn.Abort is TurnAbort.None;
    }

    private static TranscriptMessage ToolMessage(TurnState turn, PlannedCall call, object content)
        => new("tool", SessionJson.Serialize(content), CallId: call.CallId, Turn: turn.Turn);

    /// <summary>The deterministic current time of the orchestration, as an offset.</summary>
    private DateTimeOffset Now => new(_context.CurrentUtcDateTime, TimeSpan.Zero);

    private static string Describe(TurnAbort abort) => abort switch
    {
        TurnAbort.Cancelled => "cancelled",
        TurnAbort.Deadline => "deadline",
        TurnAbort.Budget => "budget",
        TurnAbort.Limit => "limit",
        TurnAbort.ModelFailed => "failed",
        _ => "completed",
    };

    private static string AbortText(TurnState turn, IReadOnlyList<RollbackEntry> rolledBack)
    {
        var what = turn.Abort switch
        {
            TurnAbort.Cancelled => "The turn was cancelled" + (turn.AbortDetail is { } reason ? $" ({reason})" : string.Empty),
            TurnAbort.ModelFailed => $"The model could not answer: {turn.AbortDetail}",
            _ => $"The turn stopped because {turn.AbortDetail}",
        };
        return rolledBack.Count == 0
            ? $"{what}. Nothing needed to be rolled back."
            : $"{what}. Rolled back: {string.Join("; ", rolledBack.Select(r => r.ToString()))}.";
    }
}
