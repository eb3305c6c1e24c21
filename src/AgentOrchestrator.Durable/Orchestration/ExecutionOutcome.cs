using AgentOrchestrator.Durable.History;

namespace AgentOrchestrator.Durable.Orchestration;

/// <summary>How an execution ended in an episode.</summary>
internal abstract record ExecutionOutcome
{
    internal sealed record Completed(string? Output) : ExecutionOutcome;

    internal sealed record Failed(FailureDetails Failure) : ExecutionOutcome;

    internal sealed record Terminated(string? Reason) : ExecutionOutcome;

    /// <summary>The execution restarts itself.</summary>
    /// <param name="Input">The next execution's input.</param>
    /// <param name="NextExecutionId">The next execution's id.</param>
    /// <param name="CarriedEvents">External events handed to the next execution.</param>
    /// <param name="PreserveEvents">True when external events that arrive later in the same episode are carried over too.</param>
    internal sealed record ContinuedAsNew(
        string? Input, string NextExecutionId, IReadOnlyList<(string Name, string? Input)> CarriedEvents, bool PreserveEvents = false) : ExecutionOutcome;
}
