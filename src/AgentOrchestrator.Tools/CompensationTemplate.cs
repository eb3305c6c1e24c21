using System.Text.Json;

namespace AgentOrchestrator.Tools;

/// <summary>The compensating tool and the mapping that builds its arguments from the original call.</summary>
/// <param name="ToolName">Name of the compensating tool.</param>
/// <param name="Arguments">Argument mapping: strings starting with <c>$</c> are paths into
/// <c>{ "args": ..., "result": ... }</c>; everything else is taken literally.</param>
public sealed record CompensationTemplate(string ToolName, JsonElement Arguments);
