namespace AgentOrchestrator.Durable.Activities;

/// <summary>A registered activity: its name and the code that runs it with serialized input and output.</summary>
/// <param name="Name">The activity name.</param>
/// <param name="Run">Runs the activity; returns its serialized output.</param>
public sealed record ActivityRegistration(string Name, Func<IServiceProvider, TaskActivityContext, string?, CancellationToken, Task<string?>> Run);
