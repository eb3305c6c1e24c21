namespace AgentOrchestrator.Durable.History;

/// <summary>The instance was forcibly terminated; its code ran no further.</summary>
/// <param name="Reason">Why, as given by the caller.</param>
public sealed record ExecutionTerminated(string? Reason) : HistoryEvent;
