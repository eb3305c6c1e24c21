namespace AgentOrchestrator.Agents.Model;

/// <summary>One answer of the scripted model: text, or one or more tool calls (optionally with text).</summary>
public sealed record ScriptedStep
{
    /// <summary>The assistant text, or null.</summary>
    public string? Text { get; init; }

    /// <summary>The tool calls, in order; empty for a text answer.</summary>
    public IReadOnlyList<ScriptedToolCall> ToolCalls { get; init; } = [];

    /// <summary>A text answer.</summary>
    /// <param name="text">The text.</param>
    public static ScriptedStep Say(string text) => new() { Text = text };

    /// <summary>An answer that calls one tool.</summary>
    /// <param name="name">The tool name.</param>
    /// <param name="argumentsJson">The arguments as a JSON object.</param>
    public static ScriptedStep Call(string name, string argumentsJson) => new() { ToolCalls = [new ScriptedToolCall(name, argumentsJson)] };

    /// <summary>An answer that calls several tools at once.</summary>
    /// <param name="calls">The calls, in order.</param>
    public static ScriptedStep CallAll(params ScriptedToolCall[] calls) => new() { ToolCalls = calls };
}
