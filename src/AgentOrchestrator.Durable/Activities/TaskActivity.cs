namespace AgentOrchestrator.Durable;

/// <summary>A class-based activity, created from the service provider for each call.</summary>
/// <typeparam name="TInput">The input type.</typeparam>
/// <typeparam name="TOutput">The output type.</typeparam>
public abstract class TaskActivity<TInput, TOutput>
{
    /// <summary>Does the work. Activities run at least once, so side effects must be idempotent.</summary>
    public abstract Task<TOutput> RunAsync(TaskActivityContext context, TInput? input, CancellationToken cancellationToken);
}
