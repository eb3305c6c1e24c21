using Microsoft.Extensions.AI;

namespace AgentOrchestrator.Agents.Model;

/// <summary>One deployment of the fallback list and the client that calls it.</summary>
/// <param name="Name">The deployment (or model) name.</param>
/// <param name="Client">The client for that deployment alone, with the SDK's own retries off.</param>
public sealed record ModelDeployment(string Name, IChatClient Client);
