namespace AgentOrchestrator.DurableTask.CrashWorker;

/// <summary>The crash chain's input: how many <c>Step</c> activities run one after the other, and how long each takes.</summary>
/// <param name="Steps">The chain's length.</param>
/// <param name="DelayMs">How long each step waits between recording <c>started</c> and <c>finished</c>.</param>
public sealed record ChainInput(int Steps, int DelayMs);
