namespace AgentOrchestrator.Durable.CrashWorker;

/// <summary>The crash chain's input: how many steps, and how long each activity takes.</summary>
public sealed record ChainInput(int Steps, int DelayMs);

/// <summary>One step's input.</summary>
public sealed record StepInput(int Step, int Value, int DelayMs);
