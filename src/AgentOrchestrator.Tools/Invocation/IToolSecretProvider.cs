namespace AgentOrchestrator.Tools.Invocation;

/// <summary>Resolves the secrets manifests name by reference.</summary>
public interface IToolSecretProvider
{
    /// <summary>Returns the secret called <paramref name="name"/>, or <see langword="null"/> when there is none.</summary>
    /// <param name="name">The configuration key a manifest names, e.g. <c>CRM_API_KEY</c>.</param>
    string? GetSecret(string name);
}
