namespace AgentOrchestrator.Durable.Orchestration;

/// <summary>A registered orchestrator: its name and the code that runs it with serialized input and output.</summary>
/// <param name="Name">The orchestrator name.</param>
/// <param name="Run">Runs the orchestrator; returns its serialized output.</param>
public sealed record OrchestratorRegistration(string Name, Func<TaskOrchestrationContext, Task<string?>> Run);
