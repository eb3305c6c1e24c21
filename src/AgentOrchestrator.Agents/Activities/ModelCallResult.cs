namespace AgentOrchestrator.Agents.Activities;

/// <summary>What the model answered, with each requested call already checked against the pinned catalog.</summary>
/// <param name="Text">The answer's text (may be empty when it only calls tools).</param>
/// <param name="Calls">The tool calls, in the model's order.</param>
/// <param name="InputTokens">Input tokens of the call.</param>
/// <param name="OutputTokens">Output tokens of the call.</param>
/// <param name="Cost">Cost of the call.</param>
/// <param name="Deployment">The deployment or model that answered.</param>
/// <param name="Attempts">Requests the gateway sent for this call, over all deployments, the answering one included.</param>
public sealed record ModelCallResult(string Text, IReadOnlyList<PlannedCall> Calls, long InputTokens, long OutputTokens, decimal Cost, string? Deployment, int Attempts = 1);
