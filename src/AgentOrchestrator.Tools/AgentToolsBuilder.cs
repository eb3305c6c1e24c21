using System.Text.Json;
using AgentOrchestrator.Tools.Invocation;
using Microsoft.Extensions.DependencyInjection;

namespace AgentOrchestrator.Tools;

/// <summary>Returned by <c>AddAgentTools</c> to register in-process tool handlers.</summary>
/// <param name="services">The service collection.</param>
public sealed class AgentToolsBuilder(IServiceCollection services)
{
    /// <summary>The service collection.</summary>
    public IServiceCollection Services { get; } = services;

    /// <summary>Registers handler type <typeparamref name="THandler"/> as a singleton.</summary>
    /// <typeparam name="THandler">The handler.</typeparam>
    public AgentToolsBuilder AddHandler<THandler>()
        where THandler : class, IToolHandler
    {
        Services.AddSingleton<IToolHandler, THandler>();
        return this;
    }

    /// <summary>Registers a handler made from a delegate.</summary>
    /// <param name="name">The name manifests bind to.</param>
    /// <param name="isReadOnly">Whether the handler changes nothing.</param>
    /// <param name="invoke">The implementation.</param>
    public AgentToolsBuilder AddHandler(string name, bool isReadOnly, Func<ToolHandlerContext, CancellationToken, Task<JsonElement>> invoke)
    {
        Services.AddSingleton<IToolHandler>(new DelegateToolHandler(name, isReadOnly, invoke));
        return this;
    }
}
