using AgentOrchestrator.Agents.Activities;
using AgentOrchestrator.Durable;

namespace AgentOrchestrator.Agents.Sessions;

/// <summary>
/// The session orchestration: one instance per chat session. It waits for user messages and runs each as a
/// turn (the model loop in <c>AgentSessionOrchestrator.Turn.cs</c>, guarded by the saga in
/// <c>AgentSessionOrchestrator.Saga.cs</c>); between turns it handles staff actions on parked chains, and
/// after a number of turns it continues as new with a compacted state so its history stays small.
/// </summary>
public sealed partial class AgentSessionOrchestrator : TaskOrchestrator<SessionInput, SessionProgress>
{
    /// <summary>The orchestrator's registered name.</summary>
    public const string Name = "AgentSession";

    private TaskOrchestrationContext _context = null!;
    private SessionState _state = null!;

    /// <inheritdoc />
    public override async Task<SessionProgress> RunAsync(TaskOrchestrationContext context, SessionInput? input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        _context = context;
        var carry = input.Carry ?? await StartAsync(input.Owner);
        _state = new SessionState(context, input.Owner, carry);
        _state.Publish();

        if (input.FirstMessage is { } first)
        {
            await RunTurnAsync(first);
        }

        while (!_state.Ended)
        {
            if (_state.TurnsThisGeneration >= _state.Settings.TurnsPerGeneration)
            {
                context.ContinueAsNew(new SessionInput { Owner = input.Owner, Carry = _state.ToCarry() });
                return Progress();
            }

            await WaitForNextInputAsync();
        }

        _state.Record(SessionEventKinds.SessionEnded, new { turn = _state.Turn, reason = "ended by the client" });
        _state.Publish(SessionPhases.Ended);
        return Progress();
    }

    private async Task<SessionCarry> StartAsync(string owner)
    {
        var settings = await _context.CallActivityAsync<SessionSettings>(
            SessionActivityNames.StartSession, owner, new TaskOptions { Retry = new RetryPolicy(10, TimeSpan.FromMilliseconds(200)) { MaxRetryInterval = TimeSpan.FromSeconds(5) } });
        return new SessionCarry { Settings = settings! };
    }

    /// <summary>Waits while idle for a message, an end request or a staff action; a cancel with no turn running is dropped.</summary>
    private async Task WaitForNextInputAsync()
    {
        _state.Publish(SessionPhases.Idle);
        using var stop = new CancellationTokenSource();
        var message = _context.WaitForExternalEvent<UserMessage>(SessionEventNames.UserMessage, cancellationToken: stop.Token);
        var end = _context.WaitForExternalEvent<object>(SessionEventNames.End, cancellationToken: stop.Token);
        var action = _context.WaitForExternalEvent<ChainAction>(SessionEventNames.ChainAction, cancellationToken: stop.Token);
        var cancel = _context.WaitForExternalEvent<CancelRequest>(SessionEventNames.Cancel, cancellationToken: stop.Token);
        await Task.WhenAny(message, end, action, cancel);
        stop.Cancel(); // synchronously, on the orchestration thread: waiters are removed in order

        // A waiter takes an event that was already buffered at once, so several may have completed:
        // handle every one (staff action first, the end request last) so that none is lost.
        if (action.IsCompletedSuccessfully)
        {
            await ActOnParkedChainAsync((await action)!);
        }

        if (message.IsCompletedSuccessfully)
        {
            await RunTurnAsync((await message)!);
        }

        if (end.IsCompletedSuccessfully)
        {
            _state.Ended = true;
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
