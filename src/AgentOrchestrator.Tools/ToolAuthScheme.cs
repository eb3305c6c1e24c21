namespace AgentOrchestrator.Tools;

/// <summary>Where an HTTP tool's secret is sent.</summary>
public enum ToolAuthScheme
{
    /// <summary><c>Authorization: Bearer &lt;secret&gt;</c>.</summary>
    Bearer,

    /// <summary>A named header carries the secret as is, e.g. <c>X-Api-Key</c>.</summary>
    Header,
}
