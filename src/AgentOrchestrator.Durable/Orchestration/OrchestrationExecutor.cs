using AgentOrchestrator.Durable.History;

namespace AgentOrchestrator.Durable.Orchestration;

/// <summary>
/// Runs one execution of an orchestrator: replays its past history, then applies the new events of an
/// episode. The same executor may be kept in memory and fed the next episode without replaying.
/// </summary>
internal sealed class OrchestrationExecutor(string instanceId, Func<string, OrchestratorRegistration?> resolve)
{
    private readonly EpisodeSynchronizationContext _scheduler = new();
    private readonly List<HistoryEvent> _episodeEvents = [];
    private OrchestrationContextImpl? _context;
    private Task<string?>? _run;
    private DateTimeOffset _episodeTime;
    private bool _replaying;
    private bool _endedBeforeEpisode;
    private bool _terminalEventSeen;

    /// <summary>The running execution's start event; null until one is seen.</summary>
    public ExecutionStarted? Started { get; private set; }

    /// <summary>Set once the execution has ended.</summary>
    public ExecutionOutcome? Outcome { get; private set; }

    /// <summary>True between a suspend and a resume.</summary>
    public bool IsSuspended { get; private set; }

    /// <summary>Re-runs the code over recorded history. A mismatch ends the execution as failed.</summary>
    public void Replay(IEnumerable<HistoryEvent> history)
    {
        foreach (var recorded in history)
        {
            if (Outcome is not null)
            {
                return;
            }

            Process(recorded, replaying: true);
        }
    }

    /// <summary>Starts an episode at <paramref name="now"/>.</summary>
    public void BeginEpisode(DateTimeOffset now)
    {
        _episodeEvents.Clear();
        _episodeTime = now;
        // Ended before only if history records the end. An outcome reached while replaying (the code no longer
        // matches its history) is new: this episode must record it and tell a parent.
        _endedBeforeEpisode = _terminalEventSeen;
        Apply(new OrchestratorStarted { Timestamp = now });
    }

    /// <summary>
    /// Applies one new event; ignored once the execution has ended, except that an external event arriving after
    /// a continue-as-new that preserves events is carried over to the next execution.
    /// </summary>
    public void Apply(HistoryEvent newEvent)
    {
        if (Outcome is not null)
        {
            if (Outcome is ExecutionOutcome.ContinuedAsNew { PreserveEvents: true } next && newEvent is EventRaised raised)
            {
                Outcome = next with { CarriedEvents = [.. next.CarriedEvents, (raised.Name, raised.Input)] };
            }

            return;
        }

        _episodeEvents.Add(newEvent);
        Process(newEvent, replaying: false);
    }

    /// <summary>Ends the episode and returns what it decided.</summary>
    public EpisodeResult EndEpisode()
    {
        var actions = _context?.TakeNewActions() ?? [];
        if (Outcome is ExecutionOutcome.Terminated)
        {
            actions = [];
        }

        var events = new List<HistoryEvent>(_episodeEvents);
        events.AddRange(actions.Select(action => action.ToHistoryEvent(_episodeTime)));
        if (!_terminalEventSeen && TerminalEvent() is { } terminal)
        {
            events.Add(terminal);
        }

        return new EpisodeResult(events, actions, Outcome, !_endedBeforeEpisode && Outcome is not null, IsSuspended, _context?.SerializedCustomStatus, _context?.TakeLogEntries() ?? []);
    }

    private HistoryEvent? TerminalEvent() => Outcome switch
    {
        ExecutionOutcome.Completed c => new ExecutionCompleted(c.Output) { Timestamp = _episodeTime },
        ExecutionOutcome.Failed f => new ExecutionFailed(f.Failure) { Timestamp = _episodeTime },
        ExecutionOutcome.ContinuedAsNew n => new ContinuedAsNew(n.Input, n.NextExecutionId) { Timestamp = _episodeTime },
        _ => null, // Terminated: the ExecutionTerminated event itself is already in the episode.
    };

    private void Process(HistoryEvent historyEvent, bool replaying)
    {
        _replaying = replaying;
        if (_context is not null)
        {
            _context.Replaying = replaying;
        }

        try
        {
            Dispatch(historyEvent);
        }
        catch (NonDeterministicOrchestrationException e)
        {
            Outcome = new ExecutionOutcome.Failed(FailureDetails.FromException(e, isNonRetriable: true));
            return;
        }

        CheckCompletion();
    }

    private void Dispatch(HistoryEvent historyEvent)
    {
        switch (historyEvent)
        {
            case OrchestratorStarted:
                if (_context is not null)
                {
                    _context.Now = historyEvent.Timestamp;
                }

                _episodeTime = historyEvent.Timestamp;
                break;
            case ExecutionStarted started:
                Start(started);
                break;
            case TaskScheduled or TimerCreated or EventSent or SubOrchestrationCreated:
                RequireContext(historyEvent).MatchRecordedAction(historyEvent);
                break;
            case TaskCompleted e:
                Resume(c => c.Complete(e.TaskScheduledId, e.Result));
                break;
            case TaskFailed e:
                Resume(c => c.Fail(e.TaskScheduledId, e.Failure));
                break;
            case TimerFired e:
                Resume(c => c.Complete(e.TimerId, null));
                break;
            case SubOrchestrationCompleted e:
                Resume(c => c.Complete(e.TaskScheduledId, e.Result));
                break;
            case SubOrchestrationFailed e:
                Resume(c => c.Fail(e.TaskScheduledId, e.Failure));
                break;
            case EventRaised e:
                Resume(c => c.Raise(e.Name, e.Input));
                break;
            case ExecutionSuspended:
                IsSuspended = true;
                break;
            case ExecutionResumed:
                IsSuspended = false;
                break;
            case ExecutionTerminated e:
                Outcome = new ExecutionOutcome.Terminated(e.Reason);
                _terminalEventSeen = true;
                break;
            case ExecutionCompleted e:
                Outcome = new ExecutionOutcome.Completed(e.Result);
                _terminalEventSeen = true;
                break;
            case ExecutionFailed e:
                Outcome = new ExecutionOutcome.Failed(e.Failure);
                _terminalEventSeen = true;
                break;
            case ContinuedAsNew e:
                Outcome = new ExecutionOutcome.ContinuedAsNew(e.Input, e.NextExecutionId, []);
                _terminalEventSeen = true;
                break;
        }
    }

    private void Start(ExecutionStarted started)
    {
        if (Started is not null)
        {
            return; // A duplicate start message for the same execution.
        }

        Started = started;
        var registration = resolve(started.Name);
        if (registration is null)
        {
            Outcome = new ExecutionOutcome.Failed(new FailureDetails(
                "OrchestratorNotRegistered", $"No orchestrator named '{started.Name}' is registered on this worker.", IsNonRetriable: true));
            return;
        }

        _context = new OrchestrationContextImpl(instanceId, started) { Now = _episodeTime, Replaying = _replaying };
        var context = _context;
        _scheduler.Run(() => _run = RunGuarded(registration, context));
    }

    private static Task<string?> RunGuarded(OrchestratorRegistration registration, OrchestrationContextImpl context)
    {
        try
        {
            return registration.Run(context);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return Task.FromException<string?>(e);
        }
    }

    private void Resume(Action<OrchestrationContextImpl> deliver)
    {
        if (_context is { } context)
        {
            _scheduler.Run(() => deliver(context));
        }
    }

    private OrchestrationContextImpl RequireContext(HistoryEvent historyEvent)
        => _context ?? throw new NonDeterministicOrchestrationException(
            $"History has {historyEvent.Kind} (id {historyEvent.EventId}) before the execution started.");

    private void CheckCompletion()
    {
        if (Outcome is not null || _run is not { IsCompleted: true } run || _context is null)
        {
            return;
        }

        if (run.IsCompletedSuccessfully)
        {
            Outcome = _context.ContinueAsNewRequest is { } next
                ? new ExecutionOutcome.ContinuedAsNew(
                    next.Input,
                    _context.NewGuid().ToString("N"),
                    next.PreserveEvents ? _context.UnprocessedEvents() : [],
                    next.PreserveEvents)
                : new ExecutionOutcome.Completed(run.Result);
            return;
        }

        var error = run.Exception?.InnerException ?? (Exception)new TaskCanceledException("The orchestrator was cancelled.");
        Outcome = new ExecutionOutcome.Failed(FailureDetails.FromException(error, error is NonDeterministicOrchestrationException));
    }
}
