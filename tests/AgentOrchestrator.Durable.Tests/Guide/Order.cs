namespace AgentOrchestrator.Durable.Tests.Guide;

/// <summary>The order of the docs/ENGINE.md example.</summary>
public sealed record Order(string Id, decimal Amount);
