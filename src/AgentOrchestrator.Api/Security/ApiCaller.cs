namespace AgentOrchestrator.Api.Security;

/// <summary>Who is calling: the key's id and role.</summary>
/// <param name="KeyId">The configured key id; sessions a client starts are owned by it.</param>
/// <param name="Role">The key's role.</param>
public sealed record ApiCaller(string KeyId, ApiRole Role);
