namespace AgentOrchestrator.Durable;

/// <summary>A class-based orchestrator, created from the service provider for each execution.</summary>
/// <typeparam name="TInput">The input type.</typeparam>
/// <typeparam name="TOutput">The output type.</typeparam>
public abstract class TaskOrchestrator<TInput, TOutput>
{
    /// <summary>The orchestration logic. It is replayed, so it must be deterministic.</summary>
    public abstract Task<TOutput> RunAsync(TaskOrchestrationContext context, TInput? input);
}
