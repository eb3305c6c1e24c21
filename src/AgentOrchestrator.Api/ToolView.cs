using System.Text.Json;
using AgentOrchestrator.Tools;

namespace AgentOrchestrator.Api;

/// <summary>A tool as the integrator API lists it.</summary>
/// <param name="Name">The tool's name, as the model sees it.</param>
/// <param name="Version">The version in force.</param>
/// <param name="Title">A short title, if the manifest gives one.</param>
/// <param name="Description">What the tool does.</param>
/// <param name="Service">The service the manifest belongs to.</param>
/// <param name="Manifest">The manifest (source) that declares it.</param>
/// <param name="Binding"><c>http</c> or <c>handler</c>.</param>
/// <param name="ReadOnly">Whether it changes nothing.</param>
/// <param name="Destructive">Whether it may destroy data.</param>
/// <param name="SagaRole">Its saga role (<c>compensatable</c>, <c>pivot</c>, <c>retriable</c>), if any.</param>
/// <param name="CompensationTool">The tool that undoes it, if it is compensatable.</param>
/// <param name="Approval">When a person must approve a call.</param>
/// <param name="Timeout">How long one attempt may take.</param>
/// <param name="MaxAttempts">How many attempts a call gets.</param>
/// <param name="Parameters">The JSON Schema of its arguments.</param>
public sealed record ToolView(
    string Name,
    string Version,
    string? Title,
    string Description,
    string Service,
    string Manifest,
    string Binding,
    bool ReadOnly,
    bool Destructive,
    string? SagaRole,
    string? CompensationTool,
    string Approval,
    TimeSpan Timeout,
    int MaxAttempts,
    JsonElement Parameters)
{
    /// <summary>Builds the view of a tool definition.</summary>
    public static ToolView From(ToolDefinition tool)
    {
        ArgumentNullException.ThrowIfNull(tool);
        return new ToolView(
            tool.Name,
            tool.Version,
            tool.Title,
            tool.Description,
            tool.Service,
            tool.Source,
            tool.Binding is HttpToolBinding ? "http" : "handler",
            tool.Effects.ReadOnly,
            tool.Effects.Destructive,
            tool.Saga?.Role.ToString().ToLowerInvariant(),
            tool.Saga?.Compensation?.ToolName,
            tool.Approval.ToString(),
            tool.Timeout,
            tool.Retry.MaxAttempts,
            tool.Parameters);
    }
}
