using AgentOrchestrator.Durable.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AgentOrchestrator.Durable;

/// <summary>Registers the durable engine in a service collection.</summary>
public static class DurableTaskServiceCollectionExtensions
{
    /// <summary>
    /// Adds the client, the registry and the hosted worker. Choose a store on the returned builder
    /// (for example <c>UseInMemoryStore()</c> or the SQLite store's <c>UseSqliteStore(path)</c>).
    /// </summary>
    public static DurableTaskBuilder AddDurableTask(
        this IServiceCollection services, Action<DurableTaskRegistry> registerTasks, Action<DurableWorkerOptions>? configureWorker = null)
    {
        ArgumentNullException.ThrowIfNull(registerTasks);
        var registry = new DurableTaskRegistry();
        registerTasks(registry);
        services.AddSingleton(registry);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DurableWorkNotifier>();
        services.AddOptions<DurableWorkerOptions>().Configure(o => configureWorker?.Invoke(o)).Validate(o =>
        {
            o.Validate();
            return true;
        });
        services.TryAddSingleton<DurableTaskClient>();
        services.AddHostedService<DurableWorker>();
        return new DurableTaskBuilder(services);
    }
}
