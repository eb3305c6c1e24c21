using System.Text.Json;

namespace AgentOrchestrator.Tools.Sagas;

/// <summary>The call that undoes a completed step. Record it in the session history before the next step
/// starts, so a restart compensates with exactly these arguments.</summary>
/// <param name="ToolName">The compensating tool.</param>
/// <param name="ToolVersion">Its version in the catalog the plan was made from.</param>
/// <param name="Arguments">The mapped and validated arguments.</param>
/// <param name="OnFailure">What to do when the compensation fails for good.</param>
public sealed record CompensationCall(string ToolName, string ToolVersion, JsonElement Arguments, CompensationFailurePolicy OnFailure);
