namespace AgentOrchestrator.Tools;

/// <summary>How an HTTP tool authenticates. <see cref="SecretName"/> names a configuration key; the secret
/// itself is read from configuration at call time and never stored in a manifest.</summary>
/// <param name="Scheme">Where the secret goes.</param>
/// <param name="HeaderName">Header carrying the secret for <see cref="ToolAuthScheme.Header"/>.</param>
/// <param name="SecretName">Configuration key holding the secret, e.g. <c>CRM_API_KEY</c>.</param>
public sealed record ToolAuth(ToolAuthScheme Scheme, string? HeaderName, string SecretName);
