using AgentOrchestrator.Durable.Activities;
using AgentOrchestrator.Durable.Orchestration;
using Microsoft.Extensions.DependencyInjection;

namespace AgentOrchestrator.Durable;

/// <summary>The orchestrators and activities a worker can run, by name.</summary>
public sealed class DurableTaskRegistry
{
    private readonly Dictionary<string, OrchestratorRegistration> _orchestrators = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ActivityRegistration> _activities = new(StringComparer.Ordinal);

    /// <summary>Registers a function-based orchestrator.</summary>
    public DurableTaskRegistry AddOrchestrator<TInput, TOutput>(string name, Func<TaskOrchestrationContext, TInput?, Task<TOutput>> orchestrator)
    {
        ArgumentNullException.ThrowIfNull(orchestrator);
        return AddOrchestrator(new OrchestratorRegistration(name, async context =>
            DataConverter.Serialize(await orchestrator(context, context.GetInput<TInput>()))));
    }

    /// <summary>Registers a class-based orchestrator, created anew for each execution. Orchestrators take no services:
    /// everything with side effects belongs in activities.</summary>
    public DurableTaskRegistry AddOrchestrator<TOrchestrator, TInput, TOutput>(string name)
        where TOrchestrator : TaskOrchestrator<TInput, TOutput>, new()
        => AddOrchestrator<TInput, TOutput>(name, (context, input) => new TOrchestrator().RunAsync(context, input));

    /// <summary>Registers a function-based activity.</summary>
    public DurableTaskRegistry AddActivity<TInput, TOutput>(string name, Func<TaskActivityContext, TInput?, Task<TOutput>> activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        return AddActivity(new ActivityRegistration(name, async (_, context, input, _) =>
            DataConverter.Serialize(await activity(context, DataConverter.Deserialize<TInput>(input)))));
    }

    /// <summary>Registers a class-based activity, created in a new service scope for each call.</summary>
    public DurableTaskRegistry AddActivity<TActivity, TInput, TOutput>(string name)
        where TActivity : TaskActivity<TInput, TOutput>
        => AddActivity(new ActivityRegistration(name, async (services, context, input, cancellationToken) =>
        {
            await using var scope = services.CreateAsyncScope();
            var activity = ActivatorUtilities.CreateInstance<TActivity>(scope.ServiceProvider);
            return DataConverter.Serialize(await activity.RunAsync(context, DataConverter.Deserialize<TInput>(input), cancellationToken));
        }));

    /// <summary>Registers an orchestrator that works on serialized input and output.</summary>
    public DurableTaskRegistry AddOrchestrator(OrchestratorRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(registration);
        ArgumentException.ThrowIfNullOrWhiteSpace(registration.Name);
        if (!_orchestrators.TryAdd(registration.Name, registration))
        {
            throw new ArgumentException($"An orchestrator named '{registration.Name}' is already registered.", nameof(registration));
        }

        return this;
    }

    /// <summary>Registers an activity that works on serialized input and output.</summary>
    public DurableTaskRegistry AddActivity(ActivityRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(registration);
        ArgumentException.ThrowIfNullOrWhiteSpace(registration.Name);
        if (!_activities.TryAdd(registration.Name, registration))
        {
            throw new ArgumentException($"An activity named '{registration.Name}' is already registered.", nameof(registration));
        }

        return this;
    }

    /// <summary>Finds an orchestrator by name.</summary>
    public OrchestratorRegistration? FindOrchestrator(string name) => _orchestrators.GetValueOrDefault(name);

    /// <summary>Finds an activity by name.</summary>
    public ActivityRegistration? FindActivity(string name) => _activities.GetValueOrDefault(name);
}
