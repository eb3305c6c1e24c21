using AgentOrchestrator.Agents.Sessions;

namespace AgentOrchestrator.Agents.Activities;

/// <summary>The system prompt used when no prompt template store is registered.</summary>
internal sealed class BuiltInSystemPromptProvider : ISystemPromptProvider
{
    private const string Prompt = """
        You are an operations assistant that acts on the company's CRM and billing systems through tools.
        Use the tools to do what the user asks; never invent ids or results. When a tool fails, read the
        error: if it lists steps that were rolled back, tell the user plainly what failed and what was undone.
        When a call needs approval and is denied, do not retry it; explain and offer alternatives.
        """;

    public Task<string> GetAsync(SessionSettings settings, CancellationToken cancellationToken) => Task.FromResult(Prompt);
}
