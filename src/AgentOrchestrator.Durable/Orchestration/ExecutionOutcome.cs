using AgentOrchestrator.Durable.History;

namespace AgentOrchestrator.Durable.Orchestration;

/// <summary>How an execution ended in an episode.</summary>
internal abstract record ExecutionOutcome
{
    internal sealed record Completed(string? Output) : ExecutionOutcome;

    internal sealed record Failed(FailureDetails Failure) : ExecutionOutcome;

    internal sealed record Terminated(string? Reason) : ExecutionOutcome;

    internal sealed record ContinuedAsNew(string? Input, string NextExecutionId, IReadOnlyList<(string Name, string? Input)> CarriedEvents) : ExecutionOutcome;
}
