namespace AgentOrchestrator.Agents.Activities;

/// <summary>What a turn has spent on the model so far.</summary>
/// <param name="InputTokens">Input tokens.</param>
/// <param name="OutputTokens">Output tokens.</param>
/// <param name="Cost">Cost.</param>
public sealed record TurnUsage(long InputTokens, long OutputTokens, decimal Cost);
