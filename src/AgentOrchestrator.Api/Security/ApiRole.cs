namespace AgentOrchestrator.Api.Security;

/// <summary>What an API key may do.</summary>
public enum ApiRole
{
    /// <summary>A chat frontend: its own sessions only.</summary>
    Client,

    /// <summary>Support staff: every session, the admin API.</summary>
    Admin,

    /// <summary>An integrator: tools and manifests.</summary>
    Integrator,
}
