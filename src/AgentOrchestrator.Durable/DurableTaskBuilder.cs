using AgentOrchestrator.Durable.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace AgentOrchestrator.Durable;

/// <summary>Configures the durable engine after <see cref="DurableTaskServiceCollectionExtensions.AddDurableTask"/>.</summary>
/// <param name="services">The service collection being configured.</param>
public sealed class DurableTaskBuilder(IServiceCollection services)
{
    /// <summary>The service collection being configured.</summary>
    public IServiceCollection Services { get; } = services;

    /// <summary>Uses the given store.</summary>
    public DurableTaskBuilder UseStore(Func<IServiceProvider, IDurableStore> factory)
    {
        Services.AddSingleton(factory);
        return this;
    }

    /// <summary>Uses a process-local in-memory store: for tests and demos; nothing survives a restart.</summary>
    public DurableTaskBuilder UseInMemoryStore() => UseStore(_ => new InMemoryDurableStore());
}
