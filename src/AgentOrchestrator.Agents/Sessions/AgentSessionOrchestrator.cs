using AgentOrchestrator.Agents.Activities;
using Microsoft.DurableTask;

namespace AgentOrchestrator.Agents.Sessions;

/// <summary>
/// The session orchestration: one instance per chat session. It waits for user messages and runs each as a turn (the
/// model loop in <c>AgentSessionOrchestrator.Turn.cs</c>, guarded by the saga in <c>AgentSessionOrchestrator.Saga.cs</c>);
/// between turns it handles staff actions on parked chains, and after a number of turns it continues as new with a
/// compacted state so its history stays small. It does no I/O: the events it decides reach the session's event log
/// through the next activity it calls (or <see cref="SessionActivityNames.RecordEvents"/> before it waits).
/// </summary>
public sealed partial class AgentSessionOrchestrator : TaskOrchestrator<SessionInput, SessionProgress>
{
    /// <summary>The orchestrator's registered name.</summary>
    public const string Name = "AgentSession";

    private static readonly TaskOptions StartRetry = TaskOptions.FromRetryPolicy(new RetryPolicy(10, TimeSpan.FromMilliseconds(200), maxRetryInterval: TimeSpan.FromSeconds(5)));

    private TaskOrchestrationContext _context = null!;
    private SessionState _state = null!;
    private SessionInbox _inbox = null!;

    /// <inheritdoc />
    public override async Task<SessionProgress> RunAsync(TaskOrchestrationContext context, SessionInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        _context = context;
        var carry = input.Carry ?? await StartAsync(input.Owner);
        _state = new SessionState(context, input.Owner, carry);
        _inbox = new SessionInbox(context, input.FirstMessage is { } first ? [first, .. carry.QueuedMessages] : carry.QueuedMessages, carry.QueuedActions, carry.SeenMessageIds);
        _state.Publish();

        while (!_state.Ended)
        {
            if (_state.TurnsThisGeneration >= _state.Settings.TurnsPerGeneration && !_inbox.HasWaiting)
            {
                await FlushEventsAsync();
                context.ContinueAsNew(new SessionInput { Owner = input.Owner, RequestFingerprint = input.RequestFingerprint, Carry = _state.ToCarry(_inbox) });
                return Progress();
            }

            await HandleNextAsync();
        }

        _state.Record(SessionEventKinds.SessionEnded, new { turn = _state.Turn, reason = "ended by the client" });
        await FlushEventsAsync();
        _state.Publish(SessionPhases.Ended);
        return Progress();
    }

    private async Task<SessionCarry> StartAsync(string owner)
    {
        var settings = await _context.CallActivityAsync<SessionSettings>(SessionActivityNames.StartSession, owner, StartRetry);
        return new SessionCarry { Settings = settings };
    }

    /// <summary>
    /// Handles the next message, staff action or end request, waiting while idle for one. Before it reports idle, the
    /// events decided so far are written, so a client that sees the session idle also finds in the log what led there.
    /// </summary>
    private async Task HandleNextAsync()
    {
        if (!_inbox.HasWaiting)
        {
            await FlushEventsAsync();
            _state.Publish(SessionPhases.Idle);
        }

        var next = await _inbox.NextAsync();
        if (next.Action is { } action)
        {
            await ActOnParkedChainAsync(action);
        }
        else if (next.Message is { } message)
        {
            await RunTurnAsync(message);
        }
        else if (next.End)
        {
            _state.Ended = true;
        }
    }

    /// <summary>Writes the decided events that no activity is about to carry.</summary>
    private async Task FlushEventsAsync()
    {
        if (_state.HasPendingEvents)
        {
            await _context.CallActivityAsync<int>(SessionActivityNames.RecordEvents, new RecordEventsInput(_context.InstanceId, _state.TakePendingEvents()));
        }
    }

    private SessionProgress Progress() => new()
    {
        Owner = _state.Owner,
        Turn = _state.Turn,
        Phase = _state.Phase,
        InputTokens = _state.InputTokens,
        OutputTokens = _state.OutputTokens,
        Cost = _state.Cost,
        ParkedChains = [.. _state.ParkedChains],
    };
}
