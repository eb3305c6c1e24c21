namespace AgentOrchestrator.Durable.History;

/// <summary>The execution ended by restarting itself with a new input and an empty history.</summary>
/// <param name="Input">The serialized input of the next execution.</param>
/// <param name="NextExecutionId">The execution id of the next execution.</param>
public sealed record ContinuedAsNew(string? Input, string NextExecutionId) : HistoryEvent;
