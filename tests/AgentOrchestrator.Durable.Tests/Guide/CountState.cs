namespace AgentOrchestrator.Durable.Tests.Guide;

/// <summary>The continue-as-new state of the docs/ENGINE.md example.</summary>
public sealed record CountState(int Count, int Target);
