using AgentOrchestrator.Durable.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AgentOrchestrator.Durable;

/// <summary>Configures the durable engine after <see cref="DurableTaskServiceCollectionExtensions.AddDurableTask"/>.</summary>
/// <param name="services">The service collection being configured.</param>
public sealed class DurableTaskBuilder(IServiceCollection services)
{
    /// <summary>The service collection being configured.</summary>
    public IServiceCollection Services { get; } = services;

    /// <summary>
    /// Uses the given store. When it also keeps instance event logs, <see cref="IInstanceEventLog"/> resolves
    /// to it, with an <see cref="InstanceLogNotifier"/> for in-process readers.
    /// </summary>
    public DurableTaskBuilder UseStore(Func<IServiceProvider, IDurableStore> factory)
    {
        Services.AddSingleton(factory);
        Services.TryAddSingleton<InstanceLogNotifier>();
        Services.TryAddSingleton(sp => sp.GetRequiredService<IDurableStore>() as IInstanceEventLog
            ?? throw new InvalidOperationException($"The store {sp.GetRequiredService<IDurableStore>().GetType().Name} keeps no instance event logs."));
        return this;
    }

    /// <summary>Uses a process-local in-memory store: for tests and demos; nothing survives a restart.</summary>
    public DurableTaskBuilder UseInMemoryStore() => UseStore(_ => new InMemoryDurableStore());
}
