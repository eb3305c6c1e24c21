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
    /// Uses the given store. <see cref="IInstanceEventLog"/> resolves to it too, with an <see cref="InstanceLogNotifier"/>
    /// for in-process readers.
    /// </summary>
    public DurableTaskBuilder UseStore(Func<IServiceProvider, IDurableStore> factory)
    {
        Services.AddSingleton(factory);
        Services.TryAddSingleton<InstanceLogNotifier>();
        Services.TryAddSingleton<IInstanceEventLog>(sp => sp.GetRequiredService<IDurableStore>());
        return this;
    }

    /// <summary>Uses a process-local in-memory store: for tests and demos; nothing survives a restart.</summary>
    public DurableTaskBuilder UseInMemoryStore() => UseStore(_ => new InMemoryDurableStore());
}
