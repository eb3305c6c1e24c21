using AgentOrchestrator.Agents.Model;
using AgentOrchestrator.Agents.Sessions;

namespace AgentOrchestrator.Agents.Activities;

/// <summary>
/// The system prompt from the versioned template files (<c>prompts/{name}.v{n}.md</c>) the session was pinned to
/// when it started, filled with the session id and the names of the tools it may call.
/// </summary>
internal sealed class TemplateSystemPromptProvider(PromptTemplateStore templates) : ISystemPromptProvider
{
    /// <summary>The name the prompt gives the assistant.</summary>
    public const string AssistantName = "the AgentOrchestrator assistant";

    /// <summary>The template id a prompt name and version name, e.g. <c>session-system.v1</c>.</summary>
    public static string TemplateId(string name, string version) => $"{name}.{version}";

    public Task<string> GetAsync(string sessionId, SessionSettings settings, CancellationToken cancellationToken)
    {
        var template = templates.GetById(TemplateId(settings.PromptName, settings.PromptVersion));
        return Task.FromResult(template.Render(new Dictionary<string, string>
        {
            ["assistant_name"] = AssistantName,
            ["session_id"] = sessionId,
            ["tool_names"] = string.Join(", ", settings.ToolVersions.Keys.Order(StringComparer.Ordinal)),
        }));
    }
}
