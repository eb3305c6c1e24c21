namespace AgentOrchestrator.Tools;

/// <summary>Deployment settings of one service named by manifests.</summary>
public sealed class ToolServiceOptions
{
    /// <summary>Base URL used instead of the manifest's <c>http.baseUrl</c>, e.g. the address the service
    /// has in this environment. It must still be on the allow-list. Default: <see langword="null"/>
    /// (use the manifest's).</summary>
    public Uri? BaseUrl { get; set; }
}
