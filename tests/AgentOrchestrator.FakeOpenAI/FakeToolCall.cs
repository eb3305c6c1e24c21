namespace AgentOrchestrator.FakeOpenAI;

/// <summary>A function call the fake server puts into an assistant response, or one it found in a request.</summary>
/// <param name="Id">The call id, e.g. <c>call_1</c>; the client echoes it back with the tool result.</param>
/// <param name="Name">The function name.</param>
/// <param name="ArgumentsJson">The arguments as the JSON text the model would produce.</param>
public sealed record FakeToolCall(string Id, string Name, string ArgumentsJson);
