namespace AgentOrchestrator.Durable;

/// <summary>Replayed orchestrator code made a different decision than its history records.</summary>
public sealed class NonDeterministicOrchestrationException(string message) : Exception(message);
