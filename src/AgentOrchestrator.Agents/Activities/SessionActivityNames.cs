namespace AgentOrchestrator.Agents.Activities;

/// <summary>The registered names of the session's activities.</summary>
public static class SessionActivityNames
{
    /// <summary>Pins the session's settings and tool versions.</summary>
    public const string StartSession = "Agents.StartSession";

    /// <summary>Calls the model.</summary>
    public const string CallModel = "Agents.CallModel";

    /// <summary>Runs one attempt of a tool call or compensation.</summary>
    public const string InvokeTool = "Agents.InvokeTool";

    /// <summary>Writes events the orchestration decided when no other activity is about to carry them.</summary>
    public const string RecordEvents = "Agents.RecordEvents";
}
