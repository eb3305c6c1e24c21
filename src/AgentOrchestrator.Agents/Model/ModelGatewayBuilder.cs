using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AgentOrchestrator.Agents.Model;

/// <summary>Further settings of the model gateway registered by
/// <see cref="ModelGatewayServiceCollectionExtensions.AddModelGateway"/>.</summary>
public sealed class ModelGatewayBuilder
{
    internal ModelGatewayBuilder(IServiceCollection services)
    {
        Services = services;
    }

    /// <summary>The service collection the gateway is registered in.</summary>
    public IServiceCollection Services { get; }

    internal IReadOnlyList<ScriptedStep>? Script { get; private set; }

    internal Func<IServiceProvider, string, IChatClient>? InnerClientFactory { get; private set; }

    /// <summary>Makes the scripted model play <paramref name="script"/> instead of the demo (when the provider is scripted).</summary>
    /// <param name="script">The answers, in order.</param>
    public ModelGatewayBuilder UseScript(IReadOnlyList<ScriptedStep> script)
    {
        ArgumentNullException.ThrowIfNull(script);
        Script = script;
        return this;
    }

    /// <summary>Replaces the client made per deployment (normally Azure OpenAI or OpenAI) with one of your own; retries,
    /// fallback, usage, trimming and masking still wrap it. For tests and for other model SDKs.</summary>
    /// <param name="factory">Makes the client for one deployment name.</param>
    public ModelGatewayBuilder UseInnerClient(Func<IServiceProvider, string, IChatClient> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        InnerClientFactory = factory;
        return this;
    }
}
