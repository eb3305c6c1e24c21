using Microsoft.DurableTask.Client;

namespace AgentOrchestrator.Functions;

/// <summary>
/// The Durable Task client of the running invocation, from its <c>[DurableClient]</c> binding: the Functions host hands
/// one to each invocation rather than one to the process, so the services built on it are per invocation.
/// </summary>
public sealed class InvocationDurableClient
{
    private DurableTaskClient? _client;

    /// <summary>The client; set by <see cref="ApiHttpTriggerRunner"/> before the endpoint runs.</summary>
    /// <exception cref="InvalidOperationException">The invocation's function has no <c>[DurableClient]</c> binding.</exception>
    public DurableTaskClient Client
    {
        get => _client ?? throw new InvalidOperationException(
            "This HTTP function reads sessions but was given no Durable Task client: declare a [DurableClient] DurableTaskClient parameter and pass it on.");
        set => _client = value;
    }
}
