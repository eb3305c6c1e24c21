namespace AgentOrchestrator.Tools;

/// <summary>A tool's saga declaration.</summary>
/// <param name="Role">The tool's role in the saga.</param>
/// <param name="Compensation">How to undo the tool; set exactly when <paramref name="Role"/> is
/// <see cref="SagaRole.Compensatable"/>.</param>
/// <param name="OnCompensationFailure">What happens when the compensation fails for good.</param>
public sealed record ToolSagaPolicy(SagaRole Role, CompensationTemplate? Compensation, CompensationFailurePolicy OnCompensationFailure);
