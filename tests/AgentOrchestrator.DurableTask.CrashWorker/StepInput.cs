namespace AgentOrchestrator.DurableTask.CrashWorker;

/// <summary>One step's input.</summary>
/// <param name="Step">The step's index in its chain (0-based), which the ledger records.</param>
/// <param name="Value">The value the previous step returned.</param>
/// <param name="DelayMs">How long the step takes.</param>
public sealed record StepInput(int Step, int Value, int DelayMs);
