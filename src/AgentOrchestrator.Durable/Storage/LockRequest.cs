namespace AgentOrchestrator.Durable.Storage;

/// <summary>What a worker asks for when it polls for work.</summary>
/// <param name="WorkerId">Names the lock owner.</param>
/// <param name="Now">The current time; messages due later are not delivered, expired locks may be taken.</param>
/// <param name="LockDuration">How long the lock lasts unless completed, abandoned or renewed.</param>
/// <param name="MaxMessages">The most inbox messages one orchestration work item carries.</param>
public sealed record LockRequest(string WorkerId, DateTimeOffset Now, TimeSpan LockDuration, int MaxMessages = 100);
