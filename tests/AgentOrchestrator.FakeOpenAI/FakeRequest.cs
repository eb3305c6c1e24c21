using System.Text.Json;

namespace AgentOrchestrator.FakeOpenAI;

/// <summary>A chat-completions request the fake server received.</summary>
/// <param name="Deployment">The Azure deployment in the path, or the body's model.</param>
/// <param name="Stream">Whether the client asked for a stream.</param>
/// <param name="Body">The request body.</param>
public sealed record FakeRequest(string Deployment, bool Stream, JsonElement Body)
{
    /// <summary>The number of tool-result messages in the conversation.</summary>
    public int ToolResults => Body.GetProperty("messages").EnumerateArray().Count(m => m.GetProperty("role").GetString() == "tool");
}
