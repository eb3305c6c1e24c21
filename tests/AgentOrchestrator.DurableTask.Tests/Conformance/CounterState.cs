namespace AgentOrchestrator.DurableTask.Tests.Conformance;

/// <summary>The state a continue-as-new counter carries from one execution to the next.</summary>
public sealed record CounterState(int Expected, int Seen = 0, int Total = 0);
