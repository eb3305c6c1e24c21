using AgentOrchestrator.DurableTask.Configuration;
using AgentOrchestrator.DurableTask.Shims;
using AgentOrchestrator.DurableTask.Worker;
using DurableTask.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace AgentOrchestrator.DurableTask;

/// <summary>Registers the self-hosted Durable Task runtime: SDK tasks on DTFx in process, and the client beside them.</summary>
public static class DurableTaskHostServiceCollectionExtensions
{
    /// <summary>
    /// Registers the orchestration service that <c>extensions:durableTask</c> (<see cref="DurableTaskHostOptions"/>) names,
    /// a Durable Task SDK worker that runs <paramref name="tasks"/> on it, and a <see cref="DurableTaskClient"/>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration holding <c>extensions:durableTask</c> and the connection strings.</param>
    /// <param name="tasks">Registers the orchestrators and activities.</param>
    /// <param name="configure">Adjusts the settings after binding, e.g. to resolve a relative database file.</param>
    /// <returns>The worker builder, for more tasks or worker options.</returns>
    public static IDurableTaskWorkerBuilder AddDurableTaskHost(
        this IServiceCollection services, IConfiguration configuration, Action<DurableTaskRegistry> tasks, Action<DurableTaskHostOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new DurableTaskHostOptions();
        configuration.GetSection(DurableTaskHostOptions.SectionName).Bind(options);
        configure?.Invoke(options);
        options.Validate();
        services.TryAddSingleton(options);
        return services.AddDurableTaskHost(
            sp => OrchestrationServiceFactory.Create(options, configuration, sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<TimeProvider>()),
            tasks);
    }

    /// <summary>Registers the given orchestration service, a worker that runs <paramref name="tasks"/> on it, and a client.</summary>
    /// <param name="services">The services.</param>
    /// <param name="provider">Creates the orchestration service (it must also be an <see cref="IOrchestrationServiceClient"/>).</param>
    /// <param name="tasks">Registers the orchestrators and activities.</param>
    /// <returns>The worker builder, for more tasks or worker options.</returns>
    public static IDurableTaskWorkerBuilder AddDurableTaskHost(
        this IServiceCollection services, Func<IServiceProvider, IOrchestrationService> provider, Action<DurableTaskRegistry> tasks)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        services.AddDurableTaskClientFor(provider);
        return services.AddDurableTaskWorker().AddTasks(tasks).UseOrchestrationService();
    }

    /// <summary>
    /// Registers only a <see cref="DurableTaskClient"/> over the given orchestration service, for a process that starts,
    /// signals and reads instances while other processes run them (no worker here).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="provider">Creates the orchestration service (it must also be an <see cref="IOrchestrationServiceClient"/>).</param>
    public static IServiceCollection AddDurableTaskClientFor(this IServiceCollection services, Func<IServiceProvider, IOrchestrationService> provider)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(provider);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<CheckpointNotifier>();
        services.TryAddSingleton(sp => new TaskHubStorage(provider(sp), sp.GetRequiredService<CheckpointNotifier>()));
        services.AddDurableTaskClient(b => b.UseOrchestrationService());
        return services;
    }

    /// <summary>Runs this worker's tasks on DTFx in process, over the registered <see cref="TaskHubStorage"/>.</summary>
    public static IDurableTaskWorkerBuilder UseOrchestrationService(this IDurableTaskWorkerBuilder builder)
        => builder.UseBuildTarget<TaskHubDurableTaskWorker>();

    /// <summary>Makes this client talk to the registered <see cref="TaskHubStorage"/> in process.</summary>
    public static IDurableTaskClientBuilder UseOrchestrationService(this IDurableTaskClientBuilder builder)
        => builder.UseBuildTarget<ShimDurableTaskClient>();
}
