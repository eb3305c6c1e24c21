using AgentOrchestrator.Agents.Activities;
using AgentOrchestrator.Agents.EventLog;
using AgentOrchestrator.Agents.Model;
using AgentOrchestrator.Agents.Sessions;
using Microsoft.DurableTask;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AgentOrchestrator.Agents;

/// <summary>Registers agent sessions: their client, activities' services and options.</summary>
public static class AgentSessionsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="AgentSessionClient"/>, the services the session activities use, and
    /// <see cref="AgentSessionOptions"/> bound from <c>Agents:Session</c>. Also register the tasks with a Durable Task
    /// worker (<see cref="AddAgentSessionTasks"/>), a <see cref="ISessionEventLog"/> (an in-memory one is the fallback),
    /// the tools with <c>AddAgentTools</c>, and an <c>IChatClient</c> (the model gateway).
    /// </summary>
    public static IServiceCollection AddAgentSessions(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<AgentSessionOptions>().Bind(configuration.GetSection(AgentSessionOptions.SectionName))
            .Validate(o =>
            {
                o.Validate();
                return true;
            })
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SessionEventNotifier>();
        services.TryAddSingleton<ISessionEventLog, InMemorySessionEventLog>();
        services.TryAddSingleton<SessionEventWriter>();
        services.TryAddSingleton<TranscriptCache>();
        // The gateway registers the template store with its configured folder; without the gateway, the shipped one.
        services.TryAddSingleton(_ => new PromptTemplateStore(Path.Combine(AppContext.BaseDirectory, "prompts")));
        services.TryAddSingleton<ISystemPromptProvider, TemplateSystemPromptProvider>();
        services.TryAddSingleton<AgentSessionClient>();
        return services;
    }

    /// <summary>Registers the session orchestrator and its activities with a Durable Task worker.</summary>
    public static DurableTaskRegistry AddAgentSessionTasks(this DurableTaskRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry
            .AddOrchestrator<AgentSessionOrchestrator>(AgentSessionOrchestrator.Name)
            .AddActivity<StartSessionActivity>(SessionActivityNames.StartSession)
            .AddActivity<CallModelActivity>(SessionActivityNames.CallModel)
            .AddActivity<InvokeToolActivity>(SessionActivityNames.InvokeTool)
            .AddActivity<RecordEventsActivity>(SessionActivityNames.RecordEvents);
    }
}
